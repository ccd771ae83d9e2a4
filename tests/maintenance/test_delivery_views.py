"""The pages of the delivery part: the school's outbox with "échec — réessayer", the head's GLPI
user token, the SRANE's application tokens; secrets encrypted and never shown back."""

import pytest
from django.urls import reverse

from maintenance.delivery.crypto import decrypt, read_secret
from maintenance.models import Channel, ChannelCredential, Delivery, DeliveryStatus, TicketStatus
from rrupn.audit.models import AuditEntry
from tests.conftest import make_persona

from .delivery_helpers import (  # noqa: F401  (fixtures glpi, media)
    glpi_channel,
    glpi_fixture,
    make_delivery,
    make_ticket,
    media_fixture,
    user_token,
)

pytestmark = pytest.mark.django_db


def failed_delivery(channel, school, error="Jeton utilisateur GLPI refusé : …"):
    ticket = make_ticket(channel, establishment=school)
    delivery = make_delivery(ticket)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, permanent_failure=True, attempts=1, last_error=error
    )
    ticket.status = TicketStatus.FAILED
    ticket.save()
    return delivery


def test_rrupn_sees_the_failure_and_retries(
    client, school, glpi, media, django_capture_on_commit_callbacks
):
    channel = glpi_channel(glpi.url)
    delivery = failed_delivery(channel, school)
    client.force_login(make_persona("rrupn", school))
    page = client.get(reverse("maintenance:delivery_list", args=[school.uai])).content.decode()
    assert "Échec — réessayer" in page and "Jeton utilisateur GLPI refusé" in page

    user_token(channel, school)  # the head has fixed the token meanwhile
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("maintenance:delivery_retry", args=[school.uai, delivery.pk]), follow=True
        )
    assert "Nouvel essai d’envoi" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and len(glpi.tickets) == 1
    assert delivery.ticket.__class__.objects.get(pk=delivery.ticket_id).status == "sent"

    again = client.post(
        reverse("maintenance:delivery_retry", args=[school.uai, delivery.pk]), follow=True
    )
    assert "n’est pas en échec" in again.content.decode()


def test_another_schools_delivery_is_not_found(client, school, other_school, media):
    channel = glpi_channel("http://127.0.0.1:9/apirest.php")
    delivery = failed_delivery(channel, other_school)
    client.force_login(make_persona("rrupn", school))
    url = reverse("maintenance:delivery_retry", args=[school.uai, delivery.pk])
    assert client.post(url).status_code == 404
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.FAILED


def test_outbox_queries_do_not_grow_with_rows(client, school, media, django_assert_max_num_queries):
    channel = glpi_channel("http://127.0.0.1:9/apirest.php")
    client.force_login(make_persona("rrupn", school))
    url = reverse("maintenance:delivery_list", args=[school.uai])
    failed_delivery(channel, school)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        failed_delivery(channel, school)
    with django_assert_max_num_queries(len(one)):
        assert client.get(url).content.decode().count("Échec — réessayer") == 5


def test_head_sets_the_user_token_encrypted_and_never_shown(client, school):
    head = make_persona("head", school)
    client.force_login(head)
    url = reverse("maintenance:delivery_credentials", args=[school.uai])
    channel = Channel.objects.get(code="glpi-cd87")  # the guide's route for a collège of 87
    page = client.get(url).content.decode()
    assert channel.name in page and "Aucun jeton" in page

    client.post(url, {"channel": channel.pk, "token": "  jeton-tres-secret  "})
    row = ChannelCredential.objects.get(channel=channel, establishment=school, name="user_token")
    assert "jeton-tres-secret" not in row.ciphertext
    assert decrypt(row.ciphertext) == "jeton-tres-secret"
    page = client.get(url).content.decode()
    assert "jeton-tres-secret" not in page and "Jeton enregistré le" in page
    entry = AuditEntry.objects.get(action="maintenance.channel.secret")
    assert "jeton-tres-secret" not in entry.summary and entry.actor == head


def test_head_token_refusals_save_nothing(client, school):
    client.force_login(make_persona("head", school))
    url = reverse("maintenance:delivery_credentials", args=[school.uai])
    region = Channel.objects.get(code="glpi-region")  # lycées only
    cd87 = Channel.objects.get(code="glpi-cd87")
    empty = client.post(url, {"channel": cd87.pk, "token": "   "}).content.decode()
    assert "Saisissez le jeton." in empty
    foreign = client.post(url, {"channel": region.pk, "token": "x"}).content.decode()
    assert "ne dessert pas votre établissement" in foreign
    assert not ChannelCredential.objects.exists()


def test_srane_academie_sets_the_app_token_and_departement_cannot(client, school):
    channel = Channel.objects.get(code="glpi-region")
    url = reverse("maintenance_srane:delivery_channel_token", args=[channel.pk])
    client.force_login(make_persona("srane_department", school))
    assert client.post(url, {"token": "app"}).status_code == 403
    assert (
        "Enregistrer le jeton"
        not in client.get(reverse("maintenance_srane:delivery_channels")).content.decode()
    )

    client.force_login(make_persona("srane_academie", school))
    client.post(url, {"token": "jeton-application"})
    assert read_secret(channel=channel, establishment=None, name="app_token") == (
        "jeton-application"
    )
    page = client.get(reverse("maintenance_srane:delivery_channels")).content.decode()
    assert "Jeton d’application enregistré le" in page and "jeton-application" not in page


def test_a_secret_written_under_another_key_is_unreadable(settings, school):
    channel = Channel.objects.get(code="glpi-cd87")
    settings.FIELD_ENCRYPTION_KEY = "premiere-cle-de-chiffrement-0123456789"
    user_token(channel, school, token="secret")
    assert read_secret(channel=channel, establishment=school, name="user_token") == "secret"
    settings.FIELD_ENCRYPTION_KEY = "autre-cle-de-chiffrement-9876543210"
    assert read_secret(channel=channel, establishment=school, name="user_token") is None


def test_retry_from_the_ticket_page_returns_to_the_ticket_page(
    client, school, glpi, media, django_capture_on_commit_callbacks
):
    channel = glpi_channel(glpi.url)
    delivery = failed_delivery(channel, school)
    user_token(channel, school)
    client.force_login(make_persona("rrupn", school))
    ticket_url = reverse("maintenance:tickets_detail", args=[school.uai, delivery.ticket_id])
    page = client.get(ticket_url).content.decode()
    assert f'name="next" value="{ticket_url}"' in page  # the button's form says where it is

    retry = reverse("maintenance:delivery_retry", args=[school.uai, delivery.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry, {"next": ticket_url})
    assert response.status_code == 302 and response.headers["Location"] == ticket_url
    back = client.get(ticket_url).content.decode()
    assert "Nouvel essai d’envoi" in back and "Transmis" in back
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT


def test_retry_from_the_outbox_or_with_a_foreign_next_returns_to_the_outbox(client, school, media):
    channel = glpi_channel("http://127.0.0.1:9/apirest.php")
    client.force_login(make_persona("rrupn", school))
    outbox = reverse("maintenance:delivery_list", args=[school.uai])
    for next_ in ("", "https://ailleurs.example.org/piege"):
        delivery = failed_delivery(channel, school)
        retry = reverse("maintenance:delivery_retry", args=[school.uai, delivery.pk])
        response = client.post(retry, {"next": next_} if next_ else {})
        assert response.headers["Location"] == outbox
