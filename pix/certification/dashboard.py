"""What certification adds to the three screens: the checklist item "Sessions de certification
Pix planifiées" and the SRANE's "Certification" column, each in two queries whatever the number
of schools (classes' levels, then the year's sessions)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rrupn.dashboard.registry import ChecklistItem, SraneColumn, Status, checklist, srane_columns

from .selectors import (
    LEVEL_ORDER,
    SessionTotals,
    level_label,
    levels_by_establishment,
    session_totals,
)


def _labels(levels) -> str:
    return ", ".join(level_label(level) for level in LEVEL_ORDER if level in levels)


def _covered(levels: set, totals: SessionTotals | None) -> bool | None:
    """Every certification level the school has classes of has a session this year (None: the
    school has no such class)."""
    if not levels:
        return None
    return levels <= (totals.levels if totals else set())


def checklist_status(levels: set, totals: SessionTotals | None, url: str = "") -> Status:
    if not levels:
        return Status(
            None, _("Sans objet : aucune classe de 3e, terminale, CAP ou BTS cette année"), url
        )
    planned = levels & (totals.levels if totals else set())
    missing = levels - planned
    if not missing:
        text = _("Planifiées : %(levels)s") % {"levels": _labels(planned)}
        return Status(True, text, url)
    text = _("À planifier : %(levels)s") % {"levels": _labels(missing)}
    if planned:
        text += " · " + _("planifiées : %(levels)s") % {"levels": _labels(planned)}
    return Status(False, text, url)


def _checklist(establishment, school_year) -> Status:
    levels = levels_by_establishment([establishment.pk], school_year).get(establishment.pk, set())
    totals = session_totals([establishment.pk], school_year).get(establishment.pk)
    url = reverse("pix:certification_sessions", args=[establishment.uai])
    return checklist_status(levels, totals, url)


def column_status(levels: set, totals: SessionTotals | None) -> Status:
    done = _covered(levels, totals)
    if totals is None:
        return Status(done, _("Aucune session") if levels else "")
    parts = []
    if totals.with_results:
        parts.append(
            _("%(certified)s/%(candidates)s certifiés (%(percent)s %%)")
            % {
                "certified": totals.certified,
                "candidates": totals.results_candidates,
                "percent": round(100 * totals.certified / totals.results_candidates)
                if totals.results_candidates
                else 0,
            }
        )
    planned = totals.sessions - totals.with_results
    if planned:
        parts.append(
            ngettext(
                "%(n)s session planifiée (%(candidates)s candidats)",
                "%(n)s sessions planifiées (%(candidates)s candidats)",
                planned,
            )
            % {"n": planned, "candidates": totals.candidates - totals.results_candidates}
        )
    return Status(done, " · ".join(parts))


def _srane_column(establishments, school_year) -> dict[int, Status]:
    ids = [est.pk for est in establishments]
    levels = levels_by_establishment(ids, school_year)
    totals = session_totals(ids, school_year)
    return {pk: column_status(levels.get(pk, set()), totals.get(pk)) for pk in ids}


checklist.register(
    ChecklistItem(
        key="pix_certification_sessions",
        label=gettext_lazy("Sessions de certification Pix planifiées"),
        order=72,
        status=_checklist,
        action=gettext_lazy("Planifier une session"),
    )
)
srane_columns.register(
    SraneColumn(
        key="pix_certification",
        label=gettext_lazy("Certification"),
        order=72,
        values=_srane_column,
    )
)
