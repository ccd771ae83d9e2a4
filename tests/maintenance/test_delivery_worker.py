"""Deliveries through a real Celery worker on PostgreSQL + Redis, against the fake GLPI on
loopback: the ticket is queued by another process (the tickets part's transaction), the faults
of the issue happen one after the other, and a worker killed with SIGKILL in the middle of a
delivery is replaced: the GLPI ticket exists exactly once."""

import email
import email.policy
import os
import signal
import subprocess
import time

import psycopg
import pytest
import redis

from ..infra.production import BASE_DIR, manage, production_env
from ..infra.test_production_path import (  # noqa: F401  (module-scoped fixtures, reused)
    compose_command,
    postgres_url,
    redis_url,
    wait_for,
)
from .fake_glpi import FakeGlpi

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SETUP = """
from django.db import transaction
from maintenance.delivery.crypto import encrypt
from maintenance.delivery.services import delivery_enqueue
from maintenance.models import Channel, ChannelCredential, Delivery, Ticket, TicketCategory
from tests.factories import EstablishmentFactory, UserFactory

from tests.factories import RoleAssignmentFactory

school = EstablishmentFactory(name="Collège Jean Moulin")
channel = Channel.objects.create(
    code="{kind}-worker", name="Canal {kind}", kind="{kind}", url="{url}",
    email_to="tice-college@creuse.fr",
)
ChannelCredential.objects.create(channel=channel, name="app_token", ciphertext=encrypt("app-secret"))
ChannelCredential.objects.create(
    channel=channel, establishment=school, name="user_token", ciphertext=encrypt("{token}")
)
rrupn = UserFactory(first_name="Rrupn", last_name="Worker")
RoleAssignmentFactory(user=rrupn, establishment=school, role="rrupn", yearly=True)
category = TicketCategory.objects.create(code="poste-w", label="Poste de travail")
with transaction.atomic():
    ticket = Ticket.objects.create(
        establishment=school, reporter=rrupn, category=category, title="Poste HS",
        description="Ne démarre plus.", status="queued", channel=channel,
    )
    delivery = Delivery.objects.create(ticket=ticket, channel=channel)
    delivery_enqueue(delivery=delivery)
print("DELIVERY", delivery.pk, ticket.reference)
"""

SWEEP = "from maintenance.delivery.tasks import sweep_deliveries; sweep_deliveries.delay()"

# What the RRUPN's browser gets: the ticket page, or the "Échec — réessayer" button's POST.
AS_RRUPN = """
from django.test import Client
from django.urls import reverse
from maintenance.models import Delivery
from rrupn.accounts.models import User

delivery = Delivery.objects.select_related("ticket__establishment").get(pk={pk})
uai = delivery.ticket.establishment.uai
client = Client(SERVER_NAME="rrupn.ac-limoges.fr")
client.force_login(User.objects.get(email="rrupn.worker@ac-limoges.fr"))
if "{action}" == "retry":
    response = client.post(reverse("maintenance:delivery_retry", args=[uai, delivery.pk]), secure=True)
    print("STATUS", response.status_code, response.headers.get("Location"))
else:
    response = client.get(
        reverse("maintenance:tickets_detail", args=[uai, delivery.ticket_id]), secure=True
    )
    print("STATUS", response.status_code)
    print(response.content.decode())
"""


@pytest.fixture
def glpi():
    fake = FakeGlpi().start()
    yield fake
    fake.stop()


@pytest.fixture
def stack(postgres_url, redis_url, tmp_path, glpi):  # noqa: F811
    def start(timeout: int, *, kind="glpi", token="user-secret", **extra_env):
        env = production_env(
            DATABASE_URL=postgres_url,
            REDIS_URL=redis_url,
            MEDIA_ROOT=str(tmp_path / "media"),
            DJANGO_SETTINGS_MODULE="tests.maintenance.delivery_worker_settings",
            MAINTENANCE_HTTP_TIMEOUT=str(timeout),
            **extra_env,
        )
        for command in (("migrate", "--noinput"), ("flush", "--noinput")):
            done = manage(*command, env=env)
            assert done.returncode == 0, done.stdout + done.stderr
        redis.Redis.from_url(redis_url).flushdb()
        redis.Redis.from_url(redis_url).set("rrupn:ci:claimed", "1")
        script = SETUP.replace("{url}", glpi.url).replace("{kind}", kind)
        setup = manage("shell", "-c", script.replace("{token}", token), env=env)
        assert setup.returncode == 0, setup.stdout + setup.stderr
        pk, reference = setup.stdout.split("DELIVERY", 1)[1].split()[:2]
        return env, int(pk), reference

    workers = []

    def worker(env):
        log = tmp_path / f"worker{len(workers)}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                compose_command("worker"),
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: the pool's children die with it
            )
        workers.append(process)
        return process, log

    yield start, worker
    for process in workers:  # only the processes this test started, by their group id
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def row(dsn, pk) -> dict:
    with psycopg.connect(dsn) as db:
        status, attempts, ref, error = db.execute(
            "SELECT status, attempts, external_ref, last_error FROM maintenance_delivery "
            "WHERE id = %s",
            (pk,),
        ).fetchone()
        ticket_status, ticket_ref = db.execute(
            "SELECT t.status, t.external_ref FROM maintenance_ticket t "
            "JOIN maintenance_delivery d ON d.ticket_id = t.id WHERE d.id = %s",
            (pk,),
        ).fetchone()
    return {
        "status": status,
        "attempts": attempts,
        "ref": ref,
        "error": error,
        "ticket": ticket_status,
        "ticket_ref": ticket_ref,
    }


