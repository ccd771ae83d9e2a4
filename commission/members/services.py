"""Writes on the commission, its members, meetings and actions; every one audited.

The composition carries `Commission.revision`, a meeting `Meeting.revision`: a write is a
conditional UPDATE on the revision the form was built from, so a stale page changes nothing and
gets a clear message. Any change of members after the head's validation clears it.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rrupn.accounts.models import Role
from rrupn.audit.services import audit_record
from rrupn.notifications.emails import notify

from ..models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    Commission,
    CommissionMember,
    Meeting,
    MemberCategory,
    Modality,
    Presence,
)
from .ics import meeting_ics
from .selectors import folded, staff_of

VALIDATORS = frozenset({Role.HEAD, Role.DIRECTION})


class CommissionError(Exception):
    """A refused write; the message is shown to the user as is."""


STALE = gettext_lazy(
    "La commission a été modifiée entre-temps par quelqu'un d'autre : rechargez la page pour "
    "voir la composition actuelle. Rien n'a été enregistré."
)
STALE_MEETING = gettext_lazy(
    "La réunion a été modifiée entre-temps par quelqu'un d'autre : rechargez la page. "
    "Rien n'a été enregistré."
)


# --- Commission and members -------------------------------------------------------------------


@transaction.atomic
def commission_create(*, establishment, school_year, user, modality) -> Commission:
    if modality not in Modality.values:
        raise CommissionError(_("Choisissez la modalité de la commission."))
    try:
        with transaction.atomic():
            commission = Commission.objects.create(
                establishment=establishment, school_year=school_year, modality=modality
            )
    except IntegrityError as exc:
        raise CommissionError(
            _("La commission numérique %(label)s existe déjà.") % {"label": school_year.label}
        ) from exc
    audit_record(
        actor=user,
        action="commission.created",
        obj=commission,
        after={"modalité": modality},
        summary=f"Commission numérique {school_year.label} créée ({Modality(modality).label})",
    )
    return commission


def _touch(commission, *, revision: int, user, reason: str) -> None:
    """Bump the revision of the composition seen at `revision`; a validated one loses its
    validation and must be submitted again."""
    seen = Commission.objects.filter(pk=commission.pk, revision=revision)
    current = seen.values("validated_at").first()
    if current is None:
        raise CommissionError(STALE)
    changes = {"revision": F("revision") + 1}
    if current["validated_at"] is not None:
        changes.update(validated_at=None, validated_by=None, submitted_at=None)
    if not seen.update(**changes):
        raise CommissionError(STALE)
    if current["validated_at"] is not None:
        audit_record(
            actor=user,
            action="commission.validation_cleared",
            obj=commission,
            summary="Validation de la composition levée : " + reason,
        )
    commission.refresh_from_db()


@dataclass
class MemberData:
    category: str
    person: object = None  # a User of the school's staff…
    outsider_name: str = ""  # …or a named outsider
    discipline: str = ""
    detail: str = ""


def _check_member(commission, data: MemberData) -> None:
    data.outsider_name = " ".join(data.outsider_name.split())
    data.discipline, data.detail = data.discipline.strip(), data.detail.strip()
    if (data.person is None) == (not data.outsider_name):
        raise CommissionError(
            _(
                "Choisissez une personne du personnel ou saisissez le nom d'une personne "
                "extérieure (l'un ou l'autre)."
            )
        )
    if data.category not in MemberCategory.values:
        raise CommissionError(_("Choisissez la catégorie du membre."))
    if data.category == MemberCategory.DISCIPLINE_REFERENT and not data.discipline:
        raise CommissionError(_("Indiquez la discipline ou le pôle de l'enseignant référent."))
    if data.person is not None:
        staff = staff_of(commission.establishment, commission.school_year)
        if not staff.filter(pk=data.person.pk).exists():
            raise CommissionError(
                _("%(person)s ne fait pas partie du personnel de l'établissement.")
                % {"person": data.person}
            )
        twice = commission.members.filter(user=data.person).exists()
    else:
        # Case and accents aside ("Léa Élue" = "lea elue"), which SQLite's iexact cannot do.
        names = commission.members.filter(user__isnull=True).values_list("outsider_name", flat=True)
        twice = folded(data.outsider_name) in {folded(name) for name in names}
    if twice:
        raise CommissionError(
            _("%(name)s est déjà membre de la commission.")
            % {"name": data.person or data.outsider_name}
        )


@transaction.atomic
def member_add(*, commission, user, revision: int, data: MemberData) -> CommissionMember:
    _check_member(commission, data)
    name = str(data.person or data.outsider_name)
    _touch(commission, revision=revision, user=user, reason=f"ajout de {name}")
    try:
        with transaction.atomic():
            member = CommissionMember.objects.create(
                commission=commission,
                user=data.person,
                outsider_name="" if data.person else data.outsider_name,
                category=data.category,
                discipline=data.discipline,
                detail=data.detail,
            )
    except IntegrityError as exc:  # a concurrent addition of the same person
        raise CommissionError(
            _("%(name)s est déjà membre de la commission.") % {"name": name}
        ) from exc
    audit_record(
        actor=user,
        action="commission.member_added",
        obj=commission,
        after={"membre": name, "catégorie": data.category, "discipline": data.discipline},
        summary=f"Membre ajouté : {name} ({member.get_category_display()})",
    )
    return member


@transaction.atomic
def member_remove(*, commission, member, user, revision: int) -> None:
    if member.commission_id != commission.pk:
        raise CommissionError(_("Ce membre n'appartient pas à cette commission."))
    if member.actions.exists():
        raise CommissionError(
            _(
                "%(member)s est responsable d'actions de la commission : confiez-les à un autre "
                "membre avant de le retirer."
            )
            % {"member": member}
        )
    _touch(commission, revision=revision, user=user, reason=f"retrait de {member}")
    name, category = str(member), member.get_category_display()
    member.delete()
    audit_record(
        actor=user,
        action="commission.member_removed",
        obj=commission,
        before={"membre": name},
        summary=f"Membre retiré : {name} ({category})",
    )


@transaction.atomic
def composition_submit(*, commission, user, revision: int) -> Commission:
    if commission.validated_at is not None:
        raise CommissionError(_("La composition est déjà validée."))
    if not commission.members.exists():
        raise CommissionError(_("Ajoutez au moins un membre avant de soumettre la composition."))
    updated = Commission.objects.filter(
        pk=commission.pk, revision=revision, validated_at__isnull=True
    ).update(submitted_at=timezone.now(), revision=F("revision") + 1)
    if not updated:
        raise CommissionError(STALE)
    commission.refresh_from_db()
    audit_record(
        actor=user,
        action="commission.submitted",
        obj=commission,
        summary="Composition de la commission soumise à la validation du chef d'établissement",
    )
    return commission


@transaction.atomic
def composition_validate(*, commission, user, roles, revision: int) -> Commission:
    if not VALIDATORS & set(roles):
        raise CommissionError(_("Seule la direction valide la composition de la commission."))
    if commission.submitted_at is None:
        raise CommissionError(_("La composition n'a pas été soumise à validation."))
    if commission.validated_at is not None:
        raise CommissionError(_("La composition est déjà validée."))
    updated = Commission.objects.filter(
        pk=commission.pk, revision=revision, validated_at__isnull=True
    ).update(validated_at=timezone.now(), validated_by=user, revision=F("revision") + 1)
    if not updated:
        raise CommissionError(STALE)
    commission.refresh_from_db()
    audit_record(
        actor=user,
        action="commission.validated",
        obj=commission,
        after={"membres": commission.members.count()},
        summary="Composition de la commission validée",
    )
    return commission


# --- Meetings ----------------------------------------------------------------------------------


@dataclass
class MeetingData:
    starts_at: object
    duration_minutes: int = 60
    place: str = ""
    visio_url: str = ""
    agenda: list[str] = field(default_factory=list)


def _check_meeting(data: MeetingData) -> None:
    data.place, data.visio_url = data.place.strip(), data.visio_url.strip()
    data.agenda = [item.strip() for item in data.agenda if item.strip()]
    if not data.place and not data.visio_url:
        raise CommissionError(_("Indiquez un lieu ou un lien de visioconférence."))
    if not 5 <= data.duration_minutes <= 480:
        raise CommissionError(_("La durée doit être comprise entre 5 minutes et 8 heures."))
    too_long = [item for item in data.agenda if len(item) > 300]
    if too_long:
        raise CommissionError(
            _("Point trop long (300 caractères au plus) : « %(item)s… »")
            % {"item": too_long[0][:40]}
        )


def _write_agenda(meeting, items: list[str]) -> None:
    meeting.agenda.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=index, title=title) for index, title in enumerate(items)
    )


@transaction.atomic
def meeting_create(*, commission, user, data: MeetingData) -> Meeting:
    _check_meeting(data)
    meeting = Meeting.objects.create(
        commission=commission,
        starts_at=data.starts_at,
        duration_minutes=data.duration_minutes,
        place=data.place,
        visio_url=data.visio_url,
        created_by=user,
    )
    _write_agenda(meeting, data.agenda)
    audit_record(
        actor=user,
        action="commission.meeting_created",
        obj=meeting,
        establishment=commission.establishment,
        after={"date": meeting.starts_at.isoformat(), "points": len(data.agenda)},
        summary=f"Réunion de la commission prévue le {_when(meeting)}",
    )
    return meeting


@transaction.atomic
def meeting_update(*, meeting, user, revision: int, data: MeetingData) -> Meeting:
    _check_meeting(data)
    _bump(
        meeting,
        revision,
        starts_at=data.starts_at,
        duration_minutes=data.duration_minutes,
        place=data.place,
        visio_url=data.visio_url,
    )
    _write_agenda(meeting, data.agenda)
    audit_record(
        actor=user,
        action="commission.meeting_updated",
        obj=meeting,
        establishment=meeting.commission.establishment,
        summary=f"Réunion du {_when(meeting)} modifiée",
    )
    return meeting


def _bump(meeting, revision: int, **changes) -> None:
    updated = Meeting.objects.filter(pk=meeting.pk, revision=revision).update(
        revision=F("revision") + 1, **changes
    )
    if not updated:
        raise CommissionError(STALE_MEETING)
    meeting.refresh_from_db()


def _when(meeting) -> str:
    return timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y à %H:%M")


@transaction.atomic
def attendance_record(*, meeting, user, revision: int, presences: dict) -> Meeting:
    """`presences`: {member id: Presence}; members left out are not recorded."""
    members = set(meeting.commission.members.values_list("pk", flat=True))
    strangers = set(presences) - members
    if strangers:
        raise CommissionError(_("La feuille de présence cite une personne qui n'est pas membre."))
    if any(value not in Presence.values for value in presences.values()):
        raise CommissionError(_("Présence inconnue : présent, excusé ou absent."))
    _bump(meeting, revision)
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member_id=member_id, presence=presence)
        for member_id, presence in presences.items()
    )
    counts = {str(p.label): sum(1 for v in presences.values() if v == p) for p in Presence}
    audit_record(
        actor=user,
        action="commission.attendance_recorded",
        obj=meeting,
        establishment=meeting.commission.establishment,
        after=counts,
        summary=f"Présences de la réunion du {_when(meeting)} enregistrées",
    )
    return meeting


@transaction.atomic
def minutes_save(*, meeting, user, revision: int, minutes: str) -> Meeting:
    _bump(meeting, revision, minutes=minutes.strip())
    audit_record(
        actor=user,
        action="commission.minutes_saved",
        obj=meeting,
        establishment=meeting.commission.establishment,
        summary=f"Compte rendu de la réunion du {_when(meeting)} enregistré",
    )
    return meeting


def meeting_path(meeting) -> str:
    return reverse(
        "commission:meeting_detail",
        kwargs={"uai": meeting.commission.establishment.uai, "meeting_id": meeting.pk},
    )


@transaction.atomic
def invitation_send(*, meeting, user, now=None) -> list[str]:
    """E-mail the members who have an address, with the meeting's .ics; returns them."""
    now = now or timezone.now()
    if meeting.starts_at <= now:
        raise CommissionError(
            _("La réunion du %(when)s est passée : aucune invitation n'a été envoyée.")
            % {"when": _when(meeting)}
        )
    recipients = sorted(
        {
            email
            for email in meeting.commission.members.filter(user__is_active=True).values_list(
                "user__email", flat=True
            )
            if email
        }
    )
    if not recipients:
        raise CommissionError(
            _(
                "Aucun membre de la commission n'a d'adresse électronique : ajoutez des membres "
                "du personnel avant d'inviter."
            )
        )
    agenda = list(meeting.agenda.values_list("title", flat=True))
    establishment = meeting.commission.establishment
    ics = meeting_ics(
        meeting, agenda=agenda, url=settings.SITE_URL + meeting_path(meeting), now=now
    )
    notify(
        to=recipients,
        name="commission_meeting",
        context={
            "establishment": establishment.name,
            "when": _when(meeting),
            "duration": meeting.duration_minutes,
            "place": meeting.place,
            "visio_url": meeting.visio_url,
            "agenda": agenda,
            "sender": str(user),
            "path": meeting_path(meeting),
        },
        attachments=[
            {"filename": "reunion-commission.ics", "content": ics, "mimetype": "text/calendar"}
        ],
    )
    Meeting.objects.filter(pk=meeting.pk).update(invitation_sent_at=now)
    meeting.invitation_sent_at = now
    audit_record(
        actor=user,
        action="commission.invitation_sent",
        obj=meeting,
        establishment=establishment,
        after={"destinataires": len(recipients)},
        summary=f"Invitation à la réunion du {_when(meeting)} envoyée à {len(recipients)} membre(s)",
    )
    return recipients


