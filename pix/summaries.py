"""Anonymous per-class counts of a campaign, rebuilt from its participations after each import.

The follow-up pages and the SRANE read these rows, never the pupils' ones; they survive the
purge of nominative data (pix.followup.purge).
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from .models import CampaignKind, CompetenceResult, DivisionSummary, Participation

THREE_PLACES = Decimal("0.001")


def _mean(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return (sum(Decimal(v) for v in values) / len(values)).quantize(THREE_PLACES)


def _mean_pix(values):
    mean = _mean(values)
    return None if mean is None else mean.quantize(Decimal("0.1"))


def is_completed(kind: str, progression, shared: bool) -> bool:
    if kind == CampaignKind.PROFILES:
        return shared
    return shared or (progression is not None and progression >= 1)


def is_started(kind: str, progression, shared: bool) -> bool:
    """Joined the campaign and answered something (Pix lists a pupil from the moment they join)."""
    if kind == CampaignKind.PROFILES:
        return shared
    return shared or (progression is not None and progression > 0)


@transaction.atomic
def rebuild(campaign) -> list[DivisionSummary]:
    """Replace the campaign's summaries; three queries whatever the number of pupils."""
    rows = list(
        Participation.objects.filter(campaign=campaign).values(
            "id",
            "division_code",
            "division_id",
            "progression",
            "shared",
            "mastery",
            "certifiable",
            "total_pix",
        )
    )
    division_of = {row["id"]: row["division_code"] for row in rows}
    per_competence = defaultdict(lambda: defaultdict(lambda: {"mastery": [], "level": []}))
    results = CompetenceResult.objects.filter(participation__campaign=campaign).values(
        "participation_id", "competence__code", "mastery", "level"
    )
    for result in results:
        cell = per_competence[division_of[result["participation_id"]]][result["competence__code"]]
        if result["mastery"] is not None:
            cell["mastery"].append(result["mastery"])
        if result["level"] is not None:
            cell["level"].append(result["level"])

    groups = defaultdict(list)
    for row in rows:
        groups[row["division_code"]].append(row)
    summaries = []
    for code, members in sorted(groups.items()):
        competences = {}
        for competence, cell in sorted(per_competence[code].items()):
            n = max(len(cell["mastery"]), len(cell["level"]))
            mastery, level = _mean(cell["mastery"]), _mean(cell["level"])
            competences[competence] = {
                "n": n,
                "mastery": None if mastery is None else float(mastery),
                "level": None if level is None else float(level),
            }
        summaries.append(
            DivisionSummary(
                campaign=campaign,
                division_code=code,
                division_id=next((m["division_id"] for m in members if m["division_id"]), None),
                participants=len(members),
                started=sum(
                    is_started(campaign.kind, m["progression"], m["shared"]) for m in members
                ),
                completed=sum(
                    is_completed(campaign.kind, m["progression"], m["shared"]) for m in members
                ),
                shared=sum(m["shared"] for m in members),
                certifiable=sum(bool(m["certifiable"]) for m in members),
                mastery=_mean(m["mastery"] for m in members if m["shared"]),
                mean_pix=_mean_pix(m["total_pix"] for m in members if m["shared"]),
                competences=competences,
            )
        )
    DivisionSummary.objects.filter(campaign=campaign).delete()
    return DivisionSummary.objects.bulk_create(summaries)
