"""Writes on incidents (SPEC §6): report, forward, hand over to a channel, level-1 fix.

draft ─submit→ to_rrupn (reported by a teacher or anyone who does not handle incidents)
draft ─submit→ awaiting_head (Région GLPI, the school has no LyceeGlpiRight, not the direction)
draft ─submit→ queued (+ a Delivery row in the same transaction)
to_rrupn ─forward (RRUPN / direction)→ awaiting_head | queued
awaiting_head ─forward (direction)→ queued
queued, delivery waiting_manual ─mark as sent (external reference)→ sent
to_rrupn, awaiting_head, sent, acknowledged, in_progress ─level-1 note→ resolved
sent, acknowledged, in_progress ─the collectivité's progress, recorded by the RRUPN / direction
  (e-mail and hand-off channels only: a GLPI ticket's status comes from the status sync)→
  acknowledged | in_progress | resolved (on a date) | closed
any but draft ─followup (RRUPN / direction)→ same status; sent through the outbox to the GLPI or
  e-mail channel the ticket went to (a Delivery row for the followup), kept here otherwise

The channel is chosen by the routing rules when the ticket leaves the school (submit, forward):
no rule, nothing saved. Each transition is a conditional UPDATE on the expected status, so of two
concurrent clicks only the first applies.
"""

from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import PurePath

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from maintenance import notifications
from maintenance.models import (
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Followup,
    Level1Note,
    LyceeGlpiRight,
    Ticket,
    TicketAttachment,
    TicketStatus,
    Urgency,
)
from maintenance.routing import NoRoute, route_for
from rrupn.access.capabilities import DIRECTION, roles_grant
from rrupn.audit.services import audit_record

REGION_GLPI = "glpi-region"  # the Région's GLPI: the RRUPN needs rights granted by the head
MAX_FILES = 5
MAX_FILE_SIZE = 5 * 1024 * 1024
# extension → (content type, magic bytes at the start of the file)
ALLOWED_TYPES = {
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".pdf": ("application/pdf", b"%PDF-"),
}
LEVEL1_FROM = (
    TicketStatus.DRAFT,
    TicketStatus.TO_RRUPN,
    TicketStatus.AWAITING_HEAD,
    TicketStatus.SENT,
    TicketStatus.ACKNOWLEDGED,
    TicketStatus.IN_PROGRESS,
)


class TicketError(Exception):
    """A refused action; the message is shown to the user as is."""


@dataclass
class TicketData:
    category: object
    title: str
    description: str
    room: str = ""
    equipment: str = ""
    urgency: str = "normal"
    files: list = field(default_factory=list)


def attachments_check(files, *, already: int = 0) -> list[tuple[object, str]]:
    """[(file, content type)], or TicketError naming the file and the rule it breaks."""
    if already + len(files) > MAX_FILES:
        raise TicketError(
            _("%(max)s pièces jointes au plus par incident (%(count)s proposées) : retirez-en.")
            % {"max": MAX_FILES, "count": already + len(files)}
        )
    checked = []
    for upload in files:
        name = upload.name
        suffix = PurePath(name).suffix.lower()
        if suffix not in ALLOWED_TYPES:
            raise TicketError(
                _(
                    "« %(name)s » : seuls les fichiers JPEG, PNG et PDF sont acceptés (photos, "
                    "captures d'écran, documents)."
                )
                % {"name": name}
            )
        if upload.size > MAX_FILE_SIZE:
            size = f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")
            raise TicketError(
                _("« %(name)s » pèse %(size)s Mo : 5 Mo au plus par fichier.")
                % {"name": name, "size": size}
            )
        content_type, magic = ALLOWED_TYPES[suffix]
        upload.seek(0)
        head = upload.read(len(magic))
        upload.seek(0)
        if head != magic:
            raise TicketError(
                _(
                    "« %(name)s » n'est pas un vrai fichier %(suffix)s (son contenu ne correspond "
                    "pas à son extension)."
                )
                % {"name": name, "suffix": suffix[1:].upper()}
            )
        checked.append((upload, content_type))
    return checked


def _data_check(data: TicketData) -> None:
    if data.category is None:
        raise TicketError(_("Choisissez la catégorie de l'incident."))
    if not data.title.strip():
        raise TicketError(_("Donnez un titre à l'incident."))
    if not data.description.strip():
        raise TicketError(_("Décrivez l'incident : ce qui ne marche pas, depuis quand."))
    if data.urgency not in Urgency.values:
        raise TicketError(_("Choisissez l'urgence : faible, normale ou haute."))


