"""Privacy: pupils' Pix rows are deleted a configurable time after their school year ends.

`PIX_RETENTION_MONTHS` (default 12) counts from the end of the campaign's school year
(31 August): with 12, the results of 2024-2025 go once 2025-2026 has ended, i.e. from
1 September 2026. Participations go with their competence results; the anonymous per-class
summaries (`DivisionSummary`), the campaigns and the import log stay. Each school's purge is
written to its audit log with its counts.
"""

import calendar
import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from pix.models import Campaign, CompetenceResult, Participation
from rrupn.audit.services import audit_record
from rrupn.establishments.models import Establishment, SchoolYear


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def kept_until(school_year_start: int, months: int) -> datetime.date:
    """The last day a school year's pupil rows are kept."""
    ends_on = datetime.date(school_year_start + 1, 8, 31)
    return add_months(ends_on, months)


def last_expired_start_year(today: datetime.date, months: int) -> int:
    """The latest school year (its start year) whose rows are past their retention on `today`."""
    year = SchoolYear.start_year_for(today)
    while kept_until(year, months) >= today:
        year -= 1
    return year


@transaction.atomic
def purge_expired(today: datetime.date | None = None, months: int | None = None) -> dict:
    """Delete expired participations; {establishment id: counts}. Idempotent."""
    today = today or timezone.localdate()
    months = settings.PIX_RETENTION_MONTHS if months is None else months
    last_year = last_expired_start_year(today, months)
    campaigns = Campaign.objects.filter(school_year__start_year__lte=last_year)
    expired = Participation.objects.filter(campaign__in=campaigns)
    per_campaign = list(
        expired.values("campaign_id", "campaign__establishment_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if not per_campaign:
        return {}
    results = CompetenceResult.objects.filter(participation__campaign__in=campaigns)
    results_per_school = dict(
        results.values_list("participation__campaign__establishment_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    results.delete()
    expired.delete()
    counts: dict = defaultdict(lambda: {"campagnes": 0, "participations": 0, "résultats": 0})
    for row in per_campaign:
        school = counts[row["campaign__establishment_id"]]
        school["campagnes"] += 1
        school["participations"] += row["n"]
    for establishment_id, n in results_per_school.items():
        counts[establishment_id]["résultats"] = n
    schools = Establishment.objects.in_bulk(list(counts))
    for establishment_id, school_counts in sorted(counts.items()):
        audit_record(
            actor=None,
            action="pix.purge",
            establishment=schools[establishment_id],
            after={**school_counts, "années jusqu'à": f"{last_year}-{last_year + 1}"},
            summary=(
                f"Résultats Pix nominatifs supprimés ({months} mois après la fin de l'année) : "
                f"{school_counts['participations']} participation(s) de "
                f"{school_counts['campagnes']} campagne(s), jusqu'à {last_year}-{last_year + 1}"
            ),
        )
    return dict(counts)
