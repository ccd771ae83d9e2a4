"""Local password login for demo/development, switched off once an SSO is configured."""

import pytest
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Error

from rrupn.accounts.providers.proconnect.views import check_nonce

from ..factories import UserFactory

OIDC_APP = {
    "provider_id": "academie",
    "name": "Compte académique",
    "client_id": "rrupn",
    "secret": "s3cret",
    "settings": {"server_url": "http://127.0.0.1:9/unused"},
}


@pytest.fixture
def sso_only(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"proconnect": {"APPS": [OIDC_APP]}}
    settings.SOCIALACCOUNT_ONLY = True
    return settings


@pytest.fixture
def person(db):
    return UserFactory(email="camille.fauvette@ac-limoges.fr")


def test_without_sso_the_password_form_logs_in(client, person):
    page = client.get("/accounts/login/")
    assert 'name="password"' in page.content.decode()
    response = client.post(
        "/accounts/login/",
        {"login": person.email, "password": "mot-de-passe-de-test"},
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(person.pk)
    assert client.session["sso_unknown_uais"] == []


def test_with_sso_the_password_form_is_gone_and_a_post_does_not_log_in(client, person, sso_only):
    page = client.get("/accounts/login/").content.decode()
    assert 'name="password"' not in page
    assert "Se connecter avec Compte académique" in page
    assert 'action="/accounts/oidc/academie/login/' in page

    response = client.post(
        "/accounts/login/",
        {"login": person.email, "password": "mot-de-passe-de-test"},
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert client.get("/", follow=False).status_code == 302  # still anonymous


def test_state_is_long_enough_for_proconnect():
    states = {get_adapter().generate_state_param({}) for _ in range(20)}
    assert len(states) == 20
    assert all(len(state) >= 32 for state in states)


def test_nonce_must_match():
    nonce = "n" * 43
    check_nonce({"nonce": nonce}, nonce)
    for id_token, expected in [({}, nonce), ({"nonce": "autre"}, nonce), ({"nonce": nonce}, None)]:
        with pytest.raises(OAuth2Error):
            check_nonce(id_token, expected)
