"""What the follow-up adds to the SRANE overview: participation, shared results and 6e
attestations per school, from the anonymous per-class summaries (a fixed number of queries for
a whole page of schools)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rrupn.dashboard.registry import SraneColumn, SraneFigure, Status, srane_columns, srane_figures
from rrupn.establishments.models import Establishment

from .selectors import school_figures, scope_figures


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


def _scope_figures(departments, school_year) -> list[tuple[str, str]]:
    """The scope's Pix year in four numbers (three queries whatever the number of schools)."""
    total = scope_figures(Establishment.objects.filter(department__in=departments), school_year)
    return [
        (str(_("Participation")), _rate(total.participation_percent, total.reached, total.pupils)),
        (
            str(_("Résultats partagés")),
            _rate(total.shared_percent, total.shared, total.participations),
        ),
        (str(_("Attestations de 6e")), str(total.attestations)),
        (str(_("Élèves certifiables")), str(total.certifiable)),
    ]


srane_figures.register(
    SraneFigure(key="pix_year", label=_("Pix cette année"), order=70, values=_scope_figures)
)
