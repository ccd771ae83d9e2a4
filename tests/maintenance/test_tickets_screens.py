"""Incidents on the three screens (checklist, SRANE column, SRANE per collectivité) and the
constant query counts of the incident list and the SRANE page."""

import html
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maintenance.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Level1Note,
    Ticket,
    TicketCategory,
    TicketStatus,
)
from rrupn.accounts.models import Role
from rrupn.audit.services import audit_record
from rrupn.establishments.models import Collectivite

from ..factories import EstablishmentFactory, RoleAssignmentFactory, SraneScopeFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_ticket(school, reporter, *, status=TicketStatus.SENT, age_days=0, resolved_after=None):
    ticket = Ticket.objects.create(
        establishment=school,
        reporter=reporter,
        category=TicketCategory.objects.get(code="poste"),
        title=f"Incident {Ticket.objects.count() + 1}",
        description="Écran noir.",
        status=status,
    )
    created = timezone.now() - timedelta(days=age_days)
    resolved = created + resolved_after if resolved_after is not None else None
    Ticket.objects.filter(pk=ticket.pk).update(created_at=created, resolved_at=resolved)
    return ticket


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_checklist_counts_open_incidents_and_the_age_of_the_oldest(client, school):
    rrupn = RoleAssignmentFactory(establishment=school, role=Role.RRUPN, yearly=True).user
    client.force_login(rrupn)
    url = reverse("dashboard:establishment", args=[school.uai])
    assert "Aucun incident ouvert" in client.get(url).content.decode()
    make_ticket(school, rrupn, age_days=12)
    make_ticket(school, rrupn, status=TicketStatus.TO_RRUPN, age_days=3)
    make_ticket(school, rrupn, status=TicketStatus.RESOLVED, age_days=40)
    page = client.get(url).content.decode()
    assert "2 incidents ouverts · le plus ancien a 12 jours · 1 signalement à transmettre" in page
    Ticket.objects.filter(status=TicketStatus.SENT).update(status=TicketStatus.RESOLVED)
    make_ticket(school, rrupn, age_days=0)
    page = html.unescape(client.get(url).content.decode())
    assert "1 signalement à transmettre" in page and "le plus ancien a 3 jours" in page
    Ticket.objects.filter(status=TicketStatus.TO_RRUPN).update(status=TicketStatus.RESOLVED)
    page = html.unescape(client.get(url).content.decode())
    assert "1 incident ouvert · le plus ancien date d’aujourd’hui" in page


def test_srane_overview_column_shows_the_schools_open_incidents(client, school, other_school):
    rrupn = UserFactory()
    make_ticket(school, rrupn, age_days=1)
    client.force_login(SraneScopeFactory(department="87").user)
    page = client.get(reverse("dashboard:srane_overview")).content.decode()
    assert "1 incident ouvert · le plus ancien a 1 jour" in page
    assert "Aucun incident ouvert" in page  # the other school


def test_srane_page_per_collectivite(client, school, other_school, far_school):
    cd87 = Collectivite.objects.get(code="cd87")
    region = Collectivite.objects.get(code="region-na")
    for est, coll in ((school, cd87), (other_school, cd87), (far_school, region)):
        est.collectivite = coll
        est.save()
    reporter = UserFactory()
    make_ticket(school, reporter, age_days=9)
    failed = make_ticket(other_school, reporter, status=TicketStatus.FAILED, age_days=2)
    Delivery.objects.create(
        ticket=failed, channel=Channel.objects.get(code="glpi-cd87"), status=DeliveryStatus.FAILED
    )
    for days in (1, 3, 8):  # median 3 days
        make_ticket(
            school,
            reporter,
            status=TicketStatus.RESOLVED,
            age_days=20,
            resolved_after=timedelta(days=days),
        )
    make_ticket(far_school, reporter, age_days=30)  # Corrèze: outside a 87 scope

    client.force_login(SraneScopeFactory(department="87").user)
    response = client.get(reverse("maintenance_srane:tickets_by_collectivite"))
    lines = response.context["lines"]
    assert [line.name for line in lines] == [cd87.name]
    line = lines[0]
    assert (line.open_count, line.oldest_days, line.resolved_count) == (2, 9, 3)
    assert line.median_resolution == timedelta(days=3)
    assert line.failed_deliveries == 1
    assert "3,0 j" in response.content.decode()

    client.force_login(SraneScopeFactory(academie=True).user)
    url = reverse("maintenance_srane:tickets_by_collectivite")
    lines = client.get(url).context["lines"]
    assert {line.name: line.open_count for line in lines} == {cd87.name: 2, region.name: 1}
    lines = client.get(url + "?departement=19").context["lines"]
    assert {line.name: line.open_count for line in lines} == {region.name: 1}


