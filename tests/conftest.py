import os
import re
import shutil
import socket

import pytest

from rrupn.accounts.models import Role

from .factories import EstablishmentFactory, RoleAssignmentFactory, SraneScopeFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + live_server

IN_CI = os.environ.get("CI", "").lower() == "true"


def service_or_skip(available: bool, reason: str):
    """Skip with a one-line reason on a bare machine; in CI a missing service is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(autouse=True)
def _strict_templates(settings):
    """An undefined template variable fails the test instead of rendering as ''."""

    class Strict(str):
        def __mod__(self, other):
            raise AssertionError(f"Undefined template variable: {other}")

        def __contains__(self, item):
            return item == "%s"

    for engine in settings.TEMPLATES:
        engine.setdefault("OPTIONS", {})["string_if_invalid"] = Strict("%s")


@pytest.fixture(autouse=True)
def _french_by_default():
    """Each test starts in French: a request made in English by an earlier test leaves English
    active in the thread (the locale middleware activates, nothing deactivates), which made
    in-process French assertions depend on the random test order."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """SQLite hands out the primary keys of rolled-back rows again, so a cached SRANE state
    keyed on ids could leak into a later test. (On PostgreSQL ids are never reused, and the
    Redis db is flushed by CI before the run; it also carries the broker's queues.)"""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        cache.clear()


# The data migrations that load reference data (their `load(apps, schema_editor)` is idempotent).
REFERENCE_DATA_MIGRATIONS = [
    "rrupn.establishments.migrations.0002_reference_data",
    "missions.migrations.0002_reference_data",
    "commission.migrations.0002_reference_data",
    "gar.migrations.0002_seed_catalogue",
    "maintenance.migrations.0002_limoges_routing",
    "pix.migrations.0002_reference_data",
]


def load_reference_rules() -> None:
    """The reference data of the migrations, again: a transactional test's flush drops it."""
    from importlib import import_module

    from django.apps import apps

    for module in REFERENCE_DATA_MIGRATIONS:
        import_module(module).load(apps, None)


@pytest.fixture
def school(db):
    """Own school: a collège of Haute-Vienne (87)."""
    return EstablishmentFactory(name="Collège Sainte-Fauve", department_code="87")


@pytest.fixture
def other_school(db):
    """Another school of the same département."""
    return EstablishmentFactory(name="Collège Autre", department_code="87")


@pytest.fixture
def far_school(db):
    """A lycée of another département (Corrèze, 19)."""
    return EstablishmentFactory(
        name="Lycée Lointain", department_code="19", kind="lycee", commune="Tulle"
    )


PERSONAS = [
    "rrupn",
    "head",
    "direction",
    "gestionnaire",
    "documentaliste",
    "teacher",
    "cpe",
    "srane_department",
    "srane_academie",
    "anonymous",
]


def make_persona(persona: str, school):
    """A person holding `persona` in `school` (or a SRANE scope over its département)."""
    if persona == "anonymous":
        return None
    user = UserFactory(first_name=persona.replace("_", ""), last_name=f"u{school.pk}")
    if persona == "srane_department":
        SraneScopeFactory(user=user, department=school.department)
    elif persona == "srane_academie":
        SraneScopeFactory(user=user, academie=True)
    else:
        RoleAssignmentFactory(
            user=user, establishment=school, role=Role(persona), yearly=persona == "rrupn"
        )
    return user


@pytest.fixture
def persona_user(school):
    return lambda persona: make_persona(persona, school)


CSP_SCRIPT_RE = re.compile(r"<script(?![^>]*\bnonce=)[^>]*>", re.I)


def close_download(response) -> None:
    """Close a streamed response (FileResponse) the way the test client does: without letting its
    request_finished signal close the test's database connection (PostgreSQL, inside the test's
    transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        signals.request_finished.connect(close_old_connections)
