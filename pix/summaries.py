"""Anonymous per-class counts of a campaign, rebuilt from its participations after each import.

The follow-up pages and the SRANE read these rows, never the pupils' ones; they survive the
purge of nominative data (pix.followup.purge).
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Count, Max, Q

from .models import CampaignKind, CompetenceResult, DivisionSummary, Participation

THREE_PLACES = Decimal("0.001")
ONE_PLACE = Decimal("0.1")


def _rounded(value, places=THREE_PLACES):
    """An average from the database (Decimal or float depending on the backend), rounded."""
    return None if value is None else Decimal(str(value)).quantize(places)


def is_completed(kind: str, progression, shared: bool) -> bool:
    if kind == CampaignKind.PROFILES:
        return shared
    return shared or (progression is not None and progression >= 1)


def is_started(kind: str, progression, shared: bool) -> bool:
    """Joined the campaign and answered something (Pix lists a pupil from the moment they join)."""
    if kind == CampaignKind.PROFILES:
        return shared
    return shared or (progression is not None and progression > 0)


def _conditions(kind: str) -> tuple[Q, Q]:
    """(started, completed) as filters, the same rules as is_started / is_completed."""
    if kind == CampaignKind.PROFILES:
        return Q(shared=True), Q(shared=True)
    return Q(shared=True) | Q(progression__gt=0), Q(shared=True) | Q(progression__gte=1)


@transaction.atomic
def rebuild(campaign) -> list[DivisionSummary]:
    """Replace the campaign's summaries: the database aggregates (three queries and a delete),
    so the cost does not depend on Python walking every pupil's sixteen results."""
    started, completed = _conditions(campaign.kind)
    shared = Q(shared=True)
    classes = (
        Participation.objects.filter(campaign=campaign)
        .values("division_code")
        .annotate(
            # n_…: an annotation may not shadow a field the filters read.
            n_participants=Count("id"),
            n_started=Count("id", filter=started),
            n_completed=Count("id", filter=completed),
            n_shared=Count("id", filter=shared),
            n_certifiable=Count("id", filter=Q(certifiable=True)),
            any_division=Max("division_id"),
            mean_mastery=Avg("mastery", filter=shared),
            mean_total_pix=Avg("total_pix", filter=shared),
        )
        .order_by("division_code")
    )
    cells = (
        CompetenceResult.objects.filter(participation__campaign=campaign)
        .values("participation__division_code", "competence__code")
        .annotate(
            with_mastery=Count("mastery"),
            with_level=Count("level"),
            mean_mastery=Avg("mastery"),
            mean_level=Avg("level"),
        )
        .order_by()
    )
    competences: dict[str, dict] = {}
    for cell in cells:
        mastery, level = _rounded(cell["mean_mastery"]), _rounded(cell["mean_level"])
        competences.setdefault(cell["participation__division_code"], {})[
            cell["competence__code"]
        ] = {
            "n": max(cell["with_mastery"], cell["with_level"]),
            "mastery": None if mastery is None else float(mastery),
            "level": None if level is None else float(level),
        }
    summaries = [
        DivisionSummary(
            campaign=campaign,
            division_code=row["division_code"],
            division_id=row["any_division"],
            participants=row["n_participants"],
            started=row["n_started"],
            completed=row["n_completed"],
            shared=row["n_shared"],
            certifiable=row["n_certifiable"],
            mastery=_rounded(row["mean_mastery"]),
            mean_pix=_rounded(row["mean_total_pix"], ONE_PLACE),
            competences=dict(sorted(competences.get(row["division_code"], {}).items())),
        )
        for row in classes
    ]
    DivisionSummary.objects.filter(campaign=campaign).delete()
    return DivisionSummary.objects.bulk_create(summaries)