def test_srane_page_queries_do_not_grow(client):
    client.force_login(SraneScopeFactory(academie=True).user)
    url = reverse("maintenance_srane:tickets_by_collectivite")
    reporter = UserFactory()

    def add(n):
        for coll in Collectivite.objects.all()[:3]:
            for _ in range(n):
                est = EstablishmentFactory(collectivite=coll)
                make_ticket(est, reporter, age_days=4)
                make_ticket(
                    est, reporter, status=TicketStatus.RESOLVED, resolved_after=timedelta(1)
                )

    add(2)
    count_queries(client, url)
    small = count_queries(client, url)
    add(6)
    assert count_queries(client, url) == small


def test_ticket_list_queries_do_not_grow(client, school):
    rrupn = RoleAssignmentFactory(establishment=school, role=Role.RRUPN).user
    teacher = RoleAssignmentFactory(establishment=school, role=Role.TEACHER).user
    client.force_login(rrupn)
    url = reverse("maintenance:tickets_list", args=[school.uai])

    def add(n):
        for i in range(n):
            make_ticket(school, rrupn, age_days=i)
            make_ticket(school, teacher, status=TicketStatus.TO_RRUPN)
            make_ticket(school, teacher, status=TicketStatus.RESOLVED, resolved_after=timedelta(1))

    add(2)
    count_queries(client, url)
    small = count_queries(client, url)
    add(10)
    assert count_queries(client, url) == small
    page = client.get(url + "?etat=open").content.decode()
    assert "Signalements à transmettre" in page


def test_open_tickets_come_first(client, school):
    rrupn = RoleAssignmentFactory(establishment=school, role=Role.RRUPN).user
    closed = make_ticket(school, rrupn, status=TicketStatus.RESOLVED, resolved_after=timedelta(1))
    opened = make_ticket(school, rrupn, age_days=30)
    client.force_login(rrupn)
    tickets = client.get(reverse("maintenance:tickets_list", args=[school.uai])).context["tickets"]
    assert [t.pk for t, _age in tickets] == [opened.pk, closed.pk]
    assert tickets[0][1] == 30


def test_the_list_pages_by_fifty_and_keeps_its_filters(client, school):
    rrupn = RoleAssignmentFactory(establishment=school, role=Role.RRUPN).user
    for _ in range(51):
        make_ticket(school, rrupn, status=TicketStatus.RESOLVED, resolved_after=timedelta(1))
    oldest_open = make_ticket(school, rrupn, age_days=60)
    client.force_login(rrupn)
    url = reverse("maintenance:tickets_list", args=[school.uai])
    first = client.get(url)
    assert first.context["tickets"][0][0] == oldest_open  # open first, whatever its age
    assert len(first.context["tickets"]) == 50
    second = client.get(url + "?etat=resolved&page=2")
    assert len(second.context["tickets"]) == 1
    assert "etat=resolved&amp;page=1" in second.content.decode()


def test_ticket_page_and_head_inbox_queries_do_not_grow(client):
    lycee = EstablishmentFactory(department_code="19", kind="lycee")
    head = RoleAssignmentFactory(establishment=lycee, role=Role.HEAD).user
    reporter = UserFactory()
    ticket = make_ticket(lycee, reporter, status=TicketStatus.AWAITING_HEAD)
    client.force_login(head)
    detail = reverse("maintenance:tickets_detail", args=[lycee.uai, ticket.pk])
    inbox = reverse("dashboard:inbox", args=[lycee.uai])

    def add(n):
        for _ in range(n):
            make_ticket(lycee, reporter, status=TicketStatus.AWAITING_HEAD)
            audit_record(actor=head, action="ticket.test", obj=ticket, summary="étape")
            Level1Note.objects.create(
                ticket=ticket,
                establishment=lycee,
                author=head,
                done_on=timezone.localdate(),
                minutes_spent=5,
                note="Redémarré.",
            )

    add(2)
    for url in (detail, inbox):
        count_queries(client, url)
    before = [count_queries(client, url) for url in (detail, inbox)]
    add(8)
    assert [count_queries(client, url) for url in (detail, inbox)] == before
