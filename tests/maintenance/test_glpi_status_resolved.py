"""The GLPI status sync and the SRANE's median time to resolution: a ticket GLPI closes between
two syncs (2 → 6, never seen at 5 "résolu") is resolved too, and counts in the median."""

import pytest

from maintenance.delivery.services import glpi_status_sync
from maintenance.models import TicketStatus
from maintenance.tickets.selectors import by_collectivite

from .delivery_helpers import (  # noqa: F401  (fixtures glpi, media)
    enqueue,
    glpi_channel,
    glpi_fixture,
    make_ticket,
    media_fixture,
    user_token,
)

pytestmark = pytest.mark.django_db


def test_a_ticket_closed_in_glpi_without_being_seen_resolved_gets_its_resolution_date(
    glpi, media, django_capture_on_commit_callbacks
):
    channel = glpi_channel(glpi.url)
    ticket = make_ticket(channel)
    user_token(channel, ticket.establishment)
    enqueue(ticket, django_capture_on_commit_callbacks)
    glpi_id = int(ticket.external_ref)

    glpi.tickets[glpi_id]["status"] = 2
    assert glpi_status_sync() == 1
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ACKNOWLEDGED and ticket.resolved_at is None

    glpi.tickets[glpi_id]["status"] = 6  # solved and closed between two syncs
    glpi.tickets[glpi_id]["date_mod"] = "2999-01-01 00:00:00"
    assert glpi_status_sync() == 1
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert ticket.resolved_at is not None
    (line,) = by_collectivite([ticket.establishment.department])
    assert line.resolved_count == 1 and line.median_resolution is not None
