"""GAR campaign reminders through a real broker: Redis, a real Celery worker, a real beat, on a
throw-away PostgreSQL database, with production settings (tests/infra helpers).

Two paths: another process queues the task with `.delay()` (no beat), and beat sends the
schedule's own entry (its task name from rrupn/settings.py, ticking every second here).
Each time the worker runs the task, which records a CampaignReminder and queues the e-mail,
which the same worker sends (file-based backend).
"""

import email
import email.policy
import time

import psycopg
import pytest
import redis

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
import datetime
from django.utils import timezone
from rrupn.accounts.models import Role
from tests.factories import EstablishmentFactory, RoleAssignmentFactory
from tests.gar.factories_campaign import DesignationFactory, SubscriptionFactory, campaign

campaign(timezone.localdate() - datetime.timedelta(days=2))
late = EstablishmentFactory(name="Collège En Retard")
SubscriptionFactory(establishment=late)
RoleAssignmentFactory(establishment=late, role=Role.HEAD, user__email="chef.retard@ac-limoges.fr")
RoleAssignmentFactory(establishment=late, role=Role.TEACHER)  # not reminded
done = EstablishmentFactory(name="Collège À Jour")
SubscriptionFactory(establishment=done, done=True)
DesignationFactory(establishment=done, user__email="resp.ajour@ac-limoges.fr")
print("LATE", late.pk)
"""

QUEUE = "from gar.campaign.tasks import send_campaign_reminders; send_campaign_reminders.delay()"


@pytest.fixture
def worker_env(postgres_url, redis_url, tmp_path):  # noqa: F811
    """A migrated, empty database and an empty Redis database for each test."""
    env = production_env(
        DATABASE_URL=postgres_url,
        REDIS_URL=redis_url,
        MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_SETTINGS_MODULE="tests.gar.campaign_worker_settings",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    migrate = manage("migrate", "--noinput", env=env)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    flush = manage("flush", "--noinput", env=env)  # the other test's rows, if it ran first
    assert flush.returncode == 0, flush.stdout + flush.stderr
    broker = redis.Redis.from_url(redis_url)
    broker.flushdb()  # the other test's leftover beat messages
    broker.set("rrupn:ci:claimed", "1")
    setup = manage("shell", "-c", SETUP, env=env)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    late_id = int(setup.stdout.split("LATE", 1)[1].split()[0])
    return env, late_id, postgres_url


def reminders(dsn: str) -> list[tuple]:
    with psycopg.connect(dsn) as db:
        return db.execute(
            "SELECT establishment_id, recipients, sent_by_id FROM gar_campaignreminder"
        ).fetchall()


def mails(directory) -> list[email.message.EmailMessage]:
    files = sorted(directory.glob("*.log")) if directory.exists() else []
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in files
    ]


def check_the_reminder(dsn, late_id, directory):
    [(establishment_id, recipients, sent_by)] = reminders(dsn)
    assert (establishment_id, recipients, sent_by) == (
        late_id,
        ["chef.retard@ac-limoges.fr"],
        None,
    )
    [message] = mails(directory)
    assert message["To"] == "chef.retard@ac-limoges.fr"
    assert message["Subject"].strip() == (
        "[Portail RRUPN] Campagne d'affectation GAR en retard : Collège En Retard"
    )
    text = message.get_body(("plain",)).get_content()
    assert "dépassée depuis 2 jours" in text and "0 abonnement sur 1" in text
    assert "https://rrupn.ac-limoges.fr/etablissement/" in text
    assert message.get_body(("html",)) is not None


def test_a_worker_runs_the_reminders_queued_by_another_process(worker_env, tmp_path):
    env, late_id, dsn = worker_env
    queued = manage("shell", "-c", QUEUE, env=env)
    assert queued.returncode == 0, queued.stdout + queued.stderr
    assert reminders(dsn) == [], "ran inline: the task did not go through Redis"

    processes = Processes(tmp_path)
    try:
        worker, log = processes.start("worker", compose_command("worker"), env)
        wait_for(
            lambda: mails(tmp_path / "mail"),
            timeout=60,
            what="reminder mail",
            process=worker,
            log=log,
        )
        assert processes.stop(worker) == 0
    finally:
        processes.stop_all()
    check_the_reminder(dsn, late_id, tmp_path / "mail")
    output = log.read_text()
    assert "gar.campaign.tasks.send_campaign_reminders" in output
    assert "rrupn.notifications.tasks.send_email" in output


def test_beat_sends_the_scheduled_reminders_at_most_once_per_interval(worker_env, tmp_path):
    env, late_id, dsn = worker_env
    schedule = tmp_path / "beat" / "celerybeat-schedule"
    schedule.parent.mkdir()
    beat_command = compose_command(
        "beat", **{"/var/lib/rrupn/beat/celerybeat-schedule": str(schedule)}
    )
    processes = Processes(tmp_path)
    try:
        worker, worker_log = processes.start("worker", compose_command("worker"), env)
        beat, beat_log = processes.start("beat", beat_command, env)

        def runs() -> int:
            return worker_log.read_text().count("Task gar.campaign.tasks.send_campaign_reminders[")

        wait_for(
            lambda: mails(tmp_path / "mail") and runs() >= 6,  # received + succeeded, 3 times
            timeout=60,
            what="three scheduled runs",
            process=worker,
            log=worker_log,
        )
        time.sleep(0.5)  # a last run's e-mail, if it wrongly queued one
        assert beat.poll() is None, beat_log.read_text()
        assert processes.stop(beat) == 0
        assert processes.stop(worker) == 0
    finally:
        processes.stop_all()
    assert "Scheduler: Sending due task gar-campaign-reminders" in beat_log.read_text()
    # Several runs, one reminder: the school was reminded within the interval.
    check_the_reminder(dsn, late_id, tmp_path / "mail")
