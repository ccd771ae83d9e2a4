"""Writes on purchase proposals: the RRUPN or the direction proposes, the head side decides.

proposed ─approve (head/direction)→ approved
proposed ─refuse with a comment (head/direction)→ refused

A decision is a conditional UPDATE on state='proposed': of two concurrent decisions only the
first applies, the second gets a clear message and changes nothing.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commission.capabilities import PILOTS
from commission.models import PurchaseProposal, PurchaseState
from rrupn.access.capabilities import DIRECTION
from rrupn.audit.services import audit_record
from rrupn.notifications.emails import notify


class PurchaseError(Exception):
    """A refused action; the message is shown to the user as is."""


@dataclass
class PurchaseData:
    item: str
    quantity: int
    estimated_cost: Decimal
    justification: str
    project: str = ""


def purchase_data_check(data: PurchaseData) -> None:
    # The form says it first; the service says it again for any other caller.
    if not data.item.strip():
        raise PurchaseError(_("Indiquez le matériel ou la ressource à acheter."))
    if data.quantity is None or data.quantity < 1:
        raise PurchaseError(_("La quantité doit être un nombre entier supérieur ou égal à 1."))
    if data.estimated_cost is None or data.estimated_cost < 0:
        raise PurchaseError(_("Le coût estimé ne peut pas être négatif."))
    if not data.justification.strip():
        raise PurchaseError(_("Justifiez la proposition : à quel usage, pour quel projet ?"))


def _snapshot(proposal: PurchaseProposal) -> dict:
    return {
        "état": proposal.state,
        "quantité": proposal.quantity,
        "coût estimé": str(proposal.estimated_cost),
    }


@transaction.atomic
def purchase_propose(*, establishment, school_year, user, roles, data: PurchaseData):
    if not PILOTS & set(roles):
        raise PurchaseError(_("Seuls le RRUPN et l'équipe de direction proposent des achats."))
    purchase_data_check(data)
    proposal = PurchaseProposal.objects.create(
        establishment=establishment,
        school_year=school_year,
        item=data.item.strip(),
        quantity=data.quantity,
        estimated_cost=data.estimated_cost,
        justification=data.justification.strip(),
        project=data.project.strip(),
        proposed_by=user,
    )
    audit_record(
        actor=user,
        action="purchase.proposed",
        obj=proposal,
        after=_snapshot(proposal),
        summary=f"Proposition d'achat : {proposal}",
    )
    return proposal


@transaction.atomic
def purchase_decide(*, proposal, user, roles, approve: bool, comment: str = ""):
    if not DIRECTION & set(roles):
        raise PurchaseError(_("Seule l'équipe de direction décide des propositions d'achat."))
    comment = comment.strip()
    if not approve and not comment:
        raise PurchaseError(_("Indiquez le motif du refus : il est transmis à l'auteur."))
    before = _snapshot(proposal)
    target = PurchaseState.APPROVED if approve else PurchaseState.REFUSED
    updated = PurchaseProposal.objects.filter(pk=proposal.pk, state=PurchaseState.PROPOSED).update(
        state=target, decided_by=user, decided_at=timezone.now(), decision_comment=comment
    )
    if not updated:
        current = PurchaseProposal.objects.get(pk=proposal.pk)
        raise PurchaseError(
            _("Cette proposition a déjà été décidée (%(state)s) : rien n'a été modifié.")
            % {"state": current.get_state_display().lower()}
        )
    proposal.refresh_from_db()
    audit_record(
        actor=user,
        action=f"purchase.{target}",
        obj=proposal,
        before=before,
        after=_snapshot(proposal),
        summary=f"Proposition d'achat {target.label.lower()} : {proposal}",
        comment=comment,
    )
    _notify_proposer(proposal, user)
    return proposal


def _notify_proposer(proposal, decider) -> None:
    if proposal.proposed_by_id == decider.pk:
        return  # nobody to tell
    notify(
        to=[proposal.proposed_by.email],
        name="purchase_decision",
        context={
            "item": proposal.item,
            "quantity": proposal.quantity,
            "estimated_cost": f"{proposal.estimated_cost:.2f}".replace(".", ","),
            "decision": proposal.get_state_display().lower(),
            "decider": str(decider),
            "comment": proposal.decision_comment,
            "establishment": proposal.establishment.name,
            "path": reverse(
                "commission:purchase_detail",
                kwargs={"uai": proposal.establishment.uai, "purchase_id": proposal.pk},
            ),
        },
    )
