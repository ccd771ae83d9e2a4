"""Deny by default: login required everywhere but an approved list; headers on every page."""

import pytest
from django.conf import settings
from django.urls import reverse

from .urlwalk import iter_urls

# Views reachable without logging in: login, SSO endpoints, password reset, health, language,
# the verification of a printed mission letter.
APPROVED_PUBLIC_PREFIXES = ("accounts/", "admin/login/", "sante/", "langue/", "verifier/")


def _public_routes():
    from django.urls import get_resolver

    routes = []

    def walk(patterns, prefix=""):
        from django.urls import URLPattern, URLResolver

        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                callback = entry.callback
                if not getattr(callback, "login_required", True):
                    routes.append(prefix + str(entry.pattern))

    walk(get_resolver().url_patterns)
    return routes


def test_login_required_middleware_is_on():
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE


def test_only_approved_views_are_public():
    public = _public_routes()
    assert "sante/" in public
    unexpected = [route for route in public if not route.startswith(APPROVED_PUBLIC_PREFIXES)]
    assert not unexpected, f"Public views outside the approved list: {unexpected}"


def test_every_project_view_declares_a_capability():
    from django.core.checks import run_checks

    errors = [e for e in run_checks() if e.id and e.id.startswith("access.")]
    assert not errors


def test_a_view_without_capability_is_a_startup_error(settings):
    """The system check really fails on a view of ours that declares nothing."""
    import types

    from django.urls import path

    from rrupn.access.checks import check_views_declare_capability

    def naked(request):  # pragma: no cover
        raise AssertionError

    naked.__module__ = "rrupn.dashboard.views"
    module = types.ModuleType("naked_urls")
    module.urlpatterns = [path("nu/", naked, name="naked")]
    settings.ROOT_URLCONF = module
    errors = check_views_declare_capability(None)
    assert [e.id for e in errors] == ["access.E001"]


@pytest.mark.django_db
def test_security_headers(client, persona_user, school):
    client.force_login(persona_user("rrupn"))
    response = client.get(reverse("dashboard:establishment", args=[school.uai]))
    csp = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    # Every <script> carries this response's nonce.
    import re

    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert not re.search(r"\son[a-z]+=", response.content.decode())


def test_iter_urls_sees_the_core_screens():
    keys = {key for key, _route, _params in iter_urls()}
    assert {"dashboard:establishment", "dashboard:inbox", "dashboard:srane_overview"} <= keys