# --- Actions -----------------------------------------------------------------------------------


@transaction.atomic
def action_create(*, commission, user, title: str, owner, due_on=None, meeting=None) -> Action:
    title = " ".join(title.split())
    if not title:
        raise CommissionError(_("Décrivez l'action décidée."))
    if owner is None or owner.commission_id != commission.pk:
        raise CommissionError(_("Le responsable d'une action doit être membre de la commission."))
    if meeting is not None and meeting.commission_id != commission.pk:
        raise CommissionError(_("Cette réunion n'est pas une réunion de la commission."))
    action = Action.objects.create(
        commission=commission, meeting=meeting, title=title, owner=owner, due_on=due_on
    )
    if meeting is not None:  # its decisions are part of the minutes: a new PDF is due
        Meeting.objects.filter(pk=meeting.pk).update(revision=F("revision") + 1)
    audit_record(
        actor=user,
        action="commission.action_created",
        obj=action,
        establishment=commission.establishment,
        after={"responsable": str(owner), "échéance": due_on.isoformat() if due_on else None},
        summary=f"Action décidée : {title[:200]}",
    )
    return action


@transaction.atomic
def action_set_status(*, action, user, seen_status: str, status: str) -> Action:
    if status not in ActionStatus.values:
        raise CommissionError(_("État inconnu."))
    updated = Action.objects.filter(pk=action.pk, status=seen_status).update(
        status=status, updated_at=timezone.now()
    )
    if not updated:
        raise CommissionError(
            _(
                "L'action a été mise à jour entre-temps par quelqu'un d'autre : rechargez la "
                "page. Rien n'a été enregistré."
            )
        )
    before = action.status
    action.refresh_from_db()
    audit_record(
        actor=user,
        action="commission.action_status",
        obj=action,
        establishment=action.commission.establishment,
        before={"état": before},
        after={"état": status},
        summary=f"Action « {action.title[:150]} » : {action.get_status_display().lower()}",
    )
    return action


# --- Minutes PDF -------------------------------------------------------------------------------


@transaction.atomic
def minutes_pdf_request(*, meeting, user) -> None:
    """Mark the PDF as in progress; a worker renders it once this transaction commits."""
    from .tasks import render_minutes_pdf

    if not meeting.minutes.strip():
        raise CommissionError(_("Rédigez le compte rendu avant de l'exporter en PDF."))
    Meeting.objects.filter(pk=meeting.pk).update(minutes_pdf_status="pending", minutes_pdf_error="")
    meeting.minutes_pdf_status = "pending"
    audit_record(
        actor=user,
        action="commission.minutes_pdf_requested",
        obj=meeting,
        establishment=meeting.commission.establishment,
        summary=f"Export PDF du compte rendu de la réunion du {_when(meeting)} demandé",
    )
    render_minutes_pdf.delay(meeting.pk)