def _snapshot(ticket: Ticket) -> dict:
    return {
        "état": ticket.status,
        "canal": ticket.channel.code if ticket.channel_id else "",
        "référence externe": ticket.external_ref,
    }


def _save_files(ticket, checked) -> None:
    for upload, content_type in checked:
        TicketAttachment.objects.create(
            ticket=ticket,
            file=upload,
            original_name=PurePath(upload.name).name[:200],
            content_type=content_type,
            size=upload.size,
        )


@transaction.atomic
def ticket_report(*, establishment, user, roles, data: TicketData, submit: bool) -> Ticket:
    """A new incident, as a draft or submitted at once; nothing is saved on any refusal."""
    _data_check(data)
    checked = attachments_check(data.files)
    if submit:  # refused before any row or file is written
        _route_to(establishment, data.category)
    ticket = Ticket.objects.create(
        establishment=establishment,
        reporter=user,
        category=data.category,
        title=data.title.strip(),
        description=data.description.strip(),
        room=data.room.strip(),
        equipment=data.equipment.strip(),
        urgency=data.urgency,
    )
    _save_files(ticket, checked)
    audit_record(
        actor=user,
        action="ticket.created",
        obj=ticket,
        after=_snapshot(ticket),
        summary=f"Incident {ticket.reference} saisi"
        + ("" if submit else " et enregistré en brouillon"),
    )
    if submit:
        ticket_submit(ticket=ticket, user=user, roles=roles)
    return ticket


@transaction.atomic
def ticket_update_draft(*, ticket, user, roles=(), data: TicketData, submit=False) -> Ticket:
    """The author edits their draft, and may send it in the same step (all or nothing)."""
    if ticket.reporter_id != user.pk or ticket.status != TicketStatus.DRAFT:
        raise TicketError(_("Seul son auteur modifie un incident, tant qu'il est en brouillon."))
    _data_check(data)
    checked = attachments_check(data.files, already=ticket.attachments.count())
    if submit:
        _route_to(ticket.establishment, data.category)
    for name in ("category", "title", "description", "room", "equipment", "urgency"):
        value = getattr(data, name)
        setattr(ticket, name, value.strip() if isinstance(value, str) else value)
    ticket.revision += 1
    ticket.save()
    _save_files(ticket, checked)
    if submit:
        ticket_submit(ticket=ticket, user=user, roles=roles)
    return ticket


def _move(ticket, *, user, expected, target, action: str, summary: str, comment="", **extra):
    """The conditional UPDATE of one transition, and its audit row."""
    before = _snapshot(ticket)
    values = {"status": target, "revision": F("revision") + 1, "updated_at": timezone.now()}
    values.update(extra)
    updated = Ticket.objects.filter(pk=ticket.pk, status__in=expected).update(**values)
    if not updated:
        current = Ticket.objects.get(pk=ticket.pk)
        raise TicketError(
            _("L'incident %(reference)s est déjà « %(status)s » : rien n'a été modifié.")
            % {"reference": ticket.reference, "status": current.get_status_display()}
        )
    ticket.refresh_from_db()
    audit_record(
        actor=user,
        action=action,
        obj=ticket,
        before=before,
        after=_snapshot(ticket),
        summary=summary,
        comment=comment,
    )
    return ticket


def _route_to(establishment, category):
    try:
        return route_for(establishment=establishment, category=category)
    except NoRoute as exc:
        raise TicketError(str(exc)) from exc


def _route(ticket):
    return _route_to(ticket.establishment, ticket.category)


def _needs_head(ticket, channel, roles) -> bool:
    """The Région's GLPI: only the head side writes there until the RRUPN is granted rights."""
    if channel.code != REGION_GLPI or DIRECTION & set(roles):
        return False
    return not LyceeGlpiRight.objects.filter(establishment_id=ticket.establishment_id).exists()


