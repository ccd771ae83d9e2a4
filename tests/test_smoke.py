import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_is_public(client):
    assert client.get(reverse("health")).content == b"ok"


def test_anonymous_is_sent_to_login(client, school):
    response = client.get(reverse("dashboard:establishment", args=[school.uai]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_login_page_is_french(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert "Connexion au portail RRUPN" in response.content.decode()


def test_rrupn_sees_dashboard(client, persona_user, school):
    client.force_login(persona_user("rrupn"))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert school.name in body
    assert "RRUPN désigné pour l’année scolaire" in body or "RRUPN désigné" in body
