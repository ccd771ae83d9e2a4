"""What training adds to the three screens: a checklist item and a SRANE column."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rrupn.dashboard.registry import (
    ChecklistItem,
    SraneColumn,
    Status,
    checklist,
    srane_columns,
)

from .selectors import need_counts


def _status(counts, url="") -> Status:
    if counts is None:
        return Status(False, _("Aucun besoin recensé"), url)
    needs, staff = counts
    text = ngettext(
        "%(needs)s besoin, %(staff)s personnels",
        "%(needs)s besoins, %(staff)s personnels",
        needs,
    ) % {"needs": needs, "staff": staff}
    return Status(True, text, url)


def _checklist_status(establishment, school_year) -> Status:
    url = reverse("commission:training", args=[establishment.uai])
    return _status(need_counts([establishment.pk], school_year).get(establishment.pk), url)


def _srane_column(establishments, school_year) -> dict:
    counts = need_counts([e.pk for e in establishments], school_year)
    return {e.pk: _status(counts.get(e.pk)) for e in establishments}


checklist.register(
    ChecklistItem(
        key="training_needs",
        label=gettext_lazy("Besoins de formation recensés"),
        order=50,
        status=_checklist_status,
        action=gettext_lazy("Recenser les besoins"),
    )
)
srane_columns.register(
    SraneColumn(
        key="training_needs",
        label=gettext_lazy("Besoins de formation exprimés"),
        order=50,
        values=_srane_column,
    )
)
