"""The docker-compose.yml commands, run natively against this machine's PostgreSQL and Redis.

No Docker engine here, so the test reads each service's command from the compose file and runs it
as a process with production variables: migrate on a throw-away PostgreSQL database, gunicorn
serving real requests (static files through whitenoise), a real Celery worker executing a task
queued by another process through Redis, and beat starting.
"""

import re
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
import redis
import requests
import yaml

from ..conftest import port_open, service_or_skip
from .production import BASE_DIR, free_port, manage, production_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

HOST = "rrupn.ac-limoges.fr"
# What the TLS-terminating proxy adds; without it production redirects to https.
PROXIED = {"Host": HOST, "X-Forwarded-Proto": "https"}
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]


def compose_command(service: str, **replace: str) -> list[str]:
    """The service's command, with container-only values (bind address, paths) swapped."""
    return [replace.get(arg, arg) for arg in COMPOSE[service]["command"]]


def wait_for(condition, *, timeout: float, what: str, process=None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.2)
    output = log.read_text() if log and log.exists() else ""
    pytest.fail(f"{what} not seen within {timeout} s\n{output[-3000:]}")


class Processes:
    """Processes this test started; each is stopped by its own pid, never by name."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.started: list[subprocess.Popen] = []

    def start(self, name: str, command: list[str], env: dict) -> tuple[subprocess.Popen, Path]:
        log = self.directory / f"{name}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        self.started.append(process)
        return process, log

    def stop(self, process: subprocess.Popen) -> int:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return process.returncode

    def stop_all(self):
        for process in reversed(self.started):
            self.stop(process)


@pytest.fixture(scope="module")
def postgres_url():
    service_or_skip(port_open("127.0.0.1", 5432), "PostgreSQL absent sur 127.0.0.1:5432")
    name = f"rrupn_ci_{secrets.token_hex(4)}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def redis_url():
    """An empty Redis database of its own, so no other worker or test sees these messages."""
    service_or_skip(port_open("127.0.0.1", 6379), "Redis absent sur 127.0.0.1:6379")
    for number in range(1, 15):
        client = redis.Redis(host="127.0.0.1", port=6379, db=number)
        if client.dbsize() == 0:
            client.set("rrupn:ci:claimed", "1")  # claims it against a concurrent run
            yield f"redis://127.0.0.1:6379/{number}"
            client.flushdb()
            return
    pytest.fail("no empty Redis database among 1–14")


@pytest.fixture(scope="module")
def stack(postgres_url, redis_url, tmp_path_factory):
    """Production variables + a migrated database + collected static files."""
    root = tmp_path_factory.mktemp("production")
    env = production_env(
        DATABASE_URL=postgres_url,
        REDIS_URL=redis_url,
        STATIC_ROOT=str(root / "static"),
        MEDIA_ROOT=str(root / "media"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(root / "mail"),
        HOSTNAME=socket.gethostname(),
    )
    migrate = manage(*compose_command("migrate")[2:], env=env)  # "python manage.py" is ours
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    static = manage("collectstatic", "--noinput", env=env, timeout=300)  # as the Dockerfile
    assert static.returncode == 0, static.stdout + static.stderr
    processes = Processes(root)
    yield env, root, processes
    processes.stop_all()


@pytest.fixture(scope="module")
def web(stack):
    env, root, processes = stack
    port = free_port()
    command = compose_command("web", **{"0.0.0.0:8000": f"127.0.0.1:{port}"})
    gunicorn, log = processes.start("gunicorn", command, env)
    base = f"http://127.0.0.1:{port}"
    wait_for(
        lambda: port_open("127.0.0.1", port),
        timeout=30,
        what="gunicorn listening",
        process=gunicorn,
        log=log,
    )

    # The master listens before its workers have loaded Django: wait until one answers, so a
    # test's own timeout measures the request, not the boot (slow on a loaded CI machine).
    def answers():
        try:
            return requests.get(f"{base}/sante/", headers=PROXIED, timeout=5).status_code == 200
        except requests.RequestException:
            return False

    wait_for(answers, timeout=90, what="gunicorn answering", process=gunicorn, log=log)
    return base, port, env


def test_gunicorn_serves_health_login_and_static(web):
    base, _, _ = web
    health = requests.get(f"{base}/sante/", headers=PROXIED, timeout=10)
    assert (health.status_code, health.text) == (200, "ok")
    assert "max-age=31536000" in health.headers["Strict-Transport-Security"]

    login = requests.get(f"{base}/accounts/login/", headers=PROXIED, timeout=10)
    assert login.status_code == 200
    assert "Connexion au portail RRUPN" in login.text
    assert "Secure" in login.headers["Set-Cookie"]

    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', login.text)
    assert stylesheets, "the login page links no stylesheet"
    for href in stylesheets:
        assert re.search(r"\.[0-9a-f]{12}\.css$", href), f"{href} is not a hashed (manifest) name"
        css = requests.get(f"{base}{href}", headers=PROXIED, timeout=10)
        assert css.status_code == 200, href
        assert css.headers["Content-Type"].startswith("text/css")
        assert "immutable" in css.headers["Cache-Control"]  # whitenoise, not Django


def test_gunicorn_refuses_plain_http_and_unknown_hosts(web):
    base, _, _ = web
    plain = requests.get(
        f"{base}/sante/", headers={"Host": HOST}, allow_redirects=False, timeout=10
    )
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"https://{HOST}/sante/"

    stranger = requests.get(
        f"{base}/sante/", headers={**PROXIED, "Host": "evil.example"}, timeout=10
    )
    assert stranger.status_code == 400


def test_web_healthcheck_passes(web):
    _, port, env = web
    check = COMPOSE["web"]["healthcheck"]["test"]
    assert check[0] == "CMD-SHELL"
    script = check[1].replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    result = subprocess.run(["sh", "-c", script], env=env, capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr


def test_a_real_worker_sends_the_mail_queued_by_another_process(stack):
    env, root, processes = stack
    mail = root / "mail"
    queue = manage(
        "shell",
        "-c",
        "from rrupn.notifications.emails import notify; "
        "notify(to=['camille.fauvette@ac-limoges.fr'], name='test', context={'name': 'Zoé'})",
        env=env,
    )
    assert queue.returncode == 0, queue.stderr
    assert not list(mail.glob("*.log")), "sent inline: the task did not go through Redis"

    worker, log = processes.start("worker", compose_command("worker"), env)
    wait_for(
        lambda: list(mail.glob("*.log")), timeout=60, what="mail file", process=worker, log=log
    )
    [sent] = mail.glob("*.log")
    wait_for(lambda: "text/html" in sent.read_text(), timeout=10, what="complete message")
    message = sent.read_text()
    assert "Subject: [Portail RRUPN] Message de test" in message
    assert "To: camille.fauvette@ac-limoges.fr" in message
    assert "text/plain" in message and "text/html" in message

    # The compose healthcheck asks this very worker for a pong through the broker.
    ping = subprocess.run(
        ["sh", "-c", COMPOSE["worker"]["healthcheck"]["test"][1].replace("$$", "$")],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ping.returncode == 0, ping.stdout + ping.stderr
    assert "pong" in ping.stdout

    assert processes.stop(worker) == 0
    assert "rrupn.notifications.tasks.send_email" in log.read_text()
    assert "succeeded" in log.read_text()


def test_beat_starts_and_writes_its_schedule(stack):
    env, root, processes = stack
    schedule = root / "beat" / "celerybeat-schedule"
    schedule.parent.mkdir()
    command = compose_command("beat", **{"/var/lib/rrupn/beat/celerybeat-schedule": str(schedule)})
    beat, log = processes.start("beat", command, env)
    wait_for(
        lambda: "beat: Starting..." in log.read_text() and list(schedule.parent.iterdir()),
        timeout=60,
        what="beat start",
        process=beat,
        log=log,
    )
    time.sleep(1)  # still alive a moment later: it did not die on its first tick
    assert beat.poll() is None, log.read_text()
    assert processes.stop(beat) == 0
