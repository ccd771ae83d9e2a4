"""The collectivité's progress on a ticket sent by e-mail (Creuse) or by hand (Corrèze
gestionnaire, Assistance ENT, AMÉRANA), recorded by the RRUPN: these tickets leave "Transmis",
count no more as open once resolved, and enter the SRANE's median time to resolution."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from maintenance.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Ticket,
    TicketCategory,
    TicketStatus,
)
from maintenance.tickets import services
from maintenance.tickets.selectors import by_collectivite
from maintenance.tickets.services import TicketError
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import Collectivite

from ..factories import EstablishmentFactory, RoleAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def creuse(db):
    return EstablishmentFactory(
        name="Collège Jules Marouzeau",
        department_code="23",
        collectivite=Collectivite.objects.get(code="cd23"),
    )


def staff(school, role):
    return RoleAssignmentFactory(establishment=school, role=role, yearly=True).user


def sent_ticket(school, reporter, channel_code="courriel-cd23", *, days_ago=10):
    """A ticket its channel took `days_ago` days ago (sent an hour after it was written)."""
    channel = Channel.objects.get(code=channel_code)
    ticket = Ticket.objects.create(
        establishment=school,
        reporter=reporter,
        category=TicketCategory.objects.get(code="poste"),
        title="Poste de la salle C3 bloqué",
        description="Écran bleu au démarrage.",
        status=TicketStatus.SENT,
        channel=channel,
        external_ref="RRUPN-ext",
    )
    created = timezone.now() - timedelta(days=days_ago)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=created)
    Delivery.objects.create(
        ticket=ticket,
        channel=channel,
        status=DeliveryStatus.SENT,
        external_ref=ticket.reference,
        sent_at=created + timedelta(hours=1),
    )
    ticket.refresh_from_db()
    return ticket


def urls(ticket):
    args = [ticket.establishment.uai, ticket.pk]
    return (
        reverse("maintenance:tickets_detail", args=args),
        reverse("maintenance:tickets_progress", args=args),
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_rrupn_records_each_step_of_an_e_mail_ticket(client, creuse):
    rrupn = staff(creuse, Role.RRUPN)
    ticket = sent_ticket(creuse, rrupn)
    detail, progress = urls(ticket)
    client.force_login(rrupn)
    page = client.get(detail).content.decode()
    assert "Avancement chez la collectivité" in page
    for label in ("Pris en compte", "En cours", "Résolu par la collectivité", "Clos"):
        assert label in page

    response = client.post(progress, {"step": "acknowledged", "comment": "Appel du CD23."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ACKNOWLEDGED and ticket.revision == 2
    entry = AuditEntry.objects.get(action="ticket.progress")
    assert (entry.actor, entry.comment) == (rrupn, "Appel du CD23.")
    assert entry.before["état"] == "sent" and entry.after["état"] == "acknowledged"
    page = client.get(detail).content.decode()
    assert 'value="acknowledged"' not in page and 'value="in_progress"' in page

    client.post(progress, {"step": "in_progress"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS

    resolved_on = timezone.localdate() - timedelta(days=2)
    response = client.post(
        progress, {"step": "resolved", "resolved_on": resolved_on.isoformat(), "comment": ""}
    )
    assert "noté comme résolu par la collectivité" in messages_of(response)[-1]
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED
    assert timezone.localdate(ticket.resolved_at) == resolved_on
    page = client.get(detail).content.decode()
    assert "résolu par Courriel au département de la Creuse le" in page  # the history
    # Resolved: only closing is left, and it keeps the resolution date.
    assert 'value="closed"' in page and 'value="resolved"' not in page
    client.post(progress, {"step": "closed"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert timezone.localdate(ticket.resolved_at) == resolved_on
    assert 'id="avancement"' not in client.get(detail).content.decode()  # nothing more


def test_a_handoff_ticket_closed_at_once_is_resolved_too(client, creuse):
    college19 = EstablishmentFactory(department_code="19")
    rrupn = staff(college19, Role.RRUPN)
    ticket = sent_ticket(college19, rrupn, "correze-gestionnaire")
    client.force_login(rrupn)
    response = client.post(urls(ticket)[1], {"step": "closed"})
    assert messages_of(response)[-1] == f"Incident {ticket.reference} noté comme clos."
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED and ticket.resolved_at is not None


def test_the_resolution_date_is_checked_and_nothing_changes_on_a_bad_one(client, creuse):
    rrupn = staff(creuse, Role.RRUPN)
    ticket = sent_ticket(creuse, rrupn, days_ago=10)
    detail, progress = urls(ticket)
    client.force_login(rrupn)
    page = client.get(detail).content.decode()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page  # today by default

    future = timezone.localdate() + timedelta(days=1)
    response = client.post(progress, {"step": "resolved", "resolved_on": future.isoformat()})
    assert messages_of(response)[-1] == "La date de résolution ne peut pas être dans le futur."
    before_sent = timezone.localdate(ticket.created_at) - timedelta(days=1)
    response = client.post(progress, {"step": "resolved", "resolved_on": before_sent.isoformat()})
    assert "ne peut pas précéder la transmission" in messages_of(response)[-1]
    response = client.post(progress, {"step": "resolved", "resolved_on": ""})
    assert response.status_code == 200
    assert "Indiquez la date de résolution." in response.content.decode()
    response = client.post(progress, {"step": "resolved", "resolved_on": "31/02/2026"})
    assert response.status_code == 200
    assert "Indiquez une date au format JJ/MM/AAAA." in response.content.decode()
    response = client.post(progress, {"step": "reopened"})
    assert messages_of(response)[-1] == "Choisissez l’avancement à noter."

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SENT and ticket.resolved_at is None
    assert ticket.revision == 1
    assert not AuditEntry.objects.filter(action="ticket.progress").exists()

    # The day it was sent is fine (and never before the moment it left).
    sent_day = timezone.localdate(ticket.created_at)
    client.post(progress, {"step": "resolved", "resolved_on": sent_day.isoformat()})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED
    assert ticket.resolved_at >= Delivery.objects.get(ticket=ticket).sent_at


def test_a_stale_double_submit_changes_nothing_more(client, creuse):
    rrupn = staff(creuse, Role.RRUPN)
    ticket = sent_ticket(creuse, rrupn)
    progress = urls(ticket)[1]
    client.force_login(rrupn)
    client.post(progress, {"step": "acknowledged"})
    response = client.post(progress, {"step": "acknowledged"})
    assert messages_of(response)[-1] == (
        f"L'incident {ticket.reference} est déjà « Pris en compte » : rien n'a été modifié."
    )
    client.post(progress, {"step": "closed"})
    response = client.post(progress, {"step": "in_progress"})
    assert "est déjà « Clos »" in messages_of(response)[-1]
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED and ticket.revision == 3
    assert AuditEntry.objects.filter(action="ticket.progress").count() == 2


def test_a_glpi_ticket_takes_its_status_from_glpi_only(client, school):
    rrupn = staff(school, Role.RRUPN)
    ticket = sent_ticket(school, rrupn, "glpi-cd87")
    detail, progress = urls(ticket)
    client.force_login(rrupn)
    assert 'id="avancement"' not in client.get(detail).content.decode()
    response = client.post(progress, {"step": "resolved", "resolved_on": "2026-01-05"})
    assert "est suivi dans GLPI" in messages_of(response)[-1]
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SENT and ticket.resolved_at is None
    with pytest.raises(TicketError, match="suivi dans GLPI"):
        services.ticket_record_progress(
            ticket=ticket, user=rrupn, roles={Role.RRUPN}, step="closed"
        )


def test_a_teacher_cannot_record_progress(client, creuse):
    teacher = staff(creuse, Role.TEACHER)
    ticket = sent_ticket(creuse, teacher)
    client.force_login(teacher)
    assert client.post(urls(ticket)[1], {"step": "closed"}).status_code == 403
    with pytest.raises(TicketError, match="Seuls le RRUPN"):
        services.ticket_record_progress(
            ticket=ticket, user=teacher, roles={Role.TEACHER}, step="closed"
        )
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SENT


def test_the_srane_median_and_the_checklist_count_an_e_mail_ticket_resolved_by_hand(client, creuse):
    rrupn = staff(creuse, Role.RRUPN)
    ticket = sent_ticket(creuse, rrupn, days_ago=10)
    (line,) = by_collectivite(["23"])
    assert (line.open_count, line.resolved_count, line.median_resolution) == (1, 0, None)
    client.force_login(rrupn)
    checklist = reverse("dashboard:establishment", args=[creuse.uai])
    assert "1 incident ouvert · le plus ancien a 10 jours" in client.get(checklist).content.decode()

    resolved_on = timezone.localdate() - timedelta(days=4)
    client.post(urls(ticket)[1], {"step": "resolved", "resolved_on": resolved_on.isoformat()})

    (line,) = by_collectivite(["23"])
    assert (line.open_count, line.resolved_count) == (0, 1)
    assert timedelta(days=5) < line.median_resolution < timedelta(days=7)
    assert "Aucun incident ouvert" in client.get(checklist).content.decode()
