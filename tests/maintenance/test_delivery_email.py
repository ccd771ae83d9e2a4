"""Incidents by e-mail (the Creuse département) through a real SMTP server on loopback."""

import email
import email.policy
from datetime import timedelta

import pytest

from maintenance.delivery.services import deliveries_sweep
from maintenance.models import Channel, ChannelKind, DeliveryStatus, TicketStatus

from .delivery_helpers import PNG, enqueue, make_ticket, media_fixture  # noqa: F401
from .smtp_server import SmtpServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    yield server
    server.stop()


@pytest.fixture
def ticket(media):
    channel = Channel.objects.create(
        code="courriel-test",
        name="Département de la Creuse",
        kind=ChannelKind.EMAIL,
        email_to="assistance@creuse.fr",
    )
    return make_ticket(channel, attachments=1)


def test_message_carries_the_reference_school_and_photo(
    smtp, ticket, django_capture_on_commit_callbacks
):
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)

    assert delivery.status == DeliveryStatus.SENT
    assert delivery.external_ref == ticket.reference and ticket.status == TicketStatus.SENT
    [raw] = smtp.messages
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert ticket.reference in message["Subject"] and "Collège Jean Moulin" in message["Subject"]
    assert message["To"] == "assistance@creuse.fr"
    body = message.get_body(("plain",)).get_content()
    school = ticket.establishment
    assert f"UAI {school.uai}" in body and "camille.fauvette@ac-limoges.fr" in body
    assert "Salle : B12" in body and str(ticket.category) in body and "La lampe clignote" in body
    [photo] = list(message.iter_attachments())
    assert photo.get_filename() == "photo0.png" and photo.get_content() == PNG


def test_temporary_refusal_is_retried(smtp, ticket, django_capture_on_commit_callbacks):
    smtp.rcpt_reply = "450 4.2.1 Mailbox busy"
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.QUEUED
    assert "450" in delivery.last_error and smtp.messages == []

    smtp.rcpt_reply = "250 OK"
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_sweep(now=delivery.next_attempt_at + timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and len(smtp.messages) == 1


def test_permanent_refusal_fails_with_the_reason(smtp, ticket, django_capture_on_commit_callbacks):
    smtp.refuse["assistance@creuse.fr"] = "550 5.1.1 Unknown user"
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    ticket.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.permanent_failure
    assert "refusé le message (550" in delivery.last_error
    assert ticket.status == TicketStatus.FAILED
    # The reporter is told (through the same server, which takes their address).
    [raw] = smtp.messages
    notice = email.message_from_bytes(raw, policy=email.policy.default)
    assert notice["To"] == ticket.reporter.email
    assert f"Échec de transmission de l'incident {ticket.reference}" in notice["Subject"]


def test_unreachable_server_is_retried(settings, ticket, django_capture_on_commit_callbacks):
    server = SmtpServer()  # bound then closed: nobody listens on that port any more
    port = server.port
    server.server.server_close()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.QUEUED
    assert "injoignable" in delivery.last_error


def test_handoff_channel_waits_for_a_person(media, django_capture_on_commit_callbacks):
    channel = Channel.objects.create(
        code="gestionnaire-test", name="Gestionnaire", kind=ChannelKind.HANDOFF
    )
    delivery = enqueue(make_ticket(channel), django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.WAITING_MANUAL and delivery.attempts == 0
