"""Per-channel GLPI options, against the fake GLPI over HTTP: the API flavour (GLPI 11 writes the
portal reference in `externalid` and finds a previous attempt's ticket by it) and the mapping of
the portal's categories to GLPI's `itilcategories_id`."""

from datetime import timedelta

import pytest

from maintenance.delivery.services import deliveries_sweep
from maintenance.models import DeliveryStatus, GlpiFlavour

from .delivery_helpers import (  # noqa: F401  (fixtures glpi, media)
    enqueue,
    glpi_channel,
    glpi_fixture,
    make_ticket,
    media_fixture,
    user_token,
)

pytestmark = pytest.mark.django_db


def retry_due(delivery, capture):
    delivery.refresh_from_db()
    with capture(execute=True):
        deliveries_sweep(now=delivery.next_attempt_at + timedelta(seconds=1))
    delivery.refresh_from_db()
    return delivery


def glpi11_ticket(glpi):
    glpi.version = 11
    channel = glpi_channel(glpi.url)
    channel.glpi_flavour = GlpiFlavour.GLPI11
    channel.save()
    ticket = make_ticket(channel)
    user_token(channel, ticket.establishment)
    return ticket


def test_glpi11_writes_the_reference_in_externalid(glpi, media, django_capture_on_commit_callbacks):
    ticket = glpi11_ticket(glpi)
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.SENT
    [created] = glpi.tickets.values()
    assert created["externalid"] == ticket.reference


def test_glpi11_retry_finds_the_ticket_by_externalid(
    glpi, media, django_capture_on_commit_callbacks
):
    ticket = glpi11_ticket(glpi)
    glpi.slow_after("POST", "Ticket", seconds=2)  # created, but the client gave up waiting
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.QUEUED
    [created] = glpi.tickets.values()
    # A technician retitles it: a search by title would miss it, externalid does not.
    created["name"] = "Vidéoprojecteur salle B12"
    glpi.tickets[created["id"] + 50] = {**created, "id": created["id"] + 50, "externalid": "X-1"}

    delivery = retry_due(delivery, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.external_ref == str(created["id"])
    assert glpi.requests.count(("POST", "Ticket")) == 1
    assert ("GET", "Ticket") in glpi.requests  # searchText[externalid]
    assert ("GET", "search/Ticket") not in glpi.requests


def test_legacy_flavour_sends_no_externalid_and_searches_the_title(
    glpi, media, django_capture_on_commit_callbacks
):
    glpi.version = 11  # even on a GLPI 11, a channel left on "legacy" behaves as before
    channel = glpi_channel(glpi.url)
    assert channel.glpi_flavour == GlpiFlavour.LEGACY
    ticket = make_ticket(channel)
    user_token(channel, ticket.establishment)
    glpi.fail_next("POST", "Ticket", status=500)
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    delivery = retry_due(delivery, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.SENT
    [created] = glpi.tickets.values()
    assert created["externalid"] is None
    assert ("GET", "search/Ticket") in glpi.requests
