"""Factories and fixtures of the delivery tests (tickets and channels built from the models)."""

import pytest
from django.core.files.base import ContentFile

from maintenance.delivery.crypto import encrypt
from maintenance.models import (
    Channel,
    ChannelCredential,
    ChannelKind,
    Delivery,
    Ticket,
    TicketAttachment,
    TicketCategory,
    TicketStatus,
)
from tests.factories import EstablishmentFactory, UserFactory

from .fake_glpi import FakeGlpi

PNG = b"\x89PNG\r\n\x1a\n" + b"photo-du-videoprojecteur" * 10


@pytest.fixture(name="glpi")
def glpi_fixture(settings):
    settings.MAINTENANCE_HTTP_TIMEOUT = 1
    fake = FakeGlpi().start()
    yield fake
    fake.stop()


@pytest.fixture(name="media")
def media_fixture(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def glpi_channel(url: str, *, app_token="app-secret", code="glpi-test") -> Channel:
    channel = Channel.objects.create(code=code, name="GLPI de test", kind=ChannelKind.GLPI, url=url)
    if app_token:
        ChannelCredential.objects.create(
            channel=channel, establishment=None, name="app_token", ciphertext=encrypt(app_token)
        )
    return channel


def user_token(channel, establishment, token="user-secret"):
    ChannelCredential.objects.update_or_create(
        channel=channel,
        establishment=establishment,
        name="user_token",
        defaults={"ciphertext": encrypt(token)},
    )


def make_ticket(
    channel, *, establishment=None, attachments=0, title="Vidéoprojecteur B12 en panne"
):
    establishment = establishment or EstablishmentFactory(name="Collège Jean Moulin")
    category, _ = TicketCategory.objects.get_or_create(
        code="video", defaults={"label": "Vidéoprojection"}
    )
    ticket = Ticket.objects.create(
        establishment=establishment,
        reporter=UserFactory(first_name="Camille", last_name="Fauvette"),
        category=category,
        title=title,
        description="Plus d'image depuis ce matin.\nLa lampe clignote.",
        room="B12",
        equipment="Vidéoprojecteur Epson",
        status=TicketStatus.QUEUED,
        channel=channel,
    )
    for n in range(attachments):
        attachment = TicketAttachment(
            ticket=ticket, original_name=f"photo{n}.png", content_type="image/png", size=len(PNG)
        )
        attachment.file.save(f"photo{n}.png", ContentFile(PNG), save=False)
        attachment.save()
    return ticket


def make_delivery(ticket) -> Delivery:
    return Delivery.objects.create(ticket=ticket, channel=ticket.channel)


def retry_due(delivery, capture) -> Delivery:
    """The sweeper once the delivery's back-off is over; the row as it then is."""
    from datetime import timedelta

    from maintenance.delivery.services import deliveries_sweep

    delivery.refresh_from_db()
    with capture(execute=True):
        deliveries_sweep(now=delivery.next_attempt_at + timedelta(seconds=1))
    delivery.refresh_from_db()
    return delivery


def enqueue(ticket, capture) -> Delivery:
    """Like the tickets part: the row in the ticket's transaction, the task after commit."""
    from django.db import transaction

    from maintenance.delivery.services import delivery_enqueue

    with capture(execute=True), transaction.atomic():
        delivery = make_delivery(ticket)
        delivery_enqueue(delivery=delivery)
    delivery.refresh_from_db()
    ticket.refresh_from_db()
    return delivery
