"""What this part adds to the three screens: the head's inbox lists the proposals to decide."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rrupn.dashboard.registry import InboxEntry, InboxSource, inbox

from .selectors import waiting_proposals


def _euros(amount) -> str:
    return f"{amount:,.2f} €".replace(",", "\u202f").replace(".", ",")


def _inbox_entries(establishment, school_year, user) -> list[InboxEntry]:
    return [
        InboxEntry(
            title=str(
                _("Achat proposé : %(item)s × %(quantity)s")
                % {"item": proposal.item, "quantity": proposal.quantity}
            ),
            detail=str(
                _("%(cost)s, proposé par %(name)s")
                % {"cost": _euros(proposal.estimated_cost), "name": proposal.proposed_by}
            ),
            url=reverse("commission:purchase_detail", args=[establishment.uai, proposal.pk])
            + "#decision",
            waiting_since=proposal.proposed_at,
        )
        for proposal in waiting_proposals(establishment)
    ]


inbox.register(
    InboxSource(
        key="purchases",
        label=_("Propositions d'achat à décider"),
        order=40,
        entries=_inbox_entries,
    )
)
