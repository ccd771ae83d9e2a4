"""Followups from the ticket page: sent through the outbox (a GLPI ITILFollowup against the fake
GLPI over HTTP, a reply e-mail), kept when the helpdesk is down and sent once when it is back,
stored only for a hand-off channel; always in the ticket's history."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maintenance.delivery.services import deliveries_sweep
from maintenance.models import (
    Channel,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Followup,
    TicketStatus,
)
from rrupn.audit.models import AuditEntry
from tests.conftest import make_persona

from .delivery_helpers import (  # noqa: F401  (fixtures glpi, media)
    enqueue,
    glpi_channel,
    glpi_fixture,
    make_ticket,
    media_fixture,
    user_token,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_ticket(glpi, school, media, django_capture_on_commit_callbacks):
    channel = glpi_channel(glpi.url)
    ticket = make_ticket(channel, establishment=school)
    user_token(channel, school)
    enqueue(ticket, django_capture_on_commit_callbacks)
    assert ticket.status == TicketStatus.SENT
    return ticket


def post_followup(client, ticket, content, capture):
    """Posts the form; the outbox's task runs at commit; then the page as the browser shows it."""
    uai = ticket.establishment.uai
    with capture(execute=True):
        response = client.post(
            reverse("maintenance:tickets_followup", args=[uai, ticket.pk]), {"content": content}
        )
    if response.status_code != 302:
        return response
    return client.get(response.headers["Location"])


