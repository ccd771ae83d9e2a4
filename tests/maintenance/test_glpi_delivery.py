"""Incidents delivered to a GLPI over HTTP (the fake GLPI of fake_glpi.py, a real server on
loopback): nothing patched, the client's own requests meet the faults of the issue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from maintenance.delivery.services import (
    DeliveryRefused,
    deliveries_sweep,
    delivery_claim,
    delivery_retry,
    delivery_send,
    glpi_status_sync,
    secret_set,
)
from maintenance.models import Delivery, DeliveryStatus, TicketStatus
from rrupn.audit.models import AuditEntry

from .delivery_helpers import (  # noqa: F401  (fixtures glpi, media)
    PNG,
    enqueue,
    glpi_channel,
    glpi_fixture,
    make_delivery,
    make_ticket,
    media_fixture,
    user_token,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(glpi):
    return glpi_channel(glpi.url)


@pytest.fixture
def ticket(channel, media):
    ticket = make_ticket(channel, attachments=1)
    user_token(channel, ticket.establishment)
    return ticket


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """The sweeper as the beat runs it: its tasks leave once its transaction commits."""

    def run(now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return deliveries_sweep(now=now)

    return run


def later(delivery, seconds=1):
    delivery.refresh_from_db()
    return delivery.next_attempt_at + timedelta(seconds=seconds)


def test_happy_path_creates_the_ticket_with_its_requester_and_photo(
    glpi, ticket, django_capture_on_commit_callbacks
):
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)

    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1
    [created] = glpi.tickets.values()
    assert created["name"] == f"[{ticket.reference}] Vidéoprojecteur B12 en panne"
    assert "UAI " + ticket.establishment.uai in created["content"]
    assert "B12" in created["content"] and str(ticket.category) in created["content"]
    assert created["requester"] == 57 and created["urgency"] == 3
    [document] = glpi.documents
    assert document["items_id"] == created["id"] and document["content"] == PNG
    assert document["filename"] == "photo0.png"
    assert glpi.sessions == {}  # killSession at the end
    assert ticket.status == TicketStatus.SENT
    assert ticket.external_ref == delivery.external_ref == str(created["id"])
    assert (
        ticket.external_url
        == f"http://127.0.0.1:{glpi.port}/front/ticket.form.php?id={created['id']}"
    )
    assert AuditEntry.objects.filter(action="maintenance.delivery.sent").count() == 1


def test_down_then_up_the_ticket_arrives_once(
    sweep, glpi, ticket, django_capture_on_commit_callbacks
):
    glpi.down()
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.QUEUED and delivery.attempts == 1
    assert "GLPI injoignable" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert ticket.status == TicketStatus.QUEUED

    assert sweep() == []  # back-off not elapsed: nothing sent again yet
    # Still down at the second attempt: the back-off doubles.
    sweep(now=later(delivery))
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.status == DeliveryStatus.QUEUED
    assert delivery.next_attempt_at - timezone.now() > timedelta(seconds=110)

    glpi.up()
    assert sweep(now=later(delivery)) == [delivery.pk]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 3
    assert len(glpi.tickets) == 1 and len(glpi.documents) == 1


def test_500_then_201(sweep, glpi, ticket, django_capture_on_commit_callbacks):
    glpi.fail_next("POST", "Ticket", status=500)
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.QUEUED
    assert "GLPI a répondu 500" in delivery.last_error
    assert glpi.tickets == {}

    sweep(now=later(delivery))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(glpi.tickets) == 1
    assert ("GET", "search/Ticket") in glpi.requests  # a retry looks for its ticket first


def test_timeout_after_creating_makes_no_duplicate(
    sweep, glpi, ticket, django_capture_on_commit_callbacks
):
    glpi.slow_after("POST", "Ticket", seconds=2)  # the client gives up after 1 s
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.QUEUED
    assert "n'a pas répondu à temps" in delivery.last_error
    [created] = glpi.tickets.values()  # GLPI did create it

    sweep(now=later(delivery))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert list(glpi.tickets) == [created["id"]]  # found by its reference, not created again
    assert delivery.external_ref == str(created["id"])
    assert len(glpi.documents) == 1


def test_a_manual_retry_after_giving_up_finds_the_ticket_glpi_already_has(
    sweep, glpi, ticket, settings, django_capture_on_commit_callbacks
):
    """GLPI created the ticket but its answer came too late, then it stayed down until the
    portal gave up: "Échec — réessayer" counts attempts afresh yet must not create it again."""
    settings.MAINTENANCE_MAX_ATTEMPTS = 2
    glpi.slow_after("POST", "Ticket", seconds=2)
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    [created] = glpi.tickets.values()
    glpi.down()
    sweep(now=later(delivery))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 2

    glpi.up()
    with django_capture_on_commit_callbacks(execute=True):
        delivery_retry(delivery=delivery, user=ticket.reporter)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1
    assert list(glpi.tickets) == [created["id"]]  # one ticket in GLPI, the first one
    assert delivery.external_ref == str(created["id"])
    assert glpi.requests.count(("POST", "Ticket")) == 1


def test_a_refused_photo_after_the_ticket_then_a_retry_sends_only_what_is_missing(
    glpi, channel, media, django_capture_on_commit_callbacks
):
    ticket = make_ticket(channel, attachments=2)
    user_token(channel, ticket.establishment)
    glpi.pass_next("POST", "Document")  # the first photo goes through, the second is refused
    glpi.fail_next("POST", "Document", status=400, code="ERROR_UPLOAD_FILE_TOO_BIG_POST_MAX_SIZE")
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.FAILED and delivery.permanent_failure
    assert len(glpi.tickets) == 1 and len(glpi.documents) == 1

    with django_capture_on_commit_callbacks(execute=True):
        delivery_retry(delivery=delivery, user=ticket.reporter)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(glpi.tickets) == 1  # not created a second time
    assert [d["filename"] for d in glpi.documents] == ["photo0.png", "photo1.png"]


def test_session_expired_midway_logs_in_again(glpi, ticket, django_capture_on_commit_callbacks):
    glpi.session_ttl_calls = 1  # the session dies after creating the ticket, before the photo
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)

    assert delivery.status == DeliveryStatus.SENT
    assert glpi.requests.count(("GET", "initSession")) == 2
    assert len(glpi.tickets) == 1 and len(glpi.documents) == 1


def test_bad_user_token_is_a_permanent_failure_until_retried(
    sweep, glpi, ticket, channel, django_capture_on_commit_callbacks
):
    user_token(channel, ticket.establishment, token="wrong")
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)

    assert delivery.status == DeliveryStatus.FAILED and delivery.permanent_failure
    assert "Jeton utilisateur GLPI refusé" in delivery.last_error
    assert ticket.status == TicketStatus.FAILED
    assert sweep(now=timezone.now() + timedelta(days=1)) == []  # not retried alone
    assert glpi.tickets == {}

    head = ticket.reporter
    secret_set(
        channel=channel,
        establishment=ticket.establishment,
        name="user_token",
        value="user-secret",
        user=head,
    )
    with django_capture_on_commit_callbacks(execute=True):
        delivery_retry(delivery=delivery, user=head)
    delivery.refresh_from_db()
    ticket.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and ticket.status == TicketStatus.SENT
    assert len(glpi.tickets) == 1
    with pytest.raises(DeliveryRefused):
        delivery_retry(delivery=delivery, user=head)


def test_bad_app_token_names_the_srane(glpi, media, django_capture_on_commit_callbacks):
    channel = glpi_channel(glpi.url, app_token="not-the-one")
    ticket = make_ticket(channel)
    user_token(channel, ticket.establishment)
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    assert delivery.permanent_failure and "le SRANE" in delivery.last_error


def test_no_user_token_is_a_permanent_failure(channel, media, django_capture_on_commit_callbacks):
    ticket = make_ticket(channel)
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.FAILED
    assert "chef d'établissement" in delivery.last_error


def test_attempts_are_bounded(sweep, glpi, ticket, settings, django_capture_on_commit_callbacks):
    settings.MAINTENANCE_MAX_ATTEMPTS = 2
    glpi.fail_next("POST", "Ticket", status=503, times=5)
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    sweep(now=later(delivery))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and not delivery.permanent_failure
    assert delivery.attempts == 2
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.FAILED


def test_claim_is_exclusive_and_waits_for_the_backoff(ticket):
    delivery = make_delivery(ticket)
    assert delivery_claim(delivery.pk) is True
    assert delivery_claim(delivery.pk) is False  # another worker: nothing to do
    assert delivery_send(delivery.pk) == ""
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.QUEUED, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    assert delivery_claim(delivery.pk) is False


def test_sweeper_takes_back_a_delivery_stuck_in_sending(sweep, glpi, ticket, settings):
    delivery = make_delivery(ticket)
    long_ago = timezone.now() - timedelta(seconds=settings.MAINTENANCE_STUCK_AFTER + 60)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=long_ago, attempts=1
    )
    recent = make_delivery(make_ticket(ticket.channel, establishment=ticket.establishment))
    Delivery.objects.filter(pk=recent.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now(), attempts=1
    )

    assert sweep() == [delivery.pk]  # the recent one may still be at work
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert Delivery.objects.get(pk=recent.pk).status == DeliveryStatus.SENDING


def test_status_sync_follows_glpi_through_paged_search(
    glpi, ticket, django_capture_on_commit_callbacks
):
    enqueue(ticket, django_capture_on_commit_callbacks)
    glpi_id = int(ticket.external_ref)
    for n in range(120):  # other schools' tickets, changed too: the search answers 206 pages
        glpi.tickets[10_000 + n] = {**glpi.tickets[glpi_id], "id": 10_000 + n, "status": 2}

    glpi.tickets[glpi_id]["status"] = 2
    assert glpi_status_sync() == 1
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ACKNOWLEDGED
    assert glpi.requests.count(("GET", "search/Ticket")) == 2

    glpi.tickets[glpi_id]["status"] = 5
    glpi.tickets[glpi_id]["date_mod"] = "2999-01-01 00:00:00"
    assert glpi_status_sync() == 1
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED and ticket.resolved_at
    assert glpi_status_sync() == 0


def test_status_sync_survives_an_unreachable_glpi(glpi, ticket, django_capture_on_commit_callbacks):
    enqueue(ticket, django_capture_on_commit_callbacks)
    glpi.down()
    assert glpi_status_sync() == 0
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SENT


def test_followup_reaches_the_glpi_ticket(
    glpi, ticket, channel, django_capture_on_commit_callbacks
):
    from maintenance.channels.glpi import GlpiTransport

    enqueue(ticket, django_capture_on_commit_callbacks)
    client = GlpiTransport(channel).client(ticket.establishment)
    client.login()
    client.add_followup(ticket_id=int(ticket.external_ref), content="<p>Toujours en panne.</p>")
    client.logout()
    [followup] = glpi.followups
    assert followup["items_id"] == int(ticket.external_ref) and followup["users_id"] == 57
