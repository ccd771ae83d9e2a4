"""What incidents add to the three screens: the checklist's open incidents, the head's lycée
incidents to forward, and the SRANE overview's open incidents per school."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from maintenance.models import TicketStatus
from rrupn.dashboard.registry import (
    WAITING_ON_RRUPN,
    ChecklistItem,
    InboxEntry,
    InboxSource,
    SraneColumn,
    Status,
    checklist,
    inbox,
    srane_columns,
)

from .selectors import OpenCount, open_counts, to_forward


def open_status(counted: OpenCount, url: str = "") -> Status:
    if not counted.count:
        return Status(True, str(_("Aucun incident ouvert")), url)
    text = ngettext("%(n)s incident ouvert", "%(n)s incidents ouverts", counted.count) % {
        "n": counted.count
    }
    days = counted.oldest_days
    if days:
        text += " · " + ngettext(
            "le plus ancien a %(d)s jour", "le plus ancien a %(d)s jours", days
        ) % {"d": days}
    else:
        text += " · " + str(_("le plus ancien date d’aujourd’hui"))
    if counted.to_forward:
        text += " · " + ngettext(
            "%(n)s signalement à transmettre",
            "%(n)s signalements à transmettre",
            counted.to_forward,
        ) % {"n": counted.to_forward}
    return Status(None, text, url)


def _checklist_status(establishment, school_year) -> Status:
    counted = open_counts([establishment.pk])[establishment.pk]
    return open_status(
        counted, reverse("maintenance:tickets_list", args=[establishment.uai]) + "?etat=open"
    )


def _inbox_entries(establishment, school_year, user) -> list[InboxEntry]:
    return [
        InboxEntry(
            title=str(_("Incident de lycée à transmettre : %(title)s")) % {"title": ticket.title},
            detail=str(_("%(ref)s, signalé par %(name)s, pour %(channel)s"))
            % {"ref": ticket.reference, "name": ticket.reporter, "channel": ticket.channel},
            url=reverse("maintenance:tickets_detail", args=[establishment.uai, ticket.pk])
            + "#transmettre",
            waiting_since=ticket.updated_at,
        )
        for ticket in to_forward(establishment, [TicketStatus.AWAITING_HEAD])
    ]


def _rrupn_entries(establishment, school_year, user) -> list[InboxEntry]:
    return [
        InboxEntry(
            title=str(_("Signalement à transmettre : %(title)s")) % {"title": ticket.title},
            detail=str(
                _("%(ref)s, signalé par %(name)s")
                % {"ref": ticket.reference, "name": ticket.reporter}
            ),
            url=reverse("maintenance:tickets_detail", args=[establishment.uai, ticket.pk]),
            waiting_since=ticket.created_at,
        )
        for ticket in to_forward(establishment)
    ]


def _srane_column(establishments, school_year) -> dict[int, Status]:
    counts = open_counts([est.pk for est in establishments])
    url = reverse("maintenance_srane:tickets_by_collectivite")
    return {est.pk: open_status(counts[est.pk], url) for est in establishments}


checklist.register(
    ChecklistItem(
        key="tickets_open",
        label=_("Incidents ouverts"),
        order=60,
        status=_checklist_status,
        action=_("Suivre les incidents"),
    )
)
inbox.register(
    InboxSource(
        key="tickets_awaiting_head",
        label=_("Incidents de lycée à transmettre"),
        order=60,
        entries=_inbox_entries,
    )
)
inbox.register(
    InboxSource(
        key="tickets_to_rrupn",
        label=_("Signalements d'incident à transmettre"),
        order=61,
        entries=_rrupn_entries,
        waiting_on=WAITING_ON_RRUPN,
    )
)
srane_columns.register(
    SraneColumn(key="tickets_open", label=_("Incidents ouverts"), order=60, values=_srane_column)
)
