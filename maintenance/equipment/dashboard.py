"""What this part adds to the three screens: the head's inbox lists the needs to validate."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rrupn.dashboard.registry import InboxAction, InboxEntry, InboxSource, inbox

from . import tasks  # noqa: F401  (Celery autodiscovery only looks at maintenance.tasks)
from .services import waiting_needs


def _decide_url(establishment, need) -> str:
    return reverse("maintenance:equipment_decide", args=[establishment.uai, need.pk])


def _inbox_entries(establishment, school_year, user) -> list[InboxEntry]:
    return [
        InboxEntry(
            title=str(
                _("Besoin d'équipement : %(item)s × %(quantity)s")
                % {"item": need.item, "quantity": need.quantity}
            ),
            detail=str(
                _("Priorité %(priority)s, proposé par %(name)s (%(year)s)")
                % {"priority": need.priority, "name": need.proposed_by, "year": need.school_year}
            ),
            url=reverse("maintenance:equipment_detail", args=[establishment.uai, need.pk])
            + "#decision",
            waiting_since=need.created_at,
            approve=InboxAction(
                url=_decide_url(establishment, need),
                data=(("decision", "valider"),),
                capability="equipment.validate",
                label=str(_("Valider le besoin")),
            ),
            send_back=InboxAction(
                url=_decide_url(establishment, need),
                data=(("decision", "refuser"),),
                capability="equipment.validate",
                label=str(_("Refuser avec ce commentaire")),
            ),
        )
        for need in waiting_needs(establishment)
    ]


inbox.register(
    InboxSource(
        key="equipment_needs",
        label=_("Besoins d'équipement à valider"),
        order=45,
        entries=_inbox_entries,
    )
)
