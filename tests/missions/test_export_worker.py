"""The SRANE batch export on PostgreSQL, built by a real Celery worker fed through Redis.

Letters are created in a throw-away database by one process, the export is requested by it
(queued after commit), and a separate `celery -A rrupn worker` (the compose command) renders
the missing PDFs and writes the ZIP, reporting its progress in the database.
"""

import csv
import io
import time
import zipfile

import psycopg
import pytest

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
from missions.export import letter_export_request
from rrupn.access.scopes import user_access
from rrupn.establishments.models import SchoolYear
from tests.factories import EstablishmentFactory, SraneScopeFactory
from tests.missions.factories import MissionLetterFactory

year = SchoolYear.current()
for name in ("Collège Arsène", "Collège Bellac", "Lycée Chérie"):
    MissionLetterFactory(establishment=EstablishmentFactory(name=name), active=True)
MissionLetterFactory(establishment=EstablishmentFactory(department_code="19"), active=True)
MissionLetterFactory(establishment=EstablishmentFactory(name="Collège Brouillon"))  # a draft
srane = SraneScopeFactory(department="87").user
export = letter_export_request(
    user=srane, access=user_access(srane, year), school_year=year, department="87"
)
print("EXPORT", export.pk)
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


def export_row(dsn: str, export_id: int) -> dict:
    with psycopg.connect(dsn) as db:
        row = db.execute(
            "SELECT status, done, total, file, error FROM missions_letterexport WHERE id = %s",
            [export_id],
        ).fetchone()
    return dict(zip(("status", "done", "total", "file", "error"), row, strict=True))


def test_a_real_worker_builds_the_department_zip(worker_env, postgres_url, tmp_path):  # noqa: F811
    started = time.monotonic()
    setup = manage("shell", "-c", SETUP, env=worker_env)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    export_id = int(setup.stdout.split("EXPORT", 1)[1].split()[0])
    # Queued through Redis, not built inline by the requesting process.
    assert export_row(postgres_url, export_id)["status"] == "queued"

    processes = Processes(tmp_path)
    try:
        worker, log = processes.start("worker", compose_command("worker"), worker_env)
        seen = []

        def finished():
            row = export_row(postgres_url, export_id)
            seen.append((row["status"], row["done"], row["total"]))
            return row["status"] in ("ready", "failed")

        wait_for(finished, timeout=60, what="export ready", process=worker, log=log)
        assert processes.stop(worker) == 0
    finally:
        processes.stop_all()
    row = export_row(postgres_url, export_id)
    assert row["status"] == "ready", row["error"] + log.read_text()[-3000:]
    assert (row["done"], row["total"], row["error"]) == (3, 3, "")
    assert all(done <= total for _status, done, total in seen)
    assert "missions.tasks.export_mission_letters_task" in log.read_text()

    with zipfile.ZipFile(tmp_path / "media" / row["file"]) as archive:
        names = sorted(archive.namelist())
        pdfs = [name for name in names if name.endswith(".pdf")]
        assert len(pdfs) == 3 and all(name.startswith("87/") for name in pdfs)
        for name in pdfs:  # rendered by the worker: none had a PDF before
            assert archive.read(name).startswith(b"%PDF-"), name
        index = archive.read("index.csv").decode("utf-8")
    assert index.startswith("\ufeff")
    header, *lines = list(csv.reader(io.StringIO(index[1:]), delimiter=";"))
    assert header[:2] == ["UAI", "Établissement"]
    assert [line[1] for line in lines] == ["Collège Arsène", "Collège Bellac", "Lycée Chérie"]
    assert sorted(line[-1] for line in lines) == pdfs
    with psycopg.connect(postgres_url) as db:
        statuses = db.execute(
            "SELECT pdf_status, count(*) FROM missions_missionletter GROUP BY pdf_status"
        ).fetchall()
    assert dict(statuses) == {"ready": 3, "none": 2}  # 19 and the draft were left alone
    assert time.monotonic() - started < 30
