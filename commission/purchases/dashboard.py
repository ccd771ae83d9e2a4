"""What this part adds to the three screens: the head's inbox lists the proposals to decide."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rrupn.dashboard.registry import InboxAction, InboxEntry, InboxSource, inbox

from .selectors import waiting_proposals


def _euros(amount) -> str:
    return f"{amount:,.2f} €".replace(",", "\u202f").replace(".", ",")


def _decide_url(establishment, proposal) -> str:
    return reverse("commission:purchase_decide", args=[establishment.uai, proposal.pk])


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
            approve=InboxAction(
                url=_decide_url(establishment, proposal),
                data=(("decision", "accepter"),),
                capability="purchases.decide",
                label=str(_("Accepter l'achat")),
            ),
            send_back=InboxAction(
                url=_decide_url(establishment, proposal),
                data=(("decision", "refuser"),),
                capability="purchases.decide",
                label=str(_("Refuser avec ce commentaire")),
            ),
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
