"""Production is configured by environment variables only, and refuses to start half-configured."""

import subprocess
import sys

import pytest

from .production import BASE_DIR, manage, production_env


def test_check_deploy_is_clean_under_production_variables(tmp_path):
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set when DEBUG is off"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set when DEBUG is off"),
    ],
)
def test_production_without_a_required_variable_fails_loudly(tmp_path, missing, message):
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}", **{missing: None})
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_a_malformed_boolean_fails_loudly():
    result = manage("check", env=production_env(DEBUG="peut-être"))
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def celery_mode(**overrides) -> str:
    code = (
        "from django.conf import settings as s; "
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_tasks_run_inline_without_a_broker():
    assert celery_mode() == "True memory:// django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_switches_to_a_real_broker():
    assert celery_mode(REDIS_URL="redis://127.0.0.1:6379/3") == (
        "False redis://127.0.0.1:6379/3 django.core.cache.backends.redis.RedisCache"
    )


def test_tests_stay_inline_even_with_a_broker():
    """CI runs the suite with REDIS_URL set; only tests/infra's real worker uses the broker."""
    mode = celery_mode(REDIS_URL="redis://127.0.0.1:6379/3", RRUPN_TESTING="1")
    assert mode.startswith("True redis://127.0.0.1:6379/3")
