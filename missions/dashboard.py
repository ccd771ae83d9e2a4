"""What the mission letters add to the three screens (registries of rrupn.dashboard)."""

from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rrupn.dashboard.registry import (
    WAITING_ON_RRUPN,
    ChecklistItem,
    InboxAction,
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


def _transition(letter, action) -> str:
    return reverse("missions:transition", args=[letter.establishment.uai, letter.pk, action])


def _inbox_entries(establishment, school_year, user) -> list[InboxEntry]:
    waiting = MissionLetter.objects.filter(
        establishment=establishment, state=LetterState.PROPOSED
    ).select_related("rrupn", "school_year", "establishment")
    return [
        InboxEntry(
            title=str(
                _("Lettre de mission %(ref)s en attente de votre signature")
                % {"ref": letter.reference}
            ),
            detail=str(_("RRUPN : %(name)s") % {"name": letter.rrupn}),
            url=reverse("missions:detail", args=[establishment.uai, letter.pk]),
            waiting_since=letter.updated_at,
            approve=InboxAction(
                url=_transition(letter, "signer"),
                data=(("revision", str(letter.revision)),),
                capability="missions.sign",
                label=str(_("Signer")),
            ),
            # Only a version the RRUPN proposed is sent back by the head's side.
            send_back=InboxAction(
                url=_transition(letter, "demander-des-modifications"),
                data=(("revision", str(letter.revision)),),
                capability="missions.manage",
                label=str(_("Demander des modifications")),
            )
            if letter.proposed_by_id == letter.rrupn_id
            else None,
        )
        for letter in waiting
    ]


def _rrupn_entries(establishment, school_year, user) -> list[InboxEntry]:
    """Letters waiting on their RRUPN: signed (to accept), or proposed by the head's side."""
    waiting = (
        MissionLetter.objects.filter(establishment=establishment, school_year=school_year)
        .filter(
            Q(state=LetterState.SIGNED) | Q(state=LetterState.PROPOSED) & ~Q(proposed_by=F("rrupn"))
        )
        .select_related("rrupn")
    )
    return [
        InboxEntry(
            title=str(
                _("Lettre de mission %(ref)s à accepter")
                if letter.state == LetterState.SIGNED
                else _("Lettre de mission %(ref)s proposée au RRUPN")
            )
            % {"ref": letter.reference},
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
        action=_("Ouvrir la lettre de mission"),
    )
)
inbox.register(
    InboxSource(
        key="mission_letters", label=_("Lettres de mission"), order=10, entries=_inbox_entries
    )
)
inbox.register(
    InboxSource(
        key="mission_letters_rrupn",
        label=_("Lettres de mission"),
        order=11,
        entries=_rrupn_entries,
        waiting_on=WAITING_ON_RRUPN,
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