def test_followup_reaches_glpi_once_and_shows_in_the_history(
    client, school, glpi, sent_ticket, django_capture_on_commit_callbacks
):
    client.force_login(make_persona("rrupn", school))
    response = post_followup(
        client, sent_ticket, "Le technicien peut passer jeudi.", django_capture_on_commit_callbacks
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Suivi ajouté à l'incident" in html.unescape(page)
    [followup] = glpi.followups
    assert (
        followup["items_id"] == int(sent_ticket.external_ref) and followup["itemtype"] == "Ticket"
    )
    assert "Le technicien peut passer jeudi." in followup["content"]
    assert f"({sent_ticket.reference}-S" in followup["content"]
    delivery = Delivery.objects.get(followup__isnull=False)
    assert delivery.status == DeliveryStatus.SENT and delivery.external_ref == str(followup["id"])
    sent_ticket.refresh_from_db()
    assert sent_ticket.status == TicketStatus.SENT  # the ticket's own state is untouched
    assert "Le technicien peut passer jeudi." in page and "Envoyé" in page
    entry = AuditEntry.objects.get(action="ticket.followup")
    assert entry.comment == "Le technicien peut passer jeudi." and "GLPI de test" in entry.summary
    history = page.split("Historique de l’incident", 1)[1]
    assert "Suivi ajouté, envoyé à GLPI de test" in history
    assert AuditEntry.objects.filter(action="maintenance.followup.sent").count() == 1


def test_followup_waits_while_glpi_is_down_then_arrives_once(
    client, school, glpi, sent_ticket, django_capture_on_commit_callbacks
):
    client.force_login(make_persona("rrupn", school))
    glpi.down()
    post_followup(client, sent_ticket, "Toujours en panne.", django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(followup__isnull=False)
    assert delivery.status == DeliveryStatus.QUEUED and "injoignable" in delivery.last_error
    assert Followup.objects.get().content == "Toujours en panne."  # kept

    glpi.up()
    glpi.slow_after("POST", "ITILFollowup", seconds=2)  # posted, but the answer comes too late
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_sweep(now=delivery.next_attempt_at + timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED and len(glpi.followups) == 1
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_sweep(now=delivery.next_attempt_at + timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    [followup] = glpi.followups  # found by its reference, not posted again
    assert delivery.external_ref == str(followup["id"])
    assert glpi.requests.count(("POST", "ITILFollowup")) == 1


def test_followup_refused_by_glpi_shows_retry_on_the_ticket_page(
    client, school, glpi, sent_ticket, django_capture_on_commit_callbacks
):
    client.force_login(make_persona("rrupn", school))
    glpi.fail_next("POST", "ITILFollowup", status=400, code="ERROR_GLPI_ADD")
    page = post_followup(
        client, sent_ticket, "Pièce commandée.", django_capture_on_commit_callbacks
    ).content.decode()
    delivery = Delivery.objects.get(followup__isnull=False)
    assert delivery.status == DeliveryStatus.FAILED and delivery.permanent_failure
    sent_ticket.refresh_from_db()
    assert sent_ticket.status == TicketStatus.SENT  # the ticket did reach GLPI
    assert "Échec — réessayer" in page and "Pièce commandée." in page
    retry = reverse("maintenance:delivery_retry", args=[school.uai, delivery.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and len(glpi.followups) == 1
    sent_ticket.refresh_from_db()
    assert sent_ticket.status == TicketStatus.SENT


def test_followup_by_email_is_a_reply_with_the_reference(
    client, school, media, django_capture_on_commit_callbacks
):
    channel = Channel.objects.create(
        code="courriel-suivi", name="Courriel Creuse", kind=ChannelKind.EMAIL, email_to="a@b.fr"
    )
    ticket = make_ticket(channel, establishment=school)
    enqueue(ticket, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    client.force_login(make_persona("rrupn", school))
    post_followup(
        client, ticket, "Le vidéoprojecteur a été débranché.", django_capture_on_commit_callbacks
    )
    assert len(mail.outbox) == 2
    reply = mail.outbox[1]
    assert reply.subject.startswith(f"Re: [{ticket.reference}]") and reply.to == ["a@b.fr"]
    assert "Le vidéoprojecteur a été débranché." in reply.body
    delivery = Delivery.objects.get(followup__isnull=False)
    assert delivery.status == DeliveryStatus.SENT


def test_handoff_followup_is_stored_only(client, school, media, django_capture_on_commit_callbacks):
    channel = Channel.objects.create(
        code="main-suivi", name="Gestionnaire", kind=ChannelKind.HANDOFF
    )
    ticket = make_ticket(channel, establishment=school)
    enqueue(ticket, django_capture_on_commit_callbacks)
    client.force_login(make_persona("rrupn", school))
    page = post_followup(
        client, ticket, "Appel au gestionnaire fait.", django_capture_on_commit_callbacks
    ).content.decode()
    assert Followup.objects.count() == 1
    assert not Delivery.objects.filter(followup__isnull=False).exists()
    assert "Conservé dans le portail" in page and "Appel au gestionnaire fait." in page
    assert AuditEntry.objects.get(action="ticket.followup").summary == (
        "Suivi ajouté (conservé dans le portail)"
    )


def test_empty_followup_or_draft_is_refused_in_french(
    client, school, glpi, sent_ticket, django_capture_on_commit_callbacks
):
    rrupn = make_persona("rrupn", school)
    client.force_login(rrupn)
    page = post_followup(client, sent_ticket, "   ", django_capture_on_commit_callbacks)
    assert "Écrivez le suivi à transmettre." in html.unescape(page.content.decode())
    draft = make_ticket(sent_ticket.channel, establishment=school)
    draft.status, draft.reporter = TicketStatus.DRAFT, rrupn
    draft.save()
    page = post_followup(client, draft, "Un mot.", django_capture_on_commit_callbacks)
    assert "Un brouillon n'a pas de suivi" in html.unescape(page.content.decode())
    assert Followup.objects.count() == 0 and glpi.followups == []


def test_teacher_cannot_add_a_followup(client, school, sent_ticket):
    teacher = make_persona("teacher", school)
    client.force_login(teacher)
    url = reverse("maintenance:tickets_followup", args=[school.uai, sent_ticket.pk])
    assert client.post(url, {"content": "Bonjour"}).status_code == 403
    assert Followup.objects.count() == 0


def test_ticket_page_queries_do_not_grow_with_followups(client, school, sent_ticket):
    rrupn = make_persona("rrupn", school)
    client.force_login(rrupn)
    url = reverse("maintenance:tickets_detail", args=[school.uai, sent_ticket.pk])

    def add(n):
        for i in range(n):
            followup = Followup.objects.create(ticket=sent_ticket, author=rrupn, content=f"S{i}")
            Delivery.objects.create(
                ticket=sent_ticket,
                followup=followup,
                channel=sent_ticket.channel,
                status=DeliveryStatus.FAILED,
            )

    client.get(url)  # the first request of a session does more (caches, last visit)
    add(2)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    add(8)
    with CaptureQueriesContext(connection) as ten:
        page = client.get(url).content.decode()
    assert len(ten.captured_queries) == len(two.captured_queries), [
        q["sql"] for q in ten.captured_queries
    ]
    assert page.count("Échec — réessayer") == 10


# --- followups written before the ticket has left the portal -----------------------------------


@pytest.fixture
def region_glpi(glpi):
    """The Région's GLPI channel of the Limoges routing table, pointed at the fake GLPI."""
    from maintenance.delivery.crypto import encrypt
    from maintenance.models import ChannelCredential

    channel = Channel.objects.get(code="glpi-region")
    channel.url = glpi.url
    channel.save()
    ChannelCredential.objects.update_or_create(
        channel=channel,
        establishment=None,
        name="app_token",
        defaults={"ciphertext": encrypt("app-secret")},
    )
    return channel


def lycee_ticket(lycee, user, roles, title="Wifi du CDI coupé"):
    from maintenance.models import TicketCategory
    from maintenance.tickets.services import TicketData, ticket_report

    category = TicketCategory.objects.get(code="reseau-etablissement")
    data = TicketData(
        category=category,
        title=title,
        description="Plus de réseau au CDI.",
        room="CDI",
        equipment="Borne wifi",
        urgency="high",
    )
    return ticket_report(establishment=lycee, user=user, roles=roles, data=data, submit=True)


def test_followup_written_while_the_ticket_waits_for_the_head_leaves_right_after_it(
    client, glpi, region_glpi, media, django_capture_on_commit_callbacks
):
    from rrupn.accounts.models import Role
    from tests.factories import EstablishmentFactory

    lycee = EstablishmentFactory(name="Lycée Cabanis", department_code="19", kind="lycee")
    user_token(region_glpi, lycee)
    rrupn, head = make_persona("rrupn", lycee), make_persona("head", lycee)
    ticket = lycee_ticket(lycee, rrupn, {Role.RRUPN})
    assert ticket.status == TicketStatus.AWAITING_HEAD

    client.force_login(rrupn)
    page = post_followup(
        client, ticket, "Le CDI est fermé le mercredi.", django_capture_on_commit_callbacks
    ).content.decode()
    assert "Partira avec l’incident" in html.unescape(page)
    assert not Delivery.objects.exists() and not glpi.requests
    assert AuditEntry.objects.get(action="ticket.followup").summary == (
        "Suivi ajouté (il partira avec l'incident)"
    )

    client.force_login(head)
    glpi.down()  # the head forwards while the Région's GLPI is down: both wait, nothing lost
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("maintenance:tickets_forward", args=[lycee.uai, ticket.pk]))
    assert response.status_code == 302
    ticket_row = Delivery.objects.get(followup=None)
    followup_row = Delivery.objects.get(followup__isnull=False)
    assert ticket_row.status == followup_row.status == DeliveryStatus.QUEUED
    assert followup_row.attempts == 0  # not tried before its ticket: no attempt wasted
    page = client.get(reverse("maintenance:tickets_detail", args=[lycee.uai, ticket.pk]))
    assert "partira juste après l’incident" in html.unescape(page.content.decode())

    glpi.up()
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_sweep(now=ticket_row.next_attempt_at + timedelta(seconds=1))
    ticket.refresh_from_db()
    followup_row.refresh_from_db()
    assert ticket.status == TicketStatus.SENT and followup_row.status == DeliveryStatus.SENT
    posts = [r for r in glpi.requests if r[0] == "POST" and r[1] in ("Ticket", "ITILFollowup")]
    assert posts == [("POST", "Ticket"), ("POST", "ITILFollowup")]  # the ticket first, once each
    [sent] = glpi.followups
    assert sent["items_id"] == int(ticket.external_ref)
    assert "Le CDI est fermé le mercredi." in sent["content"]


def test_a_followup_queued_before_its_ticket_is_not_swept_early(
    client, school, glpi, media, django_capture_on_commit_callbacks
):
    channel = glpi_channel(glpi.url)
    user_token(channel, school)
    glpi.down()
    ticket = make_ticket(channel, establishment=school)
    enqueue(ticket, django_capture_on_commit_callbacks)
    assert ticket.status == TicketStatus.QUEUED and not ticket.external_ref
    client.force_login(make_persona("rrupn", school))
    post_followup(client, ticket, "Toujours rien.", django_capture_on_commit_callbacks)
    followup_row = Delivery.objects.get(followup__isnull=False)
    later = timezone.now() + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        swept = deliveries_sweep(now=later)
    assert followup_row.pk not in swept  # still down: the ticket is tried, its followup waits
    followup_row.refresh_from_db()
    assert (followup_row.status, followup_row.attempts) == (DeliveryStatus.QUEUED, 0)
    assert not glpi.followups
