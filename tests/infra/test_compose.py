"""docker-compose.yml hands every setting the portal reads to its containers."""

import re

import yaml

from .production import BASE_DIR

# Read by settings.py but deliberately not configurable in the containers.
NOT_IN_CONTAINERS = {
    "RRUPN_TESTING": "pytest only",
    "CELERY_TASK_ALWAYS_EAGER": "production always has a broker",
    "STATIC_ROOT": "collected into the image at build time",
    "EMAIL_FILE_PATH": "file-based mail is for CI",
    "SECURE_SSL_REDIRECT": "always on behind the TLS proxy",
    "SESSION_COOKIE_SECURE": "always on",
    "CSRF_COOKIE_SECURE": "always on",
}


def settings_variables() -> set[str]:
    source = (BASE_DIR / "rrupn" / "settings.py").read_text()
    pattern = r'(?:environ(?:\.get)?\(\s*|environ\[\s*|env_(?:bool|int|list)\(\s*)"([A-Z_0-9]+)"'
    return set(re.findall(pattern, source))


def test_every_setting_variable_reaches_web_worker_and_beat():
    services = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]
    read = settings_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST"} <= read  # the regex works
    for name in ("migrate", "web", "worker", "beat"):
        passed = set(services[name]["environment"])
        assert read - passed - set(NOT_IN_CONTAINERS) == set(), name
        assert not passed & set(NOT_IN_CONTAINERS), name