def _hand_to_delivery(ticket) -> Delivery:
    """The outbox row, in the transaction that makes the ticket 'queued' (never lost).

    A hand-off channel waits for a person ("marquer comme transmis"); the others go to the
    delivery worker. Without the delivery part installed, the row stays queued and its
    sweeper picks it up.
    """
    manual = ticket.channel.kind == ChannelKind.HANDOFF
    delivery = Delivery.objects.create(
        ticket=ticket,
        channel=ticket.channel,
        status=DeliveryStatus.WAITING_MANUAL if manual else DeliveryStatus.QUEUED,
    )
    if manual:
        return delivery
    # Followups written while the ticket waited (RRUPN, head) leave with it: queued now, sent
    # by the worker once the helpdesk has the ticket itself.
    Delivery.objects.bulk_create(
        Delivery(ticket=ticket, followup=followup, channel=ticket.channel)
        for followup in ticket.followups.filter(deliveries=None)
    )
    try:
        from maintenance.delivery.services import delivery_enqueue
    except ImportError:
        return delivery
    delivery_enqueue(delivery=delivery)
    return delivery


def _dispatch(ticket, *, user, roles, expected, action: str, comment: str = ""):
    channel = _route(ticket)
    if _needs_head(ticket, channel, roles):
        _move(
            ticket,
            user=user,
            expected=expected,
            target=TicketStatus.AWAITING_HEAD,
            action=action,
            summary=(
                f"Incident {ticket.reference} pour {channel} : en attente du chef "
                "d'établissement (le RRUPN n'a pas les droits GLPI de la Région)"
            ),
            comment=comment,
            channel=channel,
        )
        notifications.ticket_awaiting_head(ticket, user)
        return ticket
    _move(
        ticket,
        user=user,
        expected=expected,
        target=TicketStatus.QUEUED,
        action=action,
        summary=f"Incident {ticket.reference} confié au canal {channel}",
        comment=comment,
        channel=channel,
    )
    _hand_to_delivery(ticket)
    return ticket


@transaction.atomic
def ticket_submit(*, ticket, user, roles) -> Ticket:
    if ticket.reporter_id != user.pk:
        raise TicketError(_("Seul son auteur envoie un incident en brouillon."))
    if not roles_grant(roles, "tickets.handle"):
        channel = _route(ticket)  # refused now, not when the RRUPN forwards it
        return _move(
            ticket,
            user=user,
            expected=[TicketStatus.DRAFT],
            target=TicketStatus.TO_RRUPN,
            action="ticket.reported",
            summary=f"Incident {ticket.reference} signalé au RRUPN",
            channel=channel,
        )
    return _dispatch(
        ticket, user=user, roles=roles, expected=[TicketStatus.DRAFT], action="ticket.submitted"
    )


@transaction.atomic
def ticket_forward(*, ticket, user, roles, comment: str = "") -> Ticket:
    """The RRUPN forwards a teacher's report; the head forwards a lycée ticket."""
    if ticket.status == TicketStatus.AWAITING_HEAD and not DIRECTION & set(roles):
        raise TicketError(_("Seule l'équipe de direction transmet un incident qui l'attend."))
    if not roles_grant(roles, "tickets.handle"):
        raise TicketError(_("Seuls le RRUPN et l'équipe de direction transmettent les incidents."))
    return _dispatch(
        ticket,
        user=user,
        roles=roles,
        expected=[TicketStatus.TO_RRUPN, TicketStatus.AWAITING_HEAD],
        action="ticket.forwarded",
        comment=comment.strip(),
    )


@transaction.atomic
def ticket_mark_sent(*, ticket, user, external_ref: str, external_url: str = "") -> Ticket:
    """A hand-off channel: the person who wrote the ticket elsewhere records its reference."""
    external_ref = external_ref.strip()
    if not external_ref:
        raise TicketError(_("Indiquez la référence donnée par le service d'assistance."))
    now = timezone.now()
    moved = Delivery.objects.filter(ticket=ticket, status=DeliveryStatus.WAITING_MANUAL).update(
        status=DeliveryStatus.SENT, external_ref=external_ref, sent_at=now
    )
    if not moved:
        raise TicketError(
            _(
                "L'incident %(reference)s n'attend pas de transmission à la main : rien n'a été "
                "modifié."
            )
            % {"reference": ticket.reference}
        )
    return _move(
        ticket,
        user=user,
        expected=[TicketStatus.QUEUED],
        target=TicketStatus.SENT,
        action="ticket.marked_sent",
        summary=f"Incident {ticket.reference} transmis à {ticket.channel} ({external_ref})",
        external_ref=external_ref[:100],
        external_url=external_url.strip(),
    )


