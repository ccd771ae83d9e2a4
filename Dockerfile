# One image for web (gunicorn), worker and beat (celery); docker-compose.yml picks the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# Pango, HarfBuzz and a fallback font for WeasyPrint (PDF letters); gettext for the catalogues.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir "uv==0.13.9"

WORKDIR /app

# Dependencies first, from the lock only, so code changes reuse this layer.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .

# Build-time values only: collectstatic and compilemessages load the settings, which refuse to
# start without a secret key and allowed hosts when DEBUG is off. The real ones come at run time.
RUN export DEBUG=false ALLOWED_HOSTS=build.invalid \
        SECRET_KEY=build-time-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    && python manage.py collectstatic --noinput \
    && python manage.py compilemessages

RUN useradd --system --uid 10001 --no-create-home --home-dir /app rrupn \
    && mkdir -p /var/lib/rrupn/media /var/lib/rrupn/beat \
    && chown -R rrupn /var/lib/rrupn
USER rrupn

EXPOSE 8000
CMD ["gunicorn", "rrupn.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
