"""GLPI 11 on the high-level API v2 (the `glpi11_hl` flavour), against the fake GLPI over HTTP
with its legacy API disabled: OAuth2 password grant, ticket by `external_id`, followups,
status sync, token renewal, no duplicate after a timeout, the failures people must act on, and
the SRANE's and the head's forms for the new secrets."""

import html
from datetime import timedelta

import pytest
import requests
from django.urls import reverse

from maintenance.delivery.crypto import encrypt, read_secret
from maintenance.delivery.services import delivery_enqueue, glpi_status_sync
from maintenance.models import (
    Channel,
    ChannelCredential,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Followup,
    GlpiCategoryMapping,
    GlpiFlavour,
    TicketStatus,
)
from rrupn.audit.models import AuditEntry
from tests.conftest import make_persona

from .delivery_helpers import (  # noqa: F401  (fixtures glpi, media)
    enqueue,
    glpi_fixture,
    make_ticket,
    media_fixture,
    retry_due,
)

pytestmark = pytest.mark.django_db

HL_RESOURCES = ("token", "Assistance/Ticket")


def hl_channel(glpi, *, client_id="portail-rrupn", client_secret="client-secret"):
    glpi.legacy_api = False  # a GLPI 11 that disabled the legacy API
    channel = Channel.objects.create(
        code="glpi-hl",
        name="GLPI 11 du département",
        kind=ChannelKind.GLPI,
        url=f"{glpi.root}/api.php/",  # normalised: the root, or …/api.php[/v2]
        glpi_flavour=GlpiFlavour.GLPI11_HL,
    )
    for name, value in (("oauth_client_id", client_id), ("oauth_client_secret", client_secret)):
        if value:
            secret(channel, None, name, value)
    return channel


def secret(channel, establishment, name, value):
    ChannelCredential.objects.update_or_create(
        channel=channel,
        establishment=establishment,
        name=name,
        defaults={"ciphertext": encrypt(value)},
    )


def school_account(channel, establishment, password="mot-de-passe"):
    secret(channel, establishment, "api_username", "api-college")
    secret(channel, establishment, "api_password", password)


@pytest.fixture
def hl_ticket(glpi, media):
    channel = hl_channel(glpi)
    ticket = make_ticket(channel, attachments=1)
    school_account(channel, ticket.establishment)
    return ticket


def only_hl_calls(glpi) -> bool:
    return all(resource.startswith(HL_RESOURCES) for _, resource in glpi.requests)


@pytest.mark.parametrize("create_status", [200, 201])
def test_ticket_created_once_with_external_id_and_category(
    glpi, hl_ticket, create_status, django_capture_on_commit_callbacks
):
    glpi.hl_create_status = create_status  # GLPI's code answers 200, its OpenAPI 201
    GlpiCategoryMapping.objects.create(
        channel=hl_ticket.channel, category=hl_ticket.category, glpi_category_id=5
    )
    delivery = enqueue(hl_ticket, django_capture_on_commit_callbacks)

    assert delivery.status == DeliveryStatus.SENT, delivery.last_error
    [created] = glpi.tickets.values()
    assert delivery.external_ref == str(created["id"])
    assert created["externalid"] == hl_ticket.reference and created["itilcategories_id"] == 5
    [sent] = glpi.hl_inputs
    assert sent["type"] == 1 and sent["external_id"] == hl_ticket.reference
    assert sent["category"] == 5 and "itilcategories_id" not in sent
    content = html.unescape(sent["content"])
    assert "photo0.png" in content and "conservées dans le portail" in content
    assert glpi.documents == []  # no legacy upload
    assert hl_ticket.external_url == f"{glpi.root}/front/ticket.form.php?id={created['id']}"
    assert glpi.requests.count(("POST", "token")) == 1 and only_hl_calls(glpi)


