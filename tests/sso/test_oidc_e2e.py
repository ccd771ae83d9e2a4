"""Log in through a real OpenID Connect provider running as its own process (no mocked HTTP).

The provider is allauth's `allauth.idp.oidc` in a second Django project (tests/sso/idp/) on a
loopback port; the portal is pytest-django's live server. A `requests.Session` plays the browser:
discovery, authorization code with PKCE and nonce, token, userinfo (JSON, or a signed JWT as
ProConnect sends it), then claims → person + establishment roles.
"""

import html
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from rrupn.accounts.models import Role, RoleAssignment, RoleSource, User
from rrupn.audit.models import AuditEntry

from ..factories import EstablishmentFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mot-de-passe-idp-2026"
HEAD_SCHOOL, OTHER_SCHOOL, UNKNOWN_UAI = "0870022B", "0870023C", "0190999H"
CLIENTS = {"academie": "portal", "academie-jwt": "portal-jwt", "academie-forged": "portal-forged"}
CLAIMS = {
    "claire.fauvel@ac-limoges.fr": {
        "FrEduRneResp": [f"{HEAD_SCHOOL}$UAJ$PU$N$T3$CLG$340"],
        "FrEduRne": [f"{OTHER_SCHOOL}$UAJ$PU$DOC${OTHER_SCHOOL}$T3$CLG$340"],
        "FrEduFonctAdm": "ENS",
    },
    "yann.ailleurs@ac-limoges.fr": {
        "FrEduRneResp": ["X"],
        "FrEduRne": [f"{UNKNOWN_UAI}$UAJ$PU$ENS${UNKNOWN_UAI}$T3$CLG$340"],
    },
    "jade.signee@ac-limoges.fr": {"FrEduRne": [f"{HEAD_SCHOOL}$UAJ$PU$ENS"], "title": "ENS"},
}
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"identity provider exited: {process.stderr.read().decode()}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError(f"identity provider not answering on {url}")


@pytest.fixture(scope="module")
def portal_url(live_server):
    # The live server listens on localhost = 127.0.0.1; the tests use the address, as required.
    return f"http://127.0.0.1:{live_server.thread.port}"


@pytest.fixture(scope="module")
def idp(portal_url, tmp_path_factory):
    data = tmp_path_factory.mktemp("idp")
    users = [
        {"email": email, "password": PASSWORD, "first_name": email.split(".")[0].title()}
        for email in CLAIMS
    ]
    (data / "users.json").write_text(json.dumps(users))
    (data / "claims.json").write_text(json.dumps(CLAIMS))
    clients = [
        {
            "id": client_id,
            "secret": f"{client_id}-secret",
            "redirect_uri": f"{portal_url}/accounts/oidc/{provider_id}/login/callback/",
        }
        for provider_id, client_id in CLIENTS.items()
    ]
    (data / "clients.json").write_text(json.dumps(clients))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.sso.idp.serve", str(port), str(data)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/.well-known/openid-configuration", process)
        yield type("Idp", (), {"url": url, "data": data})
    finally:
        process.terminate()
        process.wait(timeout=5)
        process.stderr.close()


@pytest.fixture
def sso_settings(settings, idp):
    apps = [
        {
            "provider_id": provider_id,
            "name": f"IdP de test ({provider_id})",
            "client_id": client_id,
            "secret": f"{client_id}-secret",
            "settings": {"server_url": idp.url, "scope": ["openid", "profile", "email"]},
        }
        for provider_id, client_id in CLIENTS.items()
    ]
    settings.SOCIALACCOUNT_PROVIDERS = {"proconnect": {"APPS": apps}}
    settings.SOCIALACCOUNT_ONLY = True
    return settings


@pytest.fixture
def schools(transactional_db):
    return [EstablishmentFactory(uai=HEAD_SCHOOL), EstablishmentFactory(uai=OTHER_SCHOOL)]


def browser() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # never through a proxy: everything is on loopback
    return session


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def sso_login(session, portal_url, provider_id, email) -> requests.Response:
    """Portal button → IdP login form → back to the portal; returns the last page."""
    page = session.get(f"{portal_url}/accounts/login/")
    action = re.search(rf'action="(/accounts/oidc/{provider_id}/login/[^"]*)"', page.text)
    assert action, f"no login button for {provider_id}"
    idp_login = session.post(
        portal_url + html.unescape(action.group(1)),
        data={"csrfmiddlewaretoken": csrf_token(page.text)},
    )
    assert idp_login.status_code == 200, idp_login.text[:500]
    return session.post(
        idp_login.url,
        data={
            "csrfmiddlewaretoken": csrf_token(idp_login.text),
            "login": email,
            "password": PASSWORD,
        },
    )


