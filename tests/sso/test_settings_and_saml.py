"""SSO configured from the environment: OIDC and SAML settings, SAML metadata, SAML attributes."""

import copy
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from allauth.core import context
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings as django_settings
from django.utils.module_loading import import_string

from rrupn.accounts.models import Role, RoleAssignment, RoleSource, User

from ..factories import EstablishmentFactory

ROOT = Path(__file__).resolve().parents[2]
IDP_ENTITY_ID = "https://arena.ac-limoges.fr/idp"


def self_signed_cert() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    return "".join(pem.splitlines()[1:-1])


def settings_under(env: dict) -> dict:
    """The SSO settings a fresh process derives from these environment variables."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({'providers': s.SOCIALACCOUNT_PROVIDERS, "
        "'only': s.SOCIALACCOUNT_ONLY, 'apps': s.INSTALLED_APPS}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "SAML_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "rrupn.settings", "RRUPN_TESTING": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def saml_env():
    return {
        "SAML_IDP_ENTITY_ID": IDP_ENTITY_ID,
        "SAML_IDP_SSO_URL": "https://arena.ac-limoges.fr/idp/sso",
        "SAML_IDP_X509CERT": self_signed_cert(),
        "SAML_ORGANIZATION_SLUG": "academie",
        "SAML_TRUST_EMAIL": "true",
    }


@pytest.fixture(scope="module")
def saml_configured(saml_env):
    return settings_under(saml_env)


@pytest.fixture
def saml_providers(saml_configured):
    return copy.deepcopy(saml_configured["providers"])


def test_no_sso_keeps_local_login():
    configured = settings_under({})
    assert configured["providers"] == {} and configured["only"] is False


def test_oidc_from_environment():
    configured = settings_under(
        {
            "OIDC_SERVER_URL": "https://auth.agentconnect.gouv.fr/api/v2",
            "OIDC_CLIENT_ID": "rrupn",
            "OIDC_CLIENT_SECRET": "s3cret",
            "OIDC_PROVIDER_ID": "proconnect",
            "OIDC_PROVIDER_NAME": "ProConnect",
            "OIDC_SCOPES": "openid email given_name usual_name uid",
            "OIDC_PKCE": "false",
            "OIDC_TOKEN_AUTH_METHOD": "client_secret_post",
            "OIDC_ACR_VALUES": "eidas1",
        }
    )
    assert configured["only"] is True
    assert "rrupn.accounts.providers.proconnect" in configured["apps"]
    (app,) = configured["providers"]["proconnect"]["APPS"]
    assert (app["provider_id"], app["name"], app["client_id"]) == (
        "proconnect",
        "ProConnect",
        "rrupn",
    )
    assert app["settings"] == {
        "server_url": "https://auth.agentconnect.gouv.fr/api/v2",
        "scope": ["openid", "email", "given_name", "usual_name", "uid"],
        "email_authoritative": False,
        "token_auth_method": "client_secret_post",
        "oauth_pkce_enabled": False,
        "auth_params": {"acr_values": "eidas1"},
    }


@pytest.mark.django_db
def test_saml_sp_metadata_is_served(client, settings, saml_configured, saml_providers):
    assert saml_configured["only"] is True
    settings.SOCIALACCOUNT_PROVIDERS = saml_providers
    # python3-saml rejects single-label hosts such as the test client's "testserver".
    response = client.get("/accounts/saml/academie/metadata/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    md = "{urn:oasis:names:tc:SAML:2.0:metadata}"
    assert root.tag == f"{md}EntityDescriptor"
    assert root.get("entityID").endswith("/accounts/saml/academie/metadata/")
    acs = root.find(f"{md}SPSSODescriptor/{md}AssertionConsumerService")
    assert acs.get("Location").endswith("/accounts/saml/academie/acs/")


class SamlAssertion:
    """What python3-saml hands to allauth after validating a Response: attributes as lists."""

    def __init__(self, attributes):
        self.attributes = attributes

    def get_attributes(self):
        return self.attributes

    def get_nameid(self):
        return self.attributes["uid"][0]

    def get_nameid_format(self):
        return "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"


def saml_login(rf, attributes):
    """Finish a SAML login as allauth's ACS view does, inside the portal's middleware stack."""
    request = rf.get("/accounts/saml/academie/acs/finish/")

    def finish(request):
        with context.request_context(request):
            provider = get_adapter().get_provider(request, "saml")
            sociallogin = provider.sociallogin_from_response(request, SamlAssertion(attributes))
            sociallogin.state = {"process": "login"}
            return complete_social_login(request, sociallogin)

    handler = finish
    for path in reversed(django_settings.MIDDLEWARE):
        handler = import_string(path)(handler)
    return request, handler(request)


@pytest.mark.django_db
def test_saml_attributes_map_to_roles_through_the_adapter(rf, settings, saml_providers):
    settings.SOCIALACCOUNT_PROVIDERS = saml_providers
    EstablishmentFactory(uai="0870022B")
    EstablishmentFactory(uai="0870023C")
    attributes = {
        "uid": ["cfauvel"],
        "ctemail": ["claire.fauvel@ac-limoges.fr"],
        "ctfn": ["Claire"],
        "ctln": ["Fauvel"],
        "FrEduRne": [
            "0870022B$UAJ$PU$ADM$0870022B$T3$CLG$340",
            "0870023C$UAJ$PU$ADM$0870023C$T3$CLG$340",
        ],
        "FrEduFonctAdm": ["DIR"],
        "FrEduRneResp": ["X"],
        "title": ["DIR"],
    }
    request, response = saml_login(rf, attributes)

    assert response.status_code == 302
    user = User.objects.get(email="claire.fauvel@ac-limoges.fr")
    assert (user.first_name, user.last_name) == ("Claire", "Fauvel")
    assert SocialAccount.objects.get(user=user).provider == IDP_ENTITY_ID
    assert set(
        RoleAssignment.objects.filter(user=user, source=RoleSource.SSO).values_list(
            "establishment__uai", "role"
        )
    ) == {("0870022B", Role.HEAD), ("0870023C", Role.HEAD)}
    assert request.session["sso_unknown_uais"] == []


@pytest.mark.django_db
def test_saml_trusted_email_links_the_existing_person(rf, settings, saml_providers):
    settings.SOCIALACCOUNT_PROVIDERS = saml_providers
    EstablishmentFactory(uai="0870022B")
    existing = User.objects.create_user("camille.fauvette@ac-limoges.fr", "demo-rrupn-2026")
    attributes = {
        "uid": ["cfauvette"],
        "ctemail": ["camille.fauvette@ac-limoges.fr"],
        "FrEduRne": ["0870022B$UAJ$PU$ENS$0870022B$T3$CLG$340", "0190999H$UAJ$PU$ENS"],
    }
    request, response = saml_login(rf, attributes)

    assert response.status_code == 302
    assert SocialAccount.objects.get(provider=IDP_ENTITY_ID).user == existing
    assert User.objects.count() == 1
    assert RoleAssignment.objects.get(user=existing).role == Role.TEACHER
    assert request.session["sso_unknown_uais"] == ["0190999H"]


@pytest.mark.django_db
def test_an_unvouched_email_is_never_linked_to_an_existing_person(rf, settings, saml_providers):
    saml_providers["saml"]["APPS"][0]["settings"]["email_authoritative"] = False
    settings.SOCIALACCOUNT_PROVIDERS = saml_providers
    existing = User.objects.create_user("camille.fauvette@ac-limoges.fr", "demo-rrupn-2026")
    attributes = {"uid": ["intrus"], "ctemail": ["camille.fauvette@ac-limoges.fr"]}
    _request, response = saml_login(rf, attributes)

    assert response.status_code == 403
    assert "ne relie pas les deux comptes" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert list(User.objects.all()) == [existing]


@pytest.mark.django_db
def test_a_login_without_email_gets_a_clear_page(rf, settings, saml_providers):
    settings.SOCIALACCOUNT_PROVIDERS = saml_providers
    _request, response = saml_login(rf, {"uid": ["sans-mail"], "FrEduRne": ["0870022B"]})
    assert response.status_code == 403
    assert "adresse e-mail manquante" in response.content.decode()
    assert not User.objects.exists()