def due_now(dsn, pk):
    """The back-off is minutes long: bring the next attempt forward, as time passing would."""
    with psycopg.connect(dsn) as db:
        db.execute("UPDATE maintenance_delivery SET next_attempt_at = now() WHERE id = %s", (pk,))


def sweep(env):
    done = manage("shell", "-c", SWEEP, env=env)
    assert done.returncode == 0, done.stdout + done.stderr


def as_rrupn(env, pk, action="page") -> str:
    script = AS_RRUPN.replace("{pk}", str(pk)).replace("{action}", action)
    done = manage("shell", "-c", script, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def ticket_text(dsn, pk) -> tuple:
    with psycopg.connect(dsn) as db:
        return db.execute(
            "SELECT t.title, t.description FROM maintenance_ticket t "
            "JOIN maintenance_delivery d ON d.ticket_id = t.id WHERE d.id = %s",
            (pk,),
        ).fetchone()


def test_down_500_and_timeout_after_create_then_one_ticket(stack, glpi, postgres_url):  # noqa: F811
    start, start_worker = stack
    glpi.down()
    env, pk, reference = start(timeout=1)
    assert row(postgres_url, pk)["attempts"] == 0, "ran inline: the task did not go through Redis"
    worker, log = start_worker(env)

    def attempt(n):
        wait_for(
            lambda: (r := row(postgres_url, pk))["attempts"] == n and r["status"] == "queued",
            timeout=60,
            what=f"attempt {n}",
            process=worker,
            log=log,
        )
        return row(postgres_url, pk)["error"]

    assert "injoignable" in attempt(1)  # down
    glpi.up()
    glpi.fail_next("POST", "Ticket", status=500)
    due_now(postgres_url, pk)
    sweep(env)
    assert "500" in attempt(2)  # 500
    glpi.slow_after("POST", "Ticket", seconds=3)
    due_now(postgres_url, pk)
    sweep(env)
    assert "pas répondu à temps" in attempt(3)  # created, but the answer came too late
    assert len(glpi.tickets) == 1
    due_now(postgres_url, pk)
    sweep(env)
    wait_for(
        lambda: row(postgres_url, pk)["status"] == "sent",
        timeout=60,
        what="sent",
        process=worker,
        log=log,
    )
    [(glpi_id, created)] = glpi.tickets.items()
    assert created["name"].startswith(f"[{reference}]")
    final = row(postgres_url, pk)
    assert final["attempts"] == 4 and final["ref"] == final["ticket_ref"] == str(glpi_id)
    assert final["ticket"] == "sent"


def test_worker_killed_mid_delivery_then_restarted_sends_once(stack, glpi, postgres_url):  # noqa: F811
    start, start_worker = stack
    glpi.slow_after("POST", "Ticket", seconds=30)  # the worker waits there when it is killed
    env, pk, reference = start(timeout=60)
    worker, log = start_worker(env)
    wait_for(lambda: glpi.tickets, timeout=60, what="ticket created", process=worker, log=log)
    time.sleep(0.3)
    assert row(postgres_url, pk)["status"] == "sending"
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    assert row(postgres_url, pk)["status"] == "sending"  # left behind by the dead worker

    time.sleep(2.5)  # MAINTENANCE_STUCK_AFTER of the test settings
    worker, log = start_worker(env)
    sweep(env)
    wait_for(
        lambda: row(postgres_url, pk)["status"] == "sent",
        timeout=60,
        what="sent after restart",
        process=worker,
        log=log,
    )
    [glpi_id] = glpi.tickets
    final = row(postgres_url, pk)
    assert final["attempts"] == 2 and final["ref"] == str(glpi_id)
    assert glpi.requests.count(("POST", "Ticket")) == 1  # found by its reference, not re-created


def test_session_expired_midway_logs_in_again_and_creates_once(stack, glpi, postgres_url):  # noqa: F811
    start, start_worker = stack
    glpi.expire_next_sessions(1)  # the session opened by the worker dies before its first use
    env, pk, reference = start(timeout=5)
    worker, log = start_worker(env)
    wait_for(
        lambda: (
            row(postgres_url, pk)["status"] in ("sent", "failed")
            or row(postgres_url, pk)["attempts"] > 1
        ),
        timeout=60,
        what="delivery settled",
        process=worker,
        log=log,
    )
    final = row(postgres_url, pk)
    # Sent on its first attempt: the client opened a new session itself, not a later retry.
    assert final["status"] == "sent" and final["attempts"] == 1, final
    [(glpi_id, created)] = glpi.tickets.items()
    assert created["name"].startswith(f"[{reference}]") and final["ref"] == str(glpi_id)
    assert glpi.requests.count(("GET", "initSession")) == 2
    assert glpi.requests.count(("POST", "Ticket")) == 2  # refused (401), then created
    assert glpi.sessions == {}  # the second session was closed


def test_bad_user_token_fails_for_good_and_shows_retry(stack, glpi, postgres_url):  # noqa: F811
    start, start_worker = stack
    env, pk, _reference = start(timeout=5, token="jeton-perime")
    worker, log = start_worker(env)
    wait_for(
        lambda: row(postgres_url, pk)["status"] == "failed",
        timeout=60,
        what="permanent failure",
        process=worker,
        log=log,
    )
    failed = row(postgres_url, pk)
    assert failed["attempts"] == 1 and failed["ticket"] == "failed"
    assert "Jeton utilisateur GLPI refusé" in failed["error"]
    with psycopg.connect(postgres_url) as db:
        [permanent] = db.execute(
            "SELECT permanent_failure FROM maintenance_delivery WHERE id = %s", (pk,)
        ).fetchone()
    assert permanent

    # No retry storm: the sweeper (as the beat runs it) leaves a permanent failure alone.
    for _ in range(3):
        sweep(env)
    time.sleep(2)
    assert row(postgres_url, pk)["attempts"] == 1 and row(postgres_url, pk)["status"] == "failed"
    assert glpi.requests == [("GET", "initSession")] and glpi.tickets == {}

    page = as_rrupn(env, pk)
    assert "STATUS 200" in page
    assert "Échec — réessayer" in page and "Jeton utilisateur GLPI refusé" in page
    assert "<strong>Échec</strong>" in page  # the delivery state, in words


def test_smtp_refusal_keeps_the_ticket_and_a_retry_sends_one_mail(stack, postgres_url):  # noqa: F811
    from .smtp_server import SmtpServer

    smtp = SmtpServer().start()
    try:
        smtp.data_reply = "554 5.7.1 Message refusé par la politique du domaine"
        start, start_worker = stack
        env, pk, reference = start(
            timeout=5, kind="email", EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp.port)
        )
        worker, log = start_worker(env)
        wait_for(
            lambda: row(postgres_url, pk)["status"] == "failed",
            timeout=60,
            what="SMTP refusal",
            process=worker,
            log=log,
        )
        failed = row(postgres_url, pk)
        assert failed["attempts"] == 1 and failed["ticket"] == "failed"
        assert "refusé le message (554" in failed["error"]
        assert smtp.messages == []
        assert ticket_text(postgres_url, pk) == ("Poste HS", "Ne démarre plus.")  # text kept
        page = as_rrupn(env, pk)
        assert "Échec — réessayer" in page and "Ne démarre plus." in page

        smtp.data_reply = "250 OK queued"
        assert "STATUS 302" in as_rrupn(env, pk, action="retry")
        wait_for(
            lambda: row(postgres_url, pk)["status"] == "sent",
            timeout=60,
            what="sent after retry",
            process=worker,
            log=log,
        )
        sweep(env)  # a sweep after the success sends nothing more
        time.sleep(2)
        mails = [email.message_from_bytes(m, policy=email.policy.default) for m in smtp.messages]
        # The RRUPN's failure notice may arrive too (its own retries): only one incident mail.
        [mail] = [m for m in mails if m["To"] == "tice-college@creuse.fr"]
        assert f"[{reference}]" in mail["Subject"]
        assert "Ne démarre plus." in mail.get_body(("plain",)).get_content()
        assert row(postgres_url, pk)["ticket"] == "sent"
    finally:
        smtp.stop()
