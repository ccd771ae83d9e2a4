"""What the digital project adds to the three screens (rrupn.dashboard registries)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rrupn.dashboard.registry import ChecklistItem, Status, checklist

from ..models import Indicator


def _checklist_status(establishment, school_year) -> Status:
    """Done once an indicator of the project has a value measured this school year."""
    counts = Indicator.objects.filter(axis__establishment=establishment).aggregate(
        total=Count("pk", distinct=True),
        measured=Count(
            "pk",
            distinct=True,
            filter=Q(values__measured_on__range=(school_year.starts_on, school_year.ends_on)),
        ),
    )
    url = reverse("commission:project", args=[establishment.uai])
    if not counts["total"]:
        return Status(False, _("Aucun indicateur défini"), url)
    text = (
        ngettext(
            "%(measured)s indicateur sur %(total)s mesuré cette année",
            "%(measured)s indicateurs sur %(total)s mesurés cette année",
            counts["measured"],
        )
        % counts
    )
    return Status(counts["measured"] > 0, text, url)


checklist.register(
    ChecklistItem(
        key="project_indicators_measured",
        label=gettext_lazy("Indicateurs du projet numérique mesurés"),
        order=45,
        status=_checklist_status,
    )
)
