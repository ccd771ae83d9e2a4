"""E-mails when something of the maintenance app waits for a person (Django's mail outbox, tasks
eager, sent at commit): a lycée incident in the head's inbox, a delivery failed for good, an
equipment need to validate. Never to the person who caused it."""

import pytest
from django.core import mail

from maintenance.equipment import services as equipment
from maintenance.equipment.services import NeedData
from maintenance.models import DeliveryStatus, TicketCategory, TicketStatus
from maintenance.tickets import services as tickets
from maintenance.tickets.services import TicketData
from rrupn.accounts.models import Role
from rrupn.establishments.models import SchoolYear
from tests.factories import EstablishmentFactory, RoleAssignmentFactory, UserFactory

from .delivery_helpers import (  # noqa: F401  (fixtures glpi, media)
    enqueue,
    glpi_channel,
    glpi_fixture,
    make_ticket,
    media_fixture,
    user_token,
)

pytestmark = pytest.mark.django_db


def staff(school, role, name):
    user = UserFactory(first_name=name, last_name=school.uai)
    RoleAssignmentFactory(user=user, establishment=school, role=role, yearly=role == Role.RRUPN)
    return user


def to(message) -> set[str]:
    return set(message.to)


def test_lycee_ticket_waiting_for_the_head_tells_the_direction(
    media, django_capture_on_commit_callbacks
):
    lycee = EstablishmentFactory(name="Lycée Cabanis", department_code="19", kind="lycee")
    rrupn = staff(lycee, Role.RRUPN, "Hugo")
    head, deputy = staff(lycee, Role.HEAD, "Sophie"), staff(lycee, Role.DIRECTION, "Paul")
    staff(lycee, Role.TEACHER, "Marc")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = tickets.ticket_report(
            establishment=lycee,
            user=rrupn,
            roles={Role.RRUPN},
            data=TicketData(
                category=TicketCategory.objects.get(code="poste"),
                title="Wifi du CDI coupé",
                description="Plus de réseau au CDI.",
            ),
            submit=True,
        )
    assert ticket.status == TicketStatus.AWAITING_HEAD
    [notice] = mail.outbox
    assert to(notice) == {head.email, deputy.email}
    assert ticket.reference in notice.subject and "GLPI de la Région" in notice.subject
    assert "Wifi du CDI coupé" in notice.body and f"/incidents/{ticket.pk}/" in notice.body
    assert "Lycée Cabanis" in notice.body

    # The head forwards it: nobody waits any more, no new notice to the direction.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tickets.ticket_forward(ticket=ticket, user=head, roles={Role.HEAD})
    assert not any("GLPI de la Région" in m.subject for m in mail.outbox)


def test_a_college_draft_tells_nobody(school, media, django_capture_on_commit_callbacks):
    rrupn = staff(school, Role.RRUPN, "Camille")
    staff(school, Role.HEAD, "Henri")
    with django_capture_on_commit_callbacks(execute=True):
        tickets.ticket_report(
            establishment=school,
            user=rrupn,
            roles={Role.RRUPN},
            data=TicketData(
                category=TicketCategory.objects.get(code="poste"),
                title="Poste HS",
                description="Ne démarre plus.",
            ),
            submit=False,
        )
    assert mail.outbox == []


def test_permanent_failure_tells_the_reporter_and_the_rrupn(
    school, glpi, media, django_capture_on_commit_callbacks
):
    channel = glpi_channel(glpi.url)
    rrupn = staff(school, Role.RRUPN, "Camille")
    staff(school, Role.HEAD, "Henri")
    ticket = make_ticket(channel, establishment=school)  # reported by someone else
    user_token(channel, school, token="perime")
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.FAILED
    [notice] = mail.outbox
    assert to(notice) == {ticket.reporter.email, rrupn.email}
    assert notice.subject == (
        f"[Portail RRUPN] Échec de transmission de l'incident {ticket.reference}"
    )
    assert "Jeton utilisateur GLPI refusé" in notice.body
    assert "Échec — réessayer" in notice.body


def test_a_transient_failure_tells_nobody(school, glpi, media, django_capture_on_commit_callbacks):
    channel = glpi_channel(glpi.url)
    staff(school, Role.RRUPN, "Camille")
    ticket = make_ticket(channel, establishment=school)
    user_token(channel, school)
    glpi.fail_next("POST", "Ticket", status=503)
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.QUEUED
    assert mail.outbox == []


def test_equipment_need_waiting_tells_the_direction_not_the_proposer(
    school, django_capture_on_commit_callbacks
):
    rrupn = staff(school, Role.RRUPN, "Camille")
    head = staff(school, Role.HEAD, "Henri")
    with django_capture_on_commit_callbacks(execute=True):
        need = equipment.need_propose(
            establishment=school,
            school_year=SchoolYear.current(),
            user=rrupn,
            roles={Role.RRUPN},
            data=NeedData(item="Visualiseur", quantity=3, justification="Sciences.", priority=1),
        )
    [notice] = mail.outbox
    assert to(notice) == {head.email}
    assert "Besoin d'équipement à valider : Visualiseur" in notice.subject
    assert "Visualiseur × 3" in notice.body and f"/equipement/{need.pk}/" in notice.body

    # The head proposes one: the other members of the direction only; here, nobody.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        equipment.need_propose(
            establishment=school,
            school_year=SchoolYear.current(),
            user=head,
            roles={Role.HEAD},
            data=NeedData(item="Écran", quantity=1, justification="Salle B12.", priority=2),
        )
    assert mail.outbox == []
