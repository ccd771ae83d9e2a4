"""What the follow-up adds to the SRANE overview: participation, shared results and 6e
attestations per school, from the anonymous per-class summaries (a fixed number of queries for
a whole page of schools)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rrupn.dashboard.registry import SraneColumn, Status, srane_columns

from .selectors import school_figures


def _url(establishment) -> str:
    page = reverse("pix_srane:overview")
    return f"{page}?departement={establishment.department}#etablissement-{establishment.uai}"


def _rate(value, part, whole) -> str:
    if value is None:
        return "—"
    return f"{value} % ({part}/{whole})"


def _participation(establishments, school_year) -> dict[int, Status]:
    figures = school_figures([e.pk for e in establishments], school_year, ("classes", "pupils"))
    return {
        est.pk: Status(
            None,
            _rate(
                figures[est.pk].participation_percent,
                figures[est.pk].reached,
                figures[est.pk].pupils,
            ),
            _url(est),
        )
        for est in establishments
    }


def _shared(establishments, school_year) -> dict[int, Status]:
    figures = school_figures([e.pk for e in establishments], school_year, ("shared",))
    return {
        est.pk: Status(
            None,
            _rate(
                figures[est.pk].shared_percent,
                figures[est.pk].shared,
                figures[est.pk].participations,
            ),
            _url(est),
        )
        for est in establishments
    }


def _attestations(establishments, school_year) -> dict[int, Status]:
    figures = school_figures([e.pk for e in establishments], school_year, ("classes",))
    statuses = {}
    for est in establishments:
        n = figures[est.pk].attestations
        text = ngettext("%(n)s attestation", "%(n)s attestations", n) % {"n": n}
        statuses[est.pk] = Status(None, text, _url(est))
    return statuses


srane_columns.register(
    SraneColumn(
        key="pix_participation", label=_("Pix : participation"), order=70, values=_participation
    )
)
srane_columns.register(
    SraneColumn(key="pix_shared", label=_("Pix : résultats partagés"), order=71, values=_shared)
)
srane_columns.register(
    SraneColumn(key="pix_sixth", label=_("Pix : attestations 6e"), order=72, values=_attestations)
)
