"""Delivery of an incident to its helpdesk, losing nothing (the outbox pattern).

The Delivery row is written in the ticket's transaction; a worker claims it with a conditional
UPDATE (queued → sending), so two workers never send the same row; transient failures go back
to the queue with an exponential back-off, permanent ones stop until the RRUPN retries; the
sweeper takes back rows a killed worker left in "sending".
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rrupn.audit.services import audit_record

from .. import notifications
from ..channels import DeliveryError, transport_for
from ..models import (
    OPEN_STATUSES,
    ChannelCredential,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Ticket,
    TicketStatus,
)
from .crypto import encrypt

log = logging.getLogger(__name__)

BACKOFF_BASE = 60  # seconds: 1, 2, 4, 8… minutes
BACKOFF_CAP = 6 * 60 * 60


class DeliveryRefused(Exception):
    """A request the delivery cannot honour (French message for the user)."""


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP))


def delivery_enqueue(*, delivery) -> None:
    """Called in the ticket's transaction; the worker gets the id once it has committed."""
    from .tasks import deliver

    if delivery.channel.kind == ChannelKind.HANDOFF:
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.WAITING_MANUAL)
        return
    deliver.delay(delivery.pk)


def delivery_claim(delivery_id: int, *, now=None) -> bool:
    now = now or timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(
        Delivery.objects.filter(due, pk=delivery_id, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def _ticket_update(ticket_id: int, **fields) -> None:
    Ticket.objects.filter(pk=ticket_id).update(
        revision=F("revision") + 1, updated_at=timezone.now(), **fields
    )


# A followup goes after its ticket: GLPI needs the ticket's id, an e-mail reply its subject.
WAITS_FOR_TICKET = Q(followup__isnull=False, ticket__external_ref="")


def delivery_send(delivery_id: int) -> str:
    """Claims and sends one delivery; returns its resulting status (or "" if not claimed).

    A followup whose ticket has not reached its helpdesk yet stays queued, unclaimed and with
    no attempt counted: the ticket's own success queues it."""
    if Delivery.objects.filter(WAITS_FOR_TICKET, pk=delivery_id).exists():
        return ""
    if not delivery_claim(delivery_id):
        return ""
    delivery = Delivery.objects.select_related(
        "channel", "ticket__establishment", "ticket__reporter", "ticket__category", "followup"
    ).get(pk=delivery_id)
    try:
        transport = transport_for(delivery.channel)
        if delivery.followup_id:
            external_ref = transport.send_followup(delivery=delivery)
        else:
            external_ref = transport.send(delivery=delivery)
    except DeliveryError as exc:
        return _failed(delivery, exc)
    except Exception as exc:  # a bug must not lose the row: it is retried like an outage
        log.exception("delivery %s crashed", delivery_id)
        return _failed(delivery, DeliveryError(f"Erreur interne ({exc.__class__.__name__})."))
    if delivery.followup_id:
        return _followup_sent(delivery, external_ref)
    url = transport.ticket_url(int(external_ref)) if hasattr(transport, "ticket_url") else ""
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT,
            external_ref=external_ref,
            sent_at=timezone.now(),
            last_error="",
            claimed_at=None,
        )
        _ticket_update(
            delivery.ticket_id,
            status=TicketStatus.SENT,
            external_ref=external_ref,
            external_url=url,
        )
        audit_record(
            actor=None,
            action="maintenance.delivery.sent",
            obj=delivery.ticket,
            establishment=delivery.ticket.establishment,
            summary=f"{delivery.ticket.reference} transmis à {delivery.channel} ({external_ref})",
        )
        _followups_release(delivery.ticket_id)
    return DeliveryStatus.SENT


def _followups_release(ticket_id: int) -> None:
    """The followups that waited for their ticket go now (queued at commit)."""
    from .tasks import deliver

    waiting = Delivery.objects.filter(
        ticket_id=ticket_id, followup__isnull=False, status=DeliveryStatus.QUEUED
    ).values_list("pk", flat=True)
    for pk in waiting:
        deliver.delay(pk)


def _followup_sent(delivery, external_ref: str) -> str:
    """A followup leaves the ticket's own status and reference as they are."""
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT,
            external_ref=external_ref,
            sent_at=timezone.now(),
            last_error="",
            claimed_at=None,
        )
        audit_record(
            actor=None,
            action="maintenance.followup.sent",
            obj=delivery.ticket,
            establishment=delivery.ticket.establishment,
            summary=(
                f"Suivi du {timezone.localtime(delivery.followup.created_at):%d/%m/%Y %H:%M} "
                f"transmis à {delivery.channel} ({external_ref})"
            ),
        )
    return DeliveryStatus.SENT


def _failed(delivery, exc) -> str:
    message = str(exc)
    give_up = exc.permanent or delivery.attempts >= settings.MAINTENANCE_MAX_ATTEMPTS
    with transaction.atomic():
        if give_up:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.FAILED,
                permanent_failure=exc.permanent,
                last_error=message,
                claimed_at=None,
            )
            what = delivery.ticket.reference
            if delivery.followup_id:  # the ticket itself did reach its helpdesk
                what = f"Suivi de {what}"
            else:
                _ticket_update(delivery.ticket_id, status=TicketStatus.FAILED)
            audit_record(
                actor=None,
                action="maintenance.delivery.failed",
                obj=delivery.ticket,
                establishment=delivery.ticket.establishment,
                summary=f"{what} : échec d'envoi — {message}",
            )
            notifications.delivery_failed(delivery, message)
            return DeliveryStatus.FAILED
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.QUEUED,
            next_attempt_at=timezone.now() + backoff(delivery.attempts),
            last_error=message,
            claimed_at=None,
        )
    return DeliveryStatus.QUEUED


