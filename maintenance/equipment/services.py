"""Writes and reads on equipment needs for the collectivité's yearly campaign (SPEC §6).

proposed ─validate (head/direction)→ validated
proposed ─refuse with a comment (head/direction)→ refused

The RRUPN, who best spots the needs, proposes (the guide: « déclencheur et conseil auprès de
l'équipe de direction »); the direction decides. A decision is a conditional UPDATE on
state='proposed': of two concurrent decisions only the first applies.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maintenance import notifications
from maintenance.capabilities import HANDLERS
from maintenance.models import EquipmentNeed, EquipmentState
from rrupn.access.capabilities import DIRECTION
from rrupn.audit.services import audit_record
from rrupn.notifications.emails import notify

PRIORITIES = {1: "1 — haute", 2: "2 — moyenne", 3: "3 — basse"}


class EquipmentError(Exception):
    """A refused action; the message is shown to the user as is."""


@dataclass
class NeedData:
    item: str
    quantity: int
    justification: str
    priority: int = 2


def need_data_check(data: NeedData) -> None:
    # The form says it first; the service says it again for any other caller.
    if not (data.item or "").strip():
        raise EquipmentError(_("Indiquez le matériel demandé."))
    if data.quantity is None or data.quantity < 1:
        raise EquipmentError(_("La quantité doit être un nombre entier supérieur ou égal à 1."))
    if not (data.justification or "").strip():
        raise EquipmentError(_("Justifiez le besoin : pour quel usage, quelles classes ?"))
    if data.priority not in PRIORITIES:
        raise EquipmentError(_("La priorité doit être 1 (haute), 2 (moyenne) ou 3 (basse)."))


def _snapshot(need: EquipmentNeed) -> dict:
    return {"état": need.state, "quantité": need.quantity, "priorité": need.priority}


@transaction.atomic
def need_propose(*, establishment, school_year, user, roles, data: NeedData) -> EquipmentNeed:
    if not HANDLERS & set(roles):
        raise EquipmentError(
            _("Seuls le RRUPN et l'équipe de direction proposent des besoins d'équipement.")
        )
    need_data_check(data)
    need = EquipmentNeed.objects.create(
        establishment=establishment,
        school_year=school_year,
        item=data.item.strip(),
        quantity=data.quantity,
        justification=data.justification.strip(),
        priority=data.priority,
        proposed_by=user,
    )
    audit_record(
        actor=user,
        action="equipment.proposed",
        obj=need,
        establishment=establishment,
        after=_snapshot(need),
        summary=f"Besoin d'équipement proposé : {need}",
    )
    notifications.equipment_awaiting(need, user)
    return need


@transaction.atomic
def need_decide(*, need, user, roles, validate: bool, comment: str = "") -> EquipmentNeed:
    if not DIRECTION & set(roles):
        raise EquipmentError(_("Seule l'équipe de direction valide les besoins d'équipement."))
    comment = (comment or "").strip()
    if not validate and not comment:
        raise EquipmentError(_("Indiquez le motif du refus : il est transmis à l'auteur."))
    before = _snapshot(need)
    target = EquipmentState.VALIDATED if validate else EquipmentState.REFUSED
    updated = EquipmentNeed.objects.filter(pk=need.pk, state=EquipmentState.PROPOSED).update(
        state=target, decided_by=user, decided_at=timezone.now(), decision_comment=comment
    )
    if not updated:
        current = EquipmentNeed.objects.get(pk=need.pk)
        raise EquipmentError(
            _("Ce besoin a déjà été décidé (%(state)s) : rien n'a été modifié.")
            % {"state": current.get_state_display().lower()}
        )
    need.refresh_from_db()
    verb = "validé" if validate else "refusé"
    audit_record(
        actor=user,
        action=f"equipment.{target}",
        obj=need,
        establishment=need.establishment,
        before=before,
        after=_snapshot(need),
        summary=f"Besoin d'équipement {verb} : {need}",
        comment=comment,
    )
    _notify_proposer(need, user, verb)
    return need


def _notify_proposer(need, decider, verb: str) -> None:
    if need.proposed_by_id == decider.pk:
        return  # nobody to tell
    notify(
        to=[need.proposed_by.email],
        name="equipment_decision",
        context={
            "item": need.item,
            "quantity": need.quantity,
            "priority": need.priority,
            "decision": verb,
            "decider": str(decider),
            "comment": need.decision_comment,
            "establishment": need.establishment.name,
            "school_year": need.school_year.label,
            "path": reverse(
                "maintenance:equipment_detail",
                kwargs={"uai": need.establishment.uai, "equipment_need_id": need.pk},
            ),
        },
    )


# --- reads -------------------------------------------------------------------------------------


def needs_of(establishment):
    return EquipmentNeed.objects.filter(establishment=establishment).select_related(
        "proposed_by", "decided_by", "school_year"
    )


def waiting_needs(establishment):
    """Every need still waiting for a decision, whatever its year: none is forgotten."""
    return needs_of(establishment).filter(state=EquipmentState.PROPOSED).order_by("created_at")


def validated_needs(establishment, school_year):
    return (
        needs_of(establishment)
        .filter(school_year=school_year, state=EquipmentState.VALIDATED)
        .order_by("priority", "item", "pk")
    )


@dataclass(frozen=True)
class TotalLine:
    state: str
    label: str
    needs: int
    items: int  # sum of the quantities


@dataclass(frozen=True)
class Totals:
    """The year at a glance: needs and items per state, and overall."""

    lines: list[TotalLine]
    needs: int
    items: int

    def line(self, state) -> TotalLine:
        return next(line for line in self.lines if line.state == state)


def totals_of(establishment, school_year) -> Totals:
    rows = (
        EquipmentNeed.objects.filter(establishment=establishment, school_year=school_year)
        .values("state")
        .annotate(needs=Count("pk"), items=Sum("quantity"))
        .order_by()
    )
    by_state = {row["state"]: row for row in rows}
    lines = [
        TotalLine(
            state=state,
            label=label,
            needs=by_state.get(state, {}).get("needs", 0),
            items=by_state.get(state, {}).get("items") or 0,
        )
        for state, label in EquipmentState.choices
    ]
    return Totals(
        lines=lines,
        needs=sum(line.needs for line in lines),
        items=sum(line.items for line in lines),
    )


def has_validated(establishment, school_year) -> bool:
    return EquipmentNeed.objects.filter(
        establishment=establishment, school_year=school_year, state=EquipmentState.VALIDATED
    ).exists()
