"""Writes on mission letters: an explicit state machine, one audited transition per step.

draft ─propose→ proposed ─request_changes→ changes_requested ─propose→ proposed
proposed ─sign (head)→ signed ─accept (RRUPN)→ active (or accepted until the start date)
active ─(end of the school year)→ archived;  an amendment, once accepted, replaces its letter.

Every write is a conditional UPDATE on (state, revision): a stale form or a concurrent step
changes nothing and gets a clear message.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Max, PositiveIntegerField, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rrupn.accounts.models import Role, RoleAssignment, RoleSource
from rrupn.audit.services import audit_record
from rrupn.notifications.emails import notify

from .models import (
    EDITABLE_STATES,
    IN_FORCE_STATES,
    IN_PROGRESS_STATES,
    LetterState,
    LetterTask,
    MissionLetter,
    PdfStatus,
)
from .selectors import head_side_emails, is_head_side, staff_of


class LetterError(Exception):
    """A refused action; the message is shown to the user as is."""


class StaleLetter(LetterError):
    pass


@dataclass
class TaskChoice:
    task: object
    shared_with: object = None
    shared_with_name: str = ""


@dataclass
class LetterData:
    rrupn: object
    starts_on: object
    ends_on: object
    imp_rate: object = None
    imp_multiple: Decimal = Decimal("1")
    clauses: str = ""
    optional_functions: set = field(default_factory=set)  # optional functions retained
    tasks: list[TaskChoice] = field(default_factory=list)


def letter_data_check(*, establishment, school_year, data: LetterData) -> None:
    if not staff_of(establishment, school_year).filter(pk=data.rrupn.pk).exists():
        raise LetterError(
            _("%(rrupn)s ne fait pas partie du personnel de cet établissement.")
            % {"rrupn": data.rrupn}
        )
    if data.ends_on < data.starts_on:
        raise LetterError(_("La fin de la mission précède son début."))
    if not data.tasks:
        raise LetterError(_("Choisissez au moins une tâche."))
    for choice in data.tasks:
        function = choice.task.function
        if function.optional and function not in data.optional_functions:
            raise LetterError(
                _(
                    "La tâche « %(task)s » relève de la fonction %(number)s, qui n'est pas retenue : "
                    "cochez la fonction ou retirez la tâche."
                )
                % {"task": choice.task, "number": function.number}
            )
        if choice.shared_with is not None and choice.shared_with.needs_name:
            if not choice.shared_with_name.strip():
                raise LetterError(
                    _("Nommez la personne avec qui « %(task)s » est partagée.")
                    % {"task": choice.task}
                )


def _snapshot(letter: MissionLetter) -> dict:
    return {"état": letter.state, "révision": letter.revision}


def _write_tasks(letter: MissionLetter, choices: list[TaskChoice]) -> None:
    letter.tasks.all().delete()
    LetterTask.objects.bulk_create(
        LetterTask(
            letter=letter,
            task=c.task,
            shared_with=c.shared_with,
            shared_with_name=c.shared_with_name.strip() if c.shared_with else "",
        )
        for c in choices
    )


def _fields(data: LetterData) -> dict:
    return {
        "rrupn": data.rrupn,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "imp_rate": data.imp_rate,
        "imp_multiple": data.imp_multiple,
        "clauses": data.clauses,
    }


@transaction.atomic
def letter_create(*, establishment, school_year, author, roles, data: LetterData) -> MissionLetter:
    if not is_head_side(roles) and data.rrupn.pk != author.pk:
        raise LetterError(_("Vous ne pouvez rédiger une lettre de mission que pour vous-même."))
    letter_data_check(establishment=establishment, school_year=school_year, data=data)
    existing = MissionLetter.objects.filter(establishment=establishment, school_year=school_year)
    if existing.filter(state__in=IN_PROGRESS_STATES).exists():
        raise LetterError(_("Une lettre de mission est déjà en préparation pour cette année."))
    if existing.filter(state__in=IN_FORCE_STATES).exists():
        raise LetterError(_("Une lettre est déjà en vigueur cette année : rédigez un avenant."))
    version = (existing.aggregate(v=Max("version"))["v"] or 0) + 1
    try:
        with transaction.atomic():
            letter = MissionLetter.objects.create(
                establishment=establishment,
                school_year=school_year,
                version=version,
                created_by=author,
                **_fields(data),
            )
    except IntegrityError as exc:  # a concurrent creation won the race
        raise LetterError(
            _("Une lettre de mission est déjà en préparation pour cette année.")
        ) from exc
    _write_tasks(letter, data.tasks)
    audit_record(
        actor=author,
        action="letter.created",
        obj=letter,
        after=_snapshot(letter),
        summary=f"Lettre de mission v{version} rédigée",
    )
    return letter


@transaction.atomic
def letter_update(*, letter, user, roles, revision: int, data: LetterData) -> MissionLetter:
    _check_party(letter, user, roles)
    if not is_head_side(roles) and data.rrupn.pk != letter.rrupn_id:
        raise LetterError(_("Seule la direction peut changer la personne désignée."))
    letter_data_check(establishment=letter.establishment, school_year=letter.school_year, data=data)
    updated = MissionLetter.objects.filter(
        pk=letter.pk, revision=revision, state__in=EDITABLE_STATES
    ).update(revision=F("revision") + 1, updated_at=timezone.now(), **_fields(data))
    if not updated:
        _refuse(letter, revision, _("modifier"))
    _write_tasks(letter, data.tasks)
    letter.refresh_from_db()
    audit_record(
        actor=user,
        action="letter.updated",
        obj=letter,
        after=_snapshot(letter),
        summary="Lettre de mission modifiée",
    )
    return letter


def _check_party(letter, user, roles) -> None:
    if not (is_head_side(roles) or letter.rrupn_id == user.pk):
        raise LetterError(_("Vous n'êtes pas partie à cette lettre de mission."))


def _refuse(letter, revision, verb):
    current = MissionLetter.objects.get(pk=letter.pk)
    if current.revision != revision:
        raise StaleLetter(
            _(
                "La lettre a été modifiée entre-temps par quelqu'un d'autre : rechargez la page "
                "pour voir la version actuelle. Rien n'a été enregistré."
            )
        )
    raise LetterError(
        _("Impossible de %(verb)s une lettre à l'état « %(state)s ».")
        % {"verb": verb, "state": current.get_state_display()}
    )


# Fields a transition sets that the PDF prints (the approvals): those steps request a new PDF.
PRINTED_FIELDS = {"head", "signed_at", "accepted_at"}


def _step(letter, *, user, revision, sources, target, action, summary, comment="", **changes):
    """The one place where a letter changes state."""
    before = _snapshot(letter)
    if not PRINTED_FIELDS & changes.keys():
        # Activation, archiving, replacement print nothing new: the stored PDF stays current.
        changes["pdf_revision"] = Case(
            When(pdf_status=PdfStatus.READY, pdf_revision=F("revision"), then=F("revision") + 1),
            default=F("pdf_revision"),
            output_field=PositiveIntegerField(),
        )
    updated = MissionLetter.objects.filter(
        pk=letter.pk, revision=revision, state__in=sources
    ).update(state=target, revision=F("revision") + 1, updated_at=timezone.now(), **changes)
    if not updated:
        _refuse(letter, revision, summary)
    letter.refresh_from_db()
    audit_record(
        actor=user,
        action=f"letter.{action}",
        obj=letter,
        before=before,
        after=_snapshot(letter),
        summary=f"Lettre de mission v{letter.version} : {LetterState(target).label.lower()}",
        comment=comment,
    )
    return letter


def _notify_other_party(letter, actor, action_label: str, comment: str = "") -> None:
    if actor.pk == letter.rrupn_id:
        recipients = head_side_emails(letter.establishment, letter.school_year)
    else:
        recipients = [letter.rrupn.email]
    notify(
        to=[r for r in recipients if r != actor.email],
        name="mission_letter",
        context={
            "action": action_label,
            "actor": str(actor),
            "reference": letter.reference,
            "establishment": letter.establishment.name,
            "school_year": letter.school_year.label,
            "comment": comment,
            "path": reverse(
                "missions:detail", kwargs={"uai": letter.establishment.uai, "pk": letter.pk}
            ),
        },
    )


@transaction.atomic
def letter_propose(*, letter, user, roles, revision: int) -> MissionLetter:
    _check_party(letter, user, roles)
    _step(
        letter,
        user=user,
        revision=revision,
        sources=EDITABLE_STATES,
        target=LetterState.PROPOSED,
        action="proposed",
        summary=_("proposer"),
        proposed_by=user,
    )
    _notify_other_party(letter, user, "proposée à votre relecture")
    return letter


@transaction.atomic
def letter_request_changes(*, letter, user, roles, revision: int, comment: str) -> MissionLetter:
    _check_party(letter, user, roles)
    if not comment.strip():
        raise LetterError(_("Dites quelles modifications vous demandez."))
    # Only the party that did not propose this version answers it.
    if letter.proposed_by_id == letter.rrupn_id:
        answering = is_head_side(roles) and user.pk != letter.rrupn_id
    else:
        answering = user.pk == letter.rrupn_id
    if letter.state == LetterState.PROPOSED and not answering:
        raise LetterError(
            _("Vous avez proposé cette version : c'est à l'autre partie d'y répondre.")
        )
    _step(
        letter,
        user=user,
        revision=revision,
        sources=(LetterState.PROPOSED,),
        target=LetterState.CHANGES_REQUESTED,
        action="changes_requested",
        summary=_("demander des modifications sur"),
        comment=comment.strip(),
    )
    _notify_other_party(letter, user, "renvoyée avec des demandes de modification", comment)
    return letter


@transaction.atomic
def letter_sign(*, letter, user, roles, revision: int) -> MissionLetter:
    if Role.HEAD not in roles:
        raise LetterError(_("Seul le chef d'établissement signe la lettre de mission."))
    _step(
        letter,
        user=user,
        revision=revision,
        sources=(LetterState.PROPOSED,),
        target=LetterState.SIGNED,
        action="signed",
        summary=_("signer"),
        head=user,
        signed_at=timezone.now(),
    )
    # Signing designates the person as RRUPN of the school for the year.
    RoleAssignment.objects.get_or_create(
        user=letter.rrupn,
        establishment=letter.establishment,
        role=Role.RRUPN,
        school_year=letter.school_year,
        defaults={"source": RoleSource.LETTER},
    )
    _notify_other_party(letter, user, "signée par le chef d'établissement : à vous de l'accepter")
    letter_pdf_request(letter)
    return letter


@transaction.atomic
def letter_accept(*, letter, user, revision: int) -> MissionLetter:
    if user.pk != letter.rrupn_id:
        raise LetterError(_("Seul le RRUPN désigné par la lettre peut l'accepter."))
    if letter.state != LetterState.SIGNED:
        _refuse(letter, revision, "accepter")
    today = timezone.localdate()
    target = LetterState.ACTIVE if letter.starts_on <= today else LetterState.ACCEPTED
    previous = letter.amends
    if previous is not None and previous.state in IN_FORCE_STATES:
        # The amendment replaces the letter in force (only one may be in force).
        _step(
            previous,
            user=user,
            revision=previous.revision,
            sources=IN_FORCE_STATES,
            target=LetterState.REPLACED,
            action="replaced",
            summary=_("remplacer"),
        )
        if previous.rrupn_id != letter.rrupn_id:
            RoleAssignment.objects.filter(
                user_id=previous.rrupn_id,
                establishment=letter.establishment,
                role=Role.RRUPN,
                school_year=letter.school_year,
                source=RoleSource.LETTER,
            ).delete()
    _step(
        letter,
        user=user,
        revision=revision,
        sources=(LetterState.SIGNED,),
        target=target,
        action="accepted",
        summary=_("accepter"),
        accepted_at=timezone.now(),
    )
    _notify_other_party(letter, user, "acceptée par le RRUPN : elle est en vigueur")
    letter_pdf_request(letter)
    return letter


@transaction.atomic
def letter_amend(*, letter, user, roles) -> MissionLetter:
    """A signed letter is never edited: its amendment is a new version, drafted from it."""
    _check_party(letter, user, roles)
    if letter.state not in (LetterState.SIGNED, *IN_FORCE_STATES):
        raise LetterError(_("Seule une lettre signée ou en vigueur peut recevoir un avenant."))
    if MissionLetter.objects.filter(
        establishment=letter.establishment,
        school_year=letter.school_year,
        state__in=EDITABLE_STATES + (LetterState.PROPOSED,),
    ).exists():
        raise LetterError(_("Un avenant est déjà en préparation."))
    if letter.state == LetterState.SIGNED:
        raise LetterError(_("Attendez l'acceptation du RRUPN avant de rédiger un avenant."))
    version = (
        MissionLetter.objects.filter(
            establishment=letter.establishment, school_year=letter.school_year
        ).aggregate(v=Max("version"))["v"]
        + 1
    )
    amendment = MissionLetter.objects.create(
        establishment=letter.establishment,
        school_year=letter.school_year,
        version=version,
        amends=letter,
        created_by=user,
        rrupn=letter.rrupn,
        starts_on=letter.starts_on,
        ends_on=letter.ends_on,
        imp_rate=letter.imp_rate,
        imp_multiple=letter.imp_multiple,
        clauses=letter.clauses,
    )
    LetterTask.objects.bulk_create(
        LetterTask(
            letter=amendment,
            task_id=t.task_id,
            shared_with_id=t.shared_with_id,
            shared_with_name=t.shared_with_name,
        )
        for t in letter.tasks.all()
    )
    audit_record(
        actor=user,
        action="letter.amendment_created",
        obj=amendment,
        after=_snapshot(amendment),
        summary=f"Avenant v{version} rédigé à partir de la v{letter.version}",
    )
    return amendment


def letter_pdf_request(letter) -> None:
    """Mark the PDF as in progress; a worker renders it once this transaction commits."""
    from .tasks import render_letter_pdf

    MissionLetter.objects.filter(pk=letter.pk).update(pdf_status=PdfStatus.PENDING, pdf_error="")
    letter.pdf_status = PdfStatus.PENDING
    render_letter_pdf.delay(letter.pk)


def letters_follow_calendar(*, today=None) -> tuple[int, int]:
    """Periodic: activate accepted letters whose start date has come, archive ended years."""
    today = today or timezone.localdate()
    activated = archived = 0
    for letter in MissionLetter.objects.filter(state=LetterState.ACCEPTED, starts_on__lte=today):
        with transaction.atomic():
            _step(
                letter,
                user=None,
                revision=letter.revision,
                sources=(LetterState.ACCEPTED,),
                target=LetterState.ACTIVE,
                action="activated",
                summary=_("activer"),
            )
        activated += 1
    ended = MissionLetter.objects.filter(
        state__in=IN_FORCE_STATES, school_year__start_year__lt=_school_year_start(today)
    )
    for letter in ended:
        with transaction.atomic():
            _step(
                letter,
                user=None,
                revision=letter.revision,
                sources=IN_FORCE_STATES,
                target=LetterState.ARCHIVED,
                action="archived",
                summary=_("archiver"),
            )
        archived += 1
    return activated, archived


def _school_year_start(day) -> int:
    from rrupn.establishments.models import SchoolYear

    return SchoolYear.start_year_for(day)