def test_followup_is_posted_once_even_after_a_timeout(
    glpi, hl_ticket, django_capture_on_commit_callbacks
):
    enqueue(hl_ticket, django_capture_on_commit_callbacks)
    glpi_id = int(hl_ticket.external_ref)
    followup = Followup.objects.create(
        ticket=hl_ticket, author=hl_ticket.reporter, content="Toujours en panne."
    )
    glpi.slow_after("POST", f"Assistance/Ticket/{glpi_id}/Timeline/Followup", seconds=2)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = Delivery.objects.create(
            ticket=hl_ticket, channel=hl_ticket.channel, followup=followup
        )
        delivery_enqueue(delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED  # posted, but the answer came too late

    delivery = retry_due(delivery, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.SENT
    [posted] = glpi.followups  # found by its reference, not posted again
    assert posted["items_id"] == glpi_id and not posted["is_private"]
    assert "Toujours en panne." in posted["content"] and followup.reference in posted["content"]
    assert delivery.external_ref == str(posted["id"])
    assert only_hl_calls(glpi)


def test_status_sync_maps_glpi_statuses(glpi, hl_ticket, django_capture_on_commit_callbacks):
    enqueue(hl_ticket, django_capture_on_commit_callbacks)
    glpi_id = int(hl_ticket.external_ref)
    glpi.tickets[glpi_id]["status"] = 2
    assert glpi_status_sync() == 1
    hl_ticket.refresh_from_db()
    assert hl_ticket.status == TicketStatus.ACKNOWLEDGED

    glpi.tickets[glpi_id]["status"] = 5
    glpi.tickets[glpi_id]["date_mod"] = "2999-01-01 00:00:00"
    assert glpi_status_sync() == 1
    hl_ticket.refresh_from_db()
    assert hl_ticket.status == TicketStatus.RESOLVED and hl_ticket.resolved_at
    assert glpi_status_sync() == 0  # nothing changed since
    assert only_hl_calls(glpi)


def test_status_search_follows_206_pages(glpi, hl_ticket, django_capture_on_commit_callbacks):
    from maintenance.channels.glpi import GlpiTransport

    enqueue(hl_ticket, django_capture_on_commit_callbacks)
    glpi_id = int(hl_ticket.external_ref)
    ids = [glpi_id, *range(10_000, 10_025)]
    for n in ids[1:]:
        glpi.tickets[n] = {**glpi.tickets[glpi_id], "id": n, "status": 4}
    glpi.hl_max_limit = 10  # the server caps the page: 206 + Content-Range
    glpi.requests.clear()
    client = GlpiTransport(hl_ticket.channel).client(hl_ticket.establishment)
    statuses = client.statuses_since(hl_ticket.created_at - timedelta(days=1), ids)
    assert statuses == {glpi_id: 1, **{n: 4 for n in ids[1:]}}
    assert glpi.requests.count(("GET", "Assistance/Ticket")) == 3


def test_expired_token_midway_takes_a_new_one_and_makes_one_ticket(
    glpi, hl_ticket, django_capture_on_commit_callbacks
):
    glpi.fail_next("POST", "Assistance/Ticket", status=503)
    delivery = enqueue(hl_ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.QUEUED and "503" in delivery.last_error

    glpi.token_ttl_calls = 1  # the retry's search spends the token; the creation is refused
    delivery = retry_due(delivery, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.SENT, delivery.last_error
    assert len(glpi.tickets) == 1
    assert glpi.requests.count(("POST", "token")) == 3  # first try, retry, renewal
    assert glpi.requests.count(("POST", "Assistance/Ticket")) == 3  # 503, refused, created


def test_timeout_after_creating_finds_the_ticket_by_external_id(
    glpi, hl_ticket, django_capture_on_commit_callbacks
):
    glpi.slow_after("POST", "Assistance/Ticket", seconds=2)  # the client gives up after 1 s
    delivery = enqueue(hl_ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.QUEUED
    assert "n'a pas répondu à temps" in delivery.last_error
    [created] = glpi.tickets.values()
    created["name"] = "Vidéoprojecteur salle B12"  # a technician retitles it

    delivery = retry_due(delivery, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.SENT
    assert list(glpi.tickets) == [created["id"]]
    assert delivery.external_ref == str(created["id"])
    assert glpi.requests.count(("POST", "Assistance/Ticket")) == 1
    assert ("GET", "Assistance/Ticket") in glpi.requests


@pytest.mark.parametrize(
    "break_it, expected",
    [
        ("client_secret", "Client authentication failed"),
        ("password", "le chef d'établissement doit les saisir"),
        ("scope", "la portée « api »"),
    ],
)
def test_refused_credentials_fail_for_good_and_the_ticket_page_offers_a_retry(
    client, school, glpi, media, break_it, expected, django_capture_on_commit_callbacks
):
    channel = hl_channel(
        glpi, client_secret="pas-le-bon" if break_it == "client_secret" else "client-secret"
    )
    ticket = make_ticket(channel, establishment=school)
    school_account(channel, school, password="faux" if break_it == "password" else "mot-de-passe")
    if break_it == "scope":  # the OAuth client lacks the `api` scope: 403 on the API calls
        glpi.oauth_clients["portail-rrupn"]["scopes"] = {"user"}

    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.FAILED and delivery.permanent_failure
    assert expected in delivery.last_error
    assert glpi.tickets == {}
    if break_it == "client_secret":
        assert "le SRANE doit vérifier" in delivery.last_error

    client.force_login(make_persona("rrupn", school))
    page = html.unescape(
        client.get(
            reverse("maintenance:tickets_detail", args=[school.uai, ticket.pk])
        ).content.decode()
    )
    assert "Échec — réessayer" in page and expected in page


def test_missing_secrets_name_who_must_enter_them(
    glpi, media, school, django_capture_on_commit_callbacks
):
    channel = hl_channel(glpi, client_id=None, client_secret=None)
    first = enqueue(make_ticket(channel, establishment=school), django_capture_on_commit_callbacks)
    assert first.status == DeliveryStatus.FAILED and first.permanent_failure
    assert "le SRANE doit le saisir" in first.last_error
    assert "le chef d'établissement doit les saisir" in first.last_error

    secret(channel, None, "oauth_client_id", "portail-rrupn")
    secret(channel, None, "oauth_client_secret", "client-secret")
    secret(channel, school, "api_username", "api-college")  # no password yet
    second = enqueue(make_ticket(channel, establishment=school), django_capture_on_commit_callbacks)
    assert second.status == DeliveryStatus.FAILED
    assert "chef d'établissement" in second.last_error and "SRANE" not in second.last_error
    assert glpi.requests == []


def test_srane_sets_the_oauth_client_and_only_the_academie_can(client, school, glpi):
    channel = hl_channel(glpi, client_id=None, client_secret=None)
    url = reverse("maintenance_srane:delivery_channel_token", args=[channel.pk])
    page_url = reverse("maintenance_srane:delivery_channels")
    client.force_login(make_persona("srane_department", school))
    assert client.post(url, {"name": "oauth_client_secret", "token": "x"}).status_code == 403

    srane = make_persona("srane_academie", school)
    client.force_login(srane)
    section = client.get(page_url).content.decode().split('id="canal-glpi-hl"')[1]
    section = section.split("</section>")[0]
    assert "Aucun secret de client OAuth" in section and "Jeton d’application" not in section

    refused = client.post(url, {"name": "oauth_client_secret", "token": "  "}, follow=True)
    assert "« Secret du client OAuth » est vide" in html.unescape(refused.content.decode())
    wrong = client.post(url, {"name": "app_token", "token": "jeton"}, follow=True)
    assert "ne sert pas à ce canal" in wrong.content.decode()
    assert not ChannelCredential.objects.filter(channel=channel).exists()

    client.post(url, {"name": "oauth_client_id", "token": "portail-rrupn"})
    client.post(url, {"name": "oauth_client_secret", "token": "secret-tres-long"})
    assert read_secret(channel=channel, establishment=None, name="oauth_client_secret") == (
        "secret-tres-long"
    )
    page = client.get(page_url).content.decode()
    section = page.split('id="canal-glpi-hl"')[1].split("</section>")[0]
    assert "Identifiant du client OAuth enregistré le" in section
    assert "Secret du client OAuth enregistré le" in section
    assert "secret-tres-long" not in page and "portail-rrupn" not in page
    entries = AuditEntry.objects.filter(action="maintenance.channel.secret")
    assert entries.count() == 2 and all(e.actor == srane for e in entries)
    assert not any("secret-tres-long" in e.summary for e in entries)


def test_head_sets_the_glpi_account_of_the_school(client, school):
    channel = Channel.objects.get(code="glpi-cd87")  # the route of a collège of 87
    channel.glpi_flavour = GlpiFlavour.GLPI11_HL
    channel.save()
    url = reverse("maintenance:delivery_credentials", args=[school.uai])
    client.force_login(make_persona("rrupn", school))
    assert client.get(url).status_code == 403
    head = make_persona("head", school)
    client.force_login(head)
    page = client.get(url).content.decode()
    section = page.split(f'id="canal-{channel.code}"')[1].split("</section>")[0]
    assert "Aucun mot de passe GLPI" in section and "Jeton d’API" not in section

    empty = html.unescape(
        client.post(
            url, {"channel": channel.pk, "name": "api_password", "token": " "}
        ).content.decode()
    )
    assert "« Mot de passe de ce compte GLPI » est vide" in empty
    wrong = client.post(url, {"channel": channel.pk, "name": "user_token", "token": "x"})
    assert "ne sert pas à ce canal" in wrong.content.decode()
    assert not ChannelCredential.objects.exists()

    client.post(url, {"channel": channel.pk, "name": "api_username", "token": "college-jm"})
    client.post(url, {"channel": channel.pk, "name": "api_password", "token": "mdp-secret"})
    assert read_secret(channel=channel, establishment=school, name="api_password") == "mdp-secret"
    page = client.get(url).content.decode()
    assert "Identifiant GLPI enregistré le" in page and "Mot de passe GLPI enregistré le" in page
    assert "mdp-secret" not in page and "college-jm" not in page
    entries = AuditEntry.objects.filter(action="maintenance.channel.secret", actor=head)
    assert entries.count() == 2 and not any("mdp-secret" in e.summary for e in entries)


def test_fake_token_endpoint_follows_the_contract(glpi):
    """The fake's OAuth2 endpoint and auth errors as §4.2 / §4.6 describe them."""
    token_url, api = f"{glpi.root}/api.php/token", f"{glpi.root}/api.php/v2/Assistance/Ticket"
    user = {"grant_type": "password", "username": "api-college", "password": "mot-de-passe"}
    bad = requests.post(token_url, json={**user, "client_id": "x", "client_secret": "y"})
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
    basic = requests.post(
        token_url, auth=("portail-rrupn", "client-secret"), json={**user, "scope": "api"}
    )
    assert basic.status_code == 200 and basic.json()["expires_in"] == 3600
    refreshed = requests.post(
        token_url,
        data={
            "grant_type": "refresh_token",
            "refresh_token": basic.json()["refresh_token"],
            "client_id": "portail-rrupn",
            "client_secret": "client-secret",
        },
    )
    bearer = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    assert requests.get(api, headers=bearer).status_code == 200
    assert requests.get(api).json()["status"] == "ERROR_UNAUTHENTICATED"
    glpi.expire_tokens()
    expired = requests.get(api, headers=bearer)
    assert expired.status_code == 400 and expired.json()["title"] == "Invalid OAuth token"