@transaction.atomic
def ticket_resolve_level1(*, ticket, user, done_on, minutes_spent: int, note: str) -> Level1Note:
    """The RRUPN fixed it themselves (level-1 maintenance): the note, the time, resolved."""
    note = note.strip()
    if not note:
        raise TicketError(_("Décrivez ce qui a été fait."))
    if minutes_spent is None or minutes_spent < 1:
        raise TicketError(_("Indiquez le temps passé, en minutes (au moins 1)."))
    if done_on > timezone.localdate():
        raise TicketError(_("La date de l'intervention ne peut pas être dans le futur."))
    now = timezone.now()
    _move(
        ticket,
        user=user,
        expected=list(LEVEL1_FROM),
        target=TicketStatus.RESOLVED,
        action="ticket.resolved_level1",
        summary=f"Incident {ticket.reference} résolu par le RRUPN ({minutes_spent} min)",
        comment=note,
        resolved_at=now,
    )
    return Level1Note.objects.create(
        ticket=ticket,
        establishment=ticket.establishment,
        author=user,
        done_on=done_on,
        minutes_spent=minutes_spent,
        note=note,
    )


# The collectivité's progress on a ticket sent by e-mail or by hand: step → statuses it may
# follow. GLPI tickets get theirs from the status sync.
PROGRESS_FROM = (TicketStatus.SENT, TicketStatus.ACKNOWLEDGED, TicketStatus.IN_PROGRESS)
PROGRESS_STEPS = {
    TicketStatus.ACKNOWLEDGED: (TicketStatus.SENT,),
    TicketStatus.IN_PROGRESS: (TicketStatus.SENT, TicketStatus.ACKNOWLEDGED),
    TicketStatus.RESOLVED: PROGRESS_FROM,
    TicketStatus.CLOSED: (*PROGRESS_FROM, TicketStatus.RESOLVED),  # resolved, then closed
}


def progress_steps(ticket) -> list[str]:
    """The steps the RRUPN may record now on this ticket (none for a GLPI ticket)."""
    if not ticket.channel_id or ticket.channel.kind == ChannelKind.GLPI:
        return []
    return [step for step, origins in PROGRESS_STEPS.items() if ticket.status in origins]


def sent_at(ticket):
    """When the ticket left for its helpdesk (its own delivery), or when it was written."""
    delivery = (
        Delivery.objects.filter(ticket=ticket, followup=None, sent_at__isnull=False)
        .order_by("sent_at")
        .first()
    )
    return delivery.sent_at if delivery else ticket.created_at


@transaction.atomic
def ticket_record_progress(
    *, ticket, user, roles, step: str, resolved_on=None, comment: str = ""
) -> Ticket:
    """The collectivité took the ticket in, works on it, resolved it (on a date) or closed it:
    the RRUPN records it for an e-mail or hand-off channel, so that open counts and the SRANE's
    time to resolution mean something for every collectivité."""
    if not roles_grant(roles, "tickets.handle"):
        raise TicketError(
            _("Seuls le RRUPN et l'équipe de direction notent l'avancement d'un incident.")
        )
    if ticket.channel_id and ticket.channel.kind == ChannelKind.GLPI:
        raise TicketError(
            _(
                "L'incident %(reference)s est suivi dans GLPI : son état y est relu "
                "automatiquement, rien n'a été modifié."
            )
            % {"reference": ticket.reference}
        )
    if step not in PROGRESS_STEPS or not ticket.channel_id:
        raise TicketError(_("Choisissez l'avancement à noter : rien n'a été modifié."))
    comment = (comment or "").strip()
    extra = {}
    now = timezone.now()
    if step == TicketStatus.RESOLVED:
        if resolved_on is None:
            raise TicketError(_("Indiquez la date de résolution."))
        today = timezone.localdate()
        left = sent_at(ticket)
        if resolved_on > today:
            raise TicketError(_("La date de résolution ne peut pas être dans le futur."))
        if resolved_on < timezone.localdate(left):
            raise TicketError(
                _(
                    "La date de résolution ne peut pas précéder la transmission de l'incident "
                    "(le %(date)s)."
                )
                % {"date": timezone.localdate(left).strftime("%d/%m/%Y")}
            )
        # Today: now; an earlier day: its middle (never before the ticket left).
        at = (
            now
            if resolved_on == today
            else timezone.make_aware(datetime.combine(resolved_on, time(12)))
        )
        extra["resolved_at"] = max(at, left)
    elif step == TicketStatus.CLOSED and ticket.resolved_at is None:
        extra["resolved_at"] = now  # closed without a resolution seen: resolved now
    labels = {
        TicketStatus.ACKNOWLEDGED: "pris en compte",
        TicketStatus.IN_PROGRESS: "en cours de traitement",
        TicketStatus.RESOLVED: "résolu",
        TicketStatus.CLOSED: "clos",
    }
    summary = f"Incident {ticket.reference} {labels[step]} par {ticket.channel}"
    if step == TicketStatus.RESOLVED:
        summary += f" le {resolved_on:%d/%m/%Y}"
    return _move(
        ticket,
        user=user,
        expected=list(PROGRESS_STEPS[step]),
        target=step,
        action="ticket.progress",
        summary=summary + " (noté dans le portail)",
        comment=comment,
        **extra,
    )