def delivery_retry(*, delivery, user) -> None:
    """ "Échec — réessayer": the failed row goes back to the queue, attempts counted afresh."""
    with transaction.atomic():
        updated = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.QUEUED,
            attempts=0,
            next_attempt_at=None,
            permanent_failure=False,
        )
        if not updated:
            raise DeliveryRefused("Cet envoi n’est pas en échec : il n’y a rien à réessayer.")
        if not delivery.followup_id:
            _ticket_update(delivery.ticket_id, status=TicketStatus.QUEUED)
        audit_record(
            actor=user,
            action="maintenance.delivery.retry",
            obj=delivery.ticket,
            establishment=delivery.ticket.establishment,
            summary=f"{delivery.ticket.reference} : nouvel essai d'envoi"
            + (" du suivi" if delivery.followup_id else ""),
        )
        delivery_enqueue(delivery=delivery)


def deliveries_sweep(*, now=None) -> list[int]:
    """Takes back rows stuck in "sending", then queues every row whose time has come."""
    from .tasks import deliver

    now = now or timezone.now()
    stuck_before = now - timedelta(seconds=settings.MAINTENANCE_STUCK_AFTER)
    Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stuck_before).update(
        status=DeliveryStatus.QUEUED, next_attempt_at=None, claimed_at=None
    )
    due_rows = Delivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status=DeliveryStatus.QUEUED,
    ).exclude(WAITS_FOR_TICKET)
    due = list(due_rows.values_list("pk", flat=True))
    # Released: the worker's claim no longer waits for a time the sweeper judged past.
    Delivery.objects.filter(pk__in=due, status=DeliveryStatus.QUEUED).update(next_attempt_at=None)
    for pk in due:
        deliver.delay(pk)
    return due


def secret_set(*, channel, establishment, name: str, value: str, user, label=None) -> None:
    """Stores a secret encrypted; an empty value is refused (there is a separate removal).
    `label`: the field as the page names it, for the refusal."""
    value = value.strip()
    token = name.endswith("token")
    if not value and (token or not label):
        raise DeliveryRefused(_("Saisissez le jeton."))
    if not value:
        raise DeliveryRefused(
            _("« %(label)s » est vide : rien n’a été enregistré.") % {"label": label}
        )
    if channel.kind != ChannelKind.GLPI:
        raise DeliveryRefused(_("Seuls les canaux GLPI ont des jetons."))
    with transaction.atomic():
        ChannelCredential.objects.update_or_create(
            channel=channel,
            establishment=establishment,
            name=name,
            defaults={"ciphertext": encrypt(value)},
        )
        audit_record(
            actor=user,
            action="maintenance.channel.secret",
            obj=channel,
            establishment=establishment,
            summary=f"{'Jeton' if token else 'Secret'} « {name} » du canal "
            f"{channel} enregistré",  # never the value
        )


# -- Status sync ---------------------------------------------------------------------------------


def glpi_status_sync(*, now=None) -> int:
    """Reads the status of open GLPI tickets changed since the last sync; returns changes."""
    from ..channels.glpi import STATUS_MAP, GlpiTransport

    now = now or timezone.now()
    open_ = (
        Ticket.objects.filter(
            status__in=[s for s in OPEN_STATUSES if s not in ("queued", "failed")],
            channel__kind=ChannelKind.GLPI,
        )
        .exclude(external_ref="")
        .select_related("channel", "establishment")
    )
    groups: dict = {}
    for ticket in open_:
        if not ticket.external_ref.isdigit():  # marked as sent by hand with another reference
            continue
        groups.setdefault((ticket.channel, ticket.establishment), []).append(ticket)
    changed = 0
    for (channel, establishment), tickets in groups.items():
        key = f"maintenance:glpi-sync:{channel.pk}:{establishment.pk}"
        # Sent in UTC: a GLPI on Paris time then reads an earlier instant, never a later one.
        since = cache.get(key) or min(t.updated_at for t in tickets) - timedelta(days=1)
        try:
            client = GlpiTransport(channel).client(establishment)
            client.login()
            try:
                statuses = client.statuses_since(since, [t.external_ref for t in tickets])
            finally:
                client.logout()
        except DeliveryError:
            log.warning("GLPI status sync failed for %s / %s", channel, establishment)
            continue
        for ticket in tickets:
            new = STATUS_MAP.get(statuses.get(int(ticket.external_ref)))
            if new and new != ticket.status:
                changed += 1
                with transaction.atomic():
                    # Closed without being seen "résolu" (2 → 6 between two syncs) is resolved
                    # too: the SRANE's median time to resolution counts it.
                    solved = new == TicketStatus.RESOLVED or (
                        new == TicketStatus.CLOSED and ticket.resolved_at is None
                    )
                    extra = {"resolved_at": now} if solved else {}
                    _ticket_update(ticket.pk, status=new, **extra)
                    audit_record(
                        actor=None,
                        action="maintenance.ticket.status",
                        obj=ticket,
                        establishment=establishment,
                        before={"status": ticket.status},
                        after={"status": new},
                        summary=f"{ticket.reference} : {ticket.status} → {new} (GLPI)",
                    )
        cache.set(key, now - timedelta(minutes=5), None)  # overlap: server clocks differ
    return changed
