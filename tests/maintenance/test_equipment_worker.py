"""The equipment needs PDF rendered by a real Celery worker fed through Redis, on PostgreSQL.

One process validates needs and asks for the PDF (queued, not rendered inline); a separate
`celery -A rrupn worker` (the compose command) renders it under the name the page looks for.
"""

import shutil
import subprocess
import time

import pytest

from ..conftest import service_or_skip
from ..infra.production import manage, production_env
from ..infra.test_production_path import (  # noqa: F401  (module-scoped fixtures, reused)
    Processes,
    compose_command,
    postgres_url,
    redis_url,
    wait_for,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SETUP = """
from maintenance.equipment import export, services
from maintenance.equipment.tasks import render_needs_pdf
from rrupn.accounts.models import Role
from rrupn.establishments.models import SchoolYear
from tests.factories import EstablishmentFactory, RoleAssignmentFactory
from tests.maintenance.factories_equipment import EquipmentNeedFactory

year = SchoolYear.current()
school = EstablishmentFactory(name="Collège Worker")
head = RoleAssignmentFactory(establishment=school, role=Role.HEAD).user
for item in ("Visualiseuse", "Casques audio"):
    need = EquipmentNeedFactory(establishment=school, item=item)
    services.need_decide(need=need, user=head, roles={Role.HEAD}, validate=True)
render_needs_pdf.delay(school.pk, year.pk)
state, path, _error = export.pdf_state(school, year)
print("STATE", state, "PATH", path)
"""


@pytest.fixture
def worker_env(postgres_url, redis_url, tmp_path):  # noqa: F811
    env = production_env(
        DATABASE_URL=postgres_url,
        REDIS_URL=redis_url,
        MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_SETTINGS_MODULE="tests.missions.worker_settings",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    migrate = manage("migrate", "--noinput", env=env)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    return env


def test_a_real_worker_renders_the_needs_pdf(worker_env, tmp_path):
    service_or_skip(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) missing")
    started = time.monotonic()
    setup = manage("shell", "-c", SETUP, env=worker_env)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    words = setup.stdout.rsplit("STATE", 1)[1].split()  # "<state> PATH <path>"
    state, path = words[0], words[2]
    assert state == "missing"  # queued through Redis, not rendered by the requesting process
    stored = tmp_path / "media" / path

    processes = Processes(tmp_path)
    try:
        worker, log = processes.start("worker", compose_command("worker"), worker_env)
        wait_for(stored.exists, timeout=60, what="needs PDF", process=worker, log=log)
        assert processes.stop(worker) == 0
    finally:
        processes.stop_all()
    assert "maintenance.equipment.tasks.render_needs_pdf" in log.read_text()
    text = subprocess.run(
        ["pdftotext", str(stored), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Collège Worker" in text and "Visualiseuse" in text and "Casques audio" in text
    assert time.monotonic() - started < 30
