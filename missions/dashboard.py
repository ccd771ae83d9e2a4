"""What the mission letters add to the three screens (registries of rrupn.dashboard)."""

from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rrupn.dashboard.registry import (
    ChecklistItem,
    InboxEntry,
    InboxSource,
    SraneColumn,
    SraneFigure,
    Status,
    checklist,
    inbox,
    srane_columns,
    srane_figures,
)
from rrupn.establishments.models import Department

from .models import IN_FORCE_STATES, LetterState, MissionLetter


def _current_letters(establishment_ids, school_year) -> dict[int, MissionLetter]:
    """The latest letter of each establishment for the year, replaced versions left out."""
    letters = (
        MissionLetter.objects.filter(
            establishment_id__in=establishment_ids, school_year=school_year
        )
        .exclude(state=LetterState.REPLACED)
        .order_by("establishment_id", "version")
    )
    latest: dict[int, MissionLetter] = {}
    for letter in letters:
        # A letter in force outranks an amendment still in preparation.
        kept = latest.get(letter.establishment_id)
        if kept is None or kept.state not in IN_FORCE_STATES:
            latest[letter.establishment_id] = letter
    return latest


def _status(letter, url="") -> Status:
    if letter is None:
        return Status(False, str(_("Aucune lettre de mission")), url)
    return Status(letter.state in IN_FORCE_STATES, letter.get_state_display(), url)


def _checklist_status(establishment, school_year) -> Status:
    letter = _current_letters([establishment.pk], school_year).get(establishment.pk)
    url = reverse("missions:list", args=[establishment.uai])
    if letter is not None:
        url = reverse("missions:detail", args=[establishment.uai, letter.pk])
    return _status(letter, url)


def _inbox_entries(establishment, school_year, user) -> list[InboxEntry]:
    waiting = MissionLetter.objects.filter(
        establishment=establishment, state=LetterState.PROPOSED
    ).select_related("rrupn", "school_year")
    return [
        InboxEntry(
            title=str(
                _("Lettre de mission %(ref)s en attente de votre signature")
                % {"ref": letter.reference}
            ),
            detail=str(_("RRUPN : %(name)s") % {"name": letter.rrupn}),
            url=reverse("missions:detail", args=[establishment.uai, letter.pk]),
            waiting_since=letter.updated_at,
        )
        for letter in waiting
    ]


def _srane_column(establishments, school_year) -> dict[int, Status]:
    letters = _current_letters([e.pk for e in establishments], school_year)
    return {e.pk: _status(letters.get(e.pk)) for e in establishments}


def _imp_totals(departments, school_year) -> list[tuple[str, str]]:
    amount = ExpressionWrapper(
        F("imp_rate__amount") * F("imp_multiple"),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )
    rows = (
        MissionLetter.objects.filter(
            school_year=school_year,
            state__in=IN_FORCE_STATES,
            establishment__department__in=departments,
            imp_rate__isnull=False,
        )
        .values("establishment__department")
        .annotate(total=Sum(amount))
    )
    totals = {row["establishment__department"]: row["total"] or Decimal("0") for row in rows}
    labels = dict(Department.choices)
    return [
        (labels[d], f"{totals.get(d, Decimal('0')):,.2f} €".replace(",", " ").replace(".", ","))
        for d in sorted(departments)
    ]


checklist.register(
    ChecklistItem(
        key="mission_letter",
        label=_("Lettre de mission signée et acceptée"),
        order=10,
        status=_checklist_status,
    )
)
inbox.register(
    InboxSource(
        key="mission_letters", label=_("Lettres de mission"), order=10, entries=_inbox_entries
    )
)
srane_columns.register(
    SraneColumn(key="mission_letter", label=_("Lettre de mission"), order=10, values=_srane_column)
)
srane_figures.register(
    SraneFigure(
        key="imp_totals",
        label=_("IMP des lettres en vigueur, par département"),
        order=10,
        values=_imp_totals,
    )
)