def authorize_params(response: requests.Response, idp_url: str) -> dict:
    for hop in response.history:
        if hop.url.startswith(f"{idp_url}/identity/o/authorize"):
            return {key: values[0] for key, values in parse_qs(urlsplit(hop.url).query).items()}
    raise AssertionError("the flow never reached the authorization endpoint")


def sso_roles(email):
    return set(
        RoleAssignment.objects.filter(user__email=email, source=RoleSource.SSO).values_list(
            "establishment__uai", "role"
        )
    )


def test_login_creates_the_person_with_roles_from_the_claims(
    sso_settings, idp, portal_url, schools
):
    email = "claire.fauvel@ac-limoges.fr"
    session = browser()
    final = sso_login(session, portal_url, "academie", email)

    assert final.status_code == 200
    assert re.fullmatch(rf"{portal_url}/etablissement/(0870022B|0870023C)/", final.url)
    params = authorize_params(final, idp.url)
    assert len(params["nonce"]) >= 32 and len(params["state"]) >= 32
    assert params["code_challenge_method"] == "S256" and params["code_challenge"]

    user = User.objects.get(email=email)
    assert user.first_name == "Claire"
    account = SocialAccount.objects.get(user=user, provider="academie")
    assert account.extra_data["id_token"]["nonce"] == params["nonce"]
    assert sso_roles(email) == {(HEAD_SCHOOL, Role.HEAD), (OTHER_SCHOOL, Role.DOCUMENTALISTE)}
    assert AuditEntry.objects.filter(action="role.sso_granted", actor=user).count() == 2

    # Next login, the IdP no longer lists the CDI post: that SSO role goes, the other stays.
    claims = dict(CLAIMS, **{email: {**CLAIMS[email], "FrEduRne": []}})
    (idp.data / "claims.json").write_text(json.dumps(claims))
    try:
        again = sso_login(browser(), portal_url, "academie", email)
    finally:
        (idp.data / "claims.json").write_text(json.dumps(CLAIMS))
    assert again.url == f"{portal_url}/etablissement/{HEAD_SCHOOL}/"
    assert User.objects.filter(email=email).count() == 1
    assert sso_roles(email) == {(HEAD_SCHOOL, Role.HEAD)}


def test_unknown_establishment_lands_on_the_french_no_role_page(
    sso_settings, idp, portal_url, schools
):
    final = sso_login(browser(), portal_url, "academie", "yann.ailleurs@ac-limoges.fr")

    assert final.status_code == 403
    assert final.url == f"{portal_url}/"
    assert "aucun rôle" in final.text and UNKNOWN_UAI in final.text
    assert not RoleAssignment.objects.filter(user__email="yann.ailleurs@ac-limoges.fr").exists()


def test_userinfo_as_a_signed_jwt_is_verified_and_used(sso_settings, idp, portal_url, schools):
    email = "jade.signee@ac-limoges.fr"
    final = sso_login(browser(), portal_url, "academie-jwt", email)

    assert final.url == f"{portal_url}/etablissement/{HEAD_SCHOOL}/"
    userinfo = SocialAccount.objects.get(provider="academie-jwt").extra_data["userinfo"]
    assert userinfo["aud"] == "portal-jwt"  # only the JWT form carries an audience
    assert userinfo["FrEduRne"] == CLAIMS[email]["FrEduRne"]
    assert sso_roles(email) == {(HEAD_SCHOOL, Role.TEACHER)}


def test_userinfo_signed_by_another_key_is_refused(sso_settings, idp, portal_url, schools):
    session = browser()
    final = sso_login(session, portal_url, "academie-forged", "jade.signee@ac-limoges.fr")

    assert "La connexion avec votre compte académique a échoué" in final.text
    assert not User.objects.filter(email="jade.signee@ac-limoges.fr").exists()
    home = session.get(f"{portal_url}/", allow_redirects=False)
    assert home.status_code == 302 and "/accounts/login/" in home.headers["Location"]
