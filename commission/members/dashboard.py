"""What the commission and its meetings add to the three screens (rrupn.dashboard registries).

The SRANE gets figures only: member names (pupils, parents) never leave the school's pages.
"""

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rrupn.dashboard.registry import (
    ChecklistItem,
    InboxAction,
    InboxEntry,
    InboxSource,
    SraneColumn,
    Status,
    checklist,
    inbox,
    srane_columns,
)

from ..models import OPEN_ACTION_STATUSES, Action, Commission, Meeting, MemberCategory
from . import tasks  # noqa: F401  (Celery autodiscovery only looks at commission.tasks)
from .selectors import commission_of, day_start, missing_categories, term_bounds


def _home(establishment) -> str:
    return reverse("commission:home", args=[establishment.uai])


def _no_commission(establishment) -> Status:
    return Status(False, str(_("Aucune commission pour l'année")), _home(establishment))


def _composed(establishment, school_year) -> Status:
    commission = commission_of(establishment, school_year)
    if commission is None:
        return _no_commission(establishment)
    members = list(commission.members.only("category"))
    missing = missing_categories(members)
    if missing:
        labels = ", ".join(str(MemberCategory(c).label) for c in missing)
        return Status(
            False, str(_("Manque : %(labels)s")) % {"labels": labels}, _home(establishment)
        )
    return Status(True, str(_("%(n)s membres")) % {"n": len(members)}, _home(establishment))


def _validated(establishment, school_year) -> Status:
    commission = commission_of(establishment, school_year)
    if commission is None:
        return _no_commission(establishment)
    url = _home(establishment)
    if commission.validated_at:
        day = timezone.localtime(commission.validated_at).strftime("%d/%m/%Y")
        return Status(True, str(_("Validée le %(day)s")) % {"day": day}, url)
    if commission.submitted_at:
        return Status(False, str(_("En attente de la validation du chef d'établissement")), url)
    return Status(False, str(_("Pas encore soumise à validation")), url)


def _met_this_term(establishment, school_year) -> Status:
    now = timezone.now()
    start, _end = term_bounds(timezone.localdate())
    last = Meeting.objects.filter(
        commission__establishment=establishment,
        starts_at__gte=day_start(start),
        starts_at__lte=now,
    ).aggregate(last=Max("starts_at"))["last"]
    url = reverse("commission:meeting_list", args=[establishment.uai])
    if last is None:
        return Status(False, str(_("Aucune réunion tenue ce trimestre")), url)
    day = timezone.localtime(last).strftime("%d/%m/%Y")
    return Status(True, str(_("Réunie le %(day)s")) % {"day": day}, url)


def _inbox_entries(establishment, school_year, user) -> list[InboxEntry]:
    waiting = Commission.objects.filter(
        establishment=establishment,
        school_year=school_year,
        submitted_at__isnull=False,
        validated_at__isnull=True,
    ).annotate(n=Count("members"))
    return [
        InboxEntry(
            title=str(_("Composition de la commission numérique %(year)s à valider"))
            % {"year": school_year.label},
            detail=str(_("%(n)s membres")) % {"n": commission.n},
            url=_home(establishment),
            waiting_since=commission.submitted_at,
            approve=InboxAction(
                url=reverse("commission:composition_validate", args=[establishment.uai]),
                data=(("revision", str(commission.revision)),),
                capability="commission.validate",
                label=str(_("Valider la composition")),
            ),
        )
        for commission in waiting
    ]


def _held_by_establishment(establishments, school_year) -> dict[int, dict]:
    rows = (
        Meeting.objects.filter(
            commission__establishment__in=[e.pk for e in establishments],
            commission__school_year=school_year,
            starts_at__lte=timezone.now(),
        )
        .values("commission__establishment_id")
        .annotate(count=Count("pk"), last=Max("starts_at"))
    )
    return {row["commission__establishment_id"]: row for row in rows}


def _met_this_year_column(establishments, school_year) -> dict[int, Status]:
    held = _held_by_establishment(establishments, school_year)
    result = {}
    for est in establishments:
        row = held.get(est.pk)
        if row is None:
            result[est.pk] = Status(False, str(_("Pas encore réunie")))
        else:
            day = timezone.localtime(row["last"]).strftime("%d/%m/%Y")
            result[est.pk] = Status(True, str(_("Dernière réunion le %(day)s")) % {"day": day})
    return result


def _meetings_column(establishments, school_year) -> dict[int, Status]:
    held = _held_by_establishment(establishments, school_year)
    return {
        est.pk: Status(None, str(held.get(est.pk, {}).get("count", 0))) for est in establishments
    }


def _open_actions_column(establishments, school_year) -> dict[int, Status]:
    counts = dict(
        Action.objects.filter(
            commission__establishment__in=[e.pk for e in establishments],
            commission__school_year=school_year,
        )
        .values("commission__establishment_id")
        .annotate(n=Count("pk", filter=Q(status__in=OPEN_ACTION_STATUSES)))
        .values_list("commission__establishment_id", "n")
    )
    return {est.pk: Status(None, str(counts.get(est.pk, 0))) for est in establishments}


checklist.register(
    ChecklistItem(
        key="commission_composed",
        label=_("Commission composée"),
        order=20,
        status=_composed,
        action=_("Composer la commission"),
    )
)
checklist.register(
    ChecklistItem(
        key="commission_validated",
        label=_("Composition validée"),
        order=21,
        status=_validated,
        action=_("Soumettre la composition"),
    )
)
checklist.register(
    ChecklistItem(
        key="commission_met_this_term",
        label=_("Commission réunie ce trimestre"),
        order=22,
        status=_met_this_term,
        action=_("Prévoir une réunion"),
    )
)
inbox.register(
    InboxSource(
        key="commission_composition",
        label=_("Composition de la commission à valider"),
        order=20,
        entries=_inbox_entries,
    )
)
srane_columns.register(
    SraneColumn(
        key="commission_met_this_year",
        label=_("Commission réunie cette année"),
        order=20,
        values=_met_this_year_column,
    )
)
srane_columns.register(
    SraneColumn(key="commission_meetings", label=_("Réunions"), order=21, values=_meetings_column)
)
srane_columns.register(
    SraneColumn(
        key="commission_open_actions",
        label=_("Actions ouvertes"),
        order=22,
        values=_open_actions_column,
    )
)