FOLLOWUP_MAX = 5000


@transaction.atomic
def ticket_followup_add(*, ticket, user, roles, content: str) -> Followup:
    """A comment on the incident; it follows the ticket to its helpdesk, never lost."""
    if not roles_grant(roles, "tickets.handle"):
        raise TicketError(_("Seuls le RRUPN et l'équipe de direction ajoutent un suivi."))
    content = (content or "").strip()
    if not content:
        raise TicketError(_("Écrivez le suivi à transmettre."))
    if len(content) > FOLLOWUP_MAX:
        raise TicketError(
            _("Un suivi fait %(max)s caractères au plus (%(count)s).")
            % {"max": FOLLOWUP_MAX, "count": len(content)}
        )
    # The ticket's row lock: a forward running at the same moment (which hands the waiting
    # followups to the outbox) either sees this followup or has finished before it is written.
    ticket = Ticket.objects.select_for_update().select_related("establishment").get(pk=ticket.pk)
    if ticket.status == TicketStatus.DRAFT:
        raise TicketError(_("Un brouillon n'a pas de suivi : envoyez d'abord l'incident."))
    followup = Followup.objects.create(ticket=ticket, author=user, content=content)
    # The ticket's own delivery says where it went (a hand-off has nothing to send to).
    sent_with = (
        Delivery.objects.filter(
            ticket=ticket,
            followup=None,
            channel__kind__in=[ChannelKind.GLPI, ChannelKind.EMAIL],
        )
        .select_related("channel")
        .order_by("-created_at")
        .first()
    )
    if sent_with:
        delivery = Delivery.objects.create(
            ticket=ticket, followup=followup, channel=sent_with.channel
        )
        from maintenance.delivery.services import delivery_enqueue

        delivery_enqueue(delivery=delivery)  # held by the worker until the ticket is there
        summary = f"Suivi ajouté, envoyé à {sent_with.channel}"
    elif ticket.status in (TicketStatus.TO_RRUPN, TicketStatus.AWAITING_HEAD):
        summary = "Suivi ajouté (il partira avec l'incident)"
    else:
        summary = "Suivi ajouté (conservé dans le portail)"
    audit_record(
        actor=user,
        action="ticket.followup",
        obj=ticket,
        establishment=ticket.establishment,
        summary=summary,
        comment=content,
    )
    return followup


@transaction.atomic
def glpi_right_grant(*, establishment, user) -> LyceeGlpiRight:
    right, created = LyceeGlpiRight.objects.get_or_create(
        establishment=establishment, defaults={"granted_by": user}
    )
    if created:
        audit_record(
            actor=user,
            action="ticket.glpi_right_granted",
            obj=right,
            establishment=establishment,
            summary="Le RRUPN a les droits sur le GLPI de la Région",
        )
    return right


@transaction.atomic
def glpi_right_revoke(*, establishment, user) -> None:
    deleted, _ = LyceeGlpiRight.objects.filter(establishment=establishment).delete()
    if deleted:
        audit_record(
            actor=user,
            action="ticket.glpi_right_revoked",
            establishment=establishment,
            summary="Droits du RRUPN sur le GLPI de la Région retirés",
        )
