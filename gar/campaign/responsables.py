"""Writes on the responsables d'affectation GAR of a school for a school year.

The guide: the RRUPN, the direction members and the documentalists are eligible by default; the
head may designate others.

- an eligible person designated by the direction, or designating themselves → designated;
- the direction designating anyone else decides on the spot → designated;
- anyone else proposed (by a responsable or eligible colleague, or volunteering themselves)
  → proposed, then approved (designated) or refused by the head side from the approval inbox;
- designated or proposed ─withdraw (direction, or the person)→ withdrawn.

A designated person holds the role resp_gar for the school year (source manual) and loses it
when withdrawn. Transitions are conditional UPDATEs on the state: of two concurrent decisions,
only the first applies.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gar.capabilities import ELIGIBLE
from gar.models import DesignationState, RespAffectation
from rrupn.access.capabilities import roles_grant
from rrupn.accounts.models import Role, RoleAssignment, RoleSource
from rrupn.audit.services import audit_record

LIVE = (DesignationState.PROPOSED, DesignationState.DESIGNATED)


class DesignationError(Exception):
    """A refused action; the message is shown to the user as is."""


def person_roles(establishment, school_year, person) -> set[str]:
    return set(
        RoleAssignment.objects.active(school_year)
        .filter(establishment=establishment, user=person)
        .values_list("role", flat=True)
    )


def is_eligible(roles) -> bool:
    return bool(set(roles) & ELIGIBLE)


def _snapshot(designation) -> dict:
    return {
        "personne": str(designation.user),
        "état": designation.state,
        "fait dans l'ENT": designation.done_in_ent_at is not None,
    }


def _grant_role(designation) -> None:
    RoleAssignment.objects.get_or_create(
        user=designation.user,
        establishment=designation.establishment,
        role=Role.RESP_GAR,
        school_year=designation.school_year,
        defaults={"source": RoleSource.MANUAL},
    )


def _revoke_role(designation) -> None:
    # Only the yearly role this designation gave: a permanent or SSO one is not ours to remove.
    RoleAssignment.objects.filter(
        user=designation.user,
        establishment=designation.establishment,
        role=Role.RESP_GAR,
        school_year=designation.school_year,
        source=RoleSource.MANUAL,
    ).delete()


@transaction.atomic
def responsable_designate(*, establishment, school_year, person, user, roles) -> RespAffectation:
    """Designate `person` (immediate) or propose them to the head, per the rules above."""
    their_roles = person_roles(establishment, school_year, person)
    if not their_roles:
        raise DesignationError(
            _(
                "%(person)s n'a pas de rôle dans l'établissement cette année : seul le personnel "
                "de l'établissement peut être responsable d'affectation."
            )
            % {"person": person}
        )
    direction = roles_grant(roles, "gar.designate")
    myself = person.pk == user.pk
    if direction or (myself and is_eligible(their_roles)):
        state = DesignationState.DESIGNATED
    elif myself or roles_grant(roles, "gar.assign"):
        state = DesignationState.PROPOSED
    else:
        raise DesignationError(
            _(
                "Seuls la direction, les responsables d'affectation et les personnes éligibles "
                "désignent ou proposent des responsables d'affectation."
            )
        )
    now = timezone.now()
    decided = state == DesignationState.DESIGNATED
    try:
        with transaction.atomic():
            designation = RespAffectation.objects.create(
                establishment=establishment,
                school_year=school_year,
                user=person,
                state=state,
                proposed_by=user,
                decided_by=user if decided else None,
                decided_at=now if decided else None,
            )
    except IntegrityError:
        raise DesignationError(
            _(
                "%(person)s est déjà désigné(e) ou proposé(e) pour cette année : rien n'a été "
                "modifié."
            )
            % {"person": person}
        ) from None
    if decided:
        _grant_role(designation)
    audit_record(
        actor=user,
        action=f"gar.responsable.{state}",
        obj=designation,
        after=_snapshot(designation),
        summary=(
            f"Responsable d'affectation GAR désigné(e) : {person}"
            if decided
            else f"Responsable d'affectation GAR proposé(e) au chef d'établissement : {person}"
        ),
    )
    return designation


def _transition(designation, *, from_states, user, comment="", action, summary, **changes):
    """Apply a conditional UPDATE; a state that moved meanwhile gets a clear refusal."""
    before = _snapshot(designation)
    updated = RespAffectation.objects.filter(pk=designation.pk, state__in=from_states).update(
        **changes
    )
    if not updated:
        designation.refresh_from_db()
        raise DesignationError(
            _("Cette désignation est déjà « %(state)s » : rien n'a été modifié.")
            % {"state": designation.get_state_display().lower()}
        )
    designation.refresh_from_db()
    audit_record(
        actor=user,
        action=action,
        obj=designation,
        before=before,
        after=_snapshot(designation),
        summary=summary,
        comment=comment,
    )
    return designation


@transaction.atomic
def responsable_decide(*, designation, user, roles, approve: bool, comment: str = ""):
    if not roles_grant(roles, "gar.designate"):
        raise DesignationError(_("Seule l'équipe de direction décide des désignations proposées."))
    comment = comment.strip()
    state = DesignationState.DESIGNATED if approve else DesignationState.REFUSED
    _transition(
        designation,
        from_states=[DesignationState.PROPOSED],
        user=user,
        comment=comment,
        action=f"gar.responsable.{'approved' if approve else 'refused'}",
        summary=f"Désignation de {designation.user} {'acceptée' if approve else 'refusée'}",
        state=state,
        decided_by=user,
        decided_at=timezone.now(),
    )
    if approve:
        _grant_role(designation)
    return designation


@transaction.atomic
def responsable_withdraw(*, designation, user, roles):
    if not (roles_grant(roles, "gar.designate") or designation.user_id == user.pk):
        raise DesignationError(
            _("Seuls la direction et la personne elle-même retirent une désignation.")
        )
    was_designated = designation.state == DesignationState.DESIGNATED
    _transition(
        designation,
        from_states=LIVE,
        user=user,
        action="gar.responsable.withdrawn",
        summary=f"Désignation de {designation.user} retirée",
        state=DesignationState.WITHDRAWN,
    )
    if was_designated:
        _revoke_role(designation)
    return designation


@transaction.atomic
def responsable_confirm_ent(*, designation, user, roles):
    """The person (or the direction, or the admin ENT who did it) confirms the ENT step."""
    if not (
        designation.user_id == user.pk
        or roles_grant(roles, "gar.designate")
        or Role.ADMIN_ENT in roles
    ):
        raise DesignationError(
            _(
                "Seuls la personne désignée, la direction et l'administrateur ENT confirment que "
                "c'est fait dans l'ENT."
            )
        )
    if designation.state != DesignationState.DESIGNATED:
        raise DesignationError(_("Seule une personne désignée peut l'être aussi dans l'ENT."))
    before = _snapshot(designation)
    updated = RespAffectation.objects.filter(
        pk=designation.pk, state=DesignationState.DESIGNATED, done_in_ent_at__isnull=True
    ).update(done_in_ent_at=timezone.now())
    if not updated:
        raise DesignationError(_("C'est déjà confirmé : rien n'a été modifié."))
    designation.refresh_from_db()
    audit_record(
        actor=user,
        action="gar.responsable.ent_done",
        obj=designation,
        before=before,
        after=_snapshot(designation),
        summary=f"Fait dans l'ENT : {designation.user} responsable d'affectation GAR",
    )
    return designation
