"""The periodic purge of pupils' Pix rows (issue 7, part 7): exactly the expired ones, audited."""

import datetime

import pytest
from django.conf import settings

from pix.followup.purge import kept_until, last_expired_start_year, purge_expired
from pix.models import CompetenceResult, DivisionSummary, Participation
from pix.summaries import rebuild
from pix.tasks import purge_expired_participations
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import SchoolYear

from .factories import PixCampaignFactory
from .followup_data import pupil

pytestmark = pytest.mark.django_db


def campaign_of_year(school, start_year, pupils=2):
    year, _ = SchoolYear.objects.get_or_create(start_year=start_year)
    campaign = PixCampaignFactory(establishment=school, school_year=year)
    for i in range(pupils):
        pupil(campaign, f"ÉLÈVE{start_year}X{i}", None, [("4.1", "0.5"), ("4.2", "0.5")])
    rebuild(campaign)
    return campaign


def test_retention_counts_from_the_end_of_the_school_year():
    # 2024-2025 ends on 31/08/2025; kept 12 months: until 31/08/2026.
    assert kept_until(2024, 12) == datetime.date(2026, 8, 31)
    assert kept_until(2024, 0) == datetime.date(2025, 8, 31)
    assert kept_until(2024, 6) == datetime.date(2026, 2, 28)
    assert last_expired_start_year(datetime.date(2026, 8, 31), 12) == 2023
    assert last_expired_start_year(datetime.date(2026, 9, 1), 12) == 2024
    assert settings.PIX_RETENTION_MONTHS == 12


def test_purge_removes_exactly_the_expired_rows_keeps_summaries_and_logs(school, other_school):
    old = campaign_of_year(school, 2023, pupils=3)
    last = campaign_of_year(school, 2024, pupils=2)
    current = campaign_of_year(school, 2025, pupils=2)
    elsewhere = campaign_of_year(other_school, 2024, pupils=1)
    summaries = DivisionSummary.objects.count()
    counts = purge_expired(today=datetime.date(2026, 9, 1), months=12)
    # 2023-2024 and 2024-2025 have expired on 01/09/2026; 2025-2026 has not.
    assert set(Participation.objects.values_list("campaign_id", flat=True)) == {current.pk}
    assert CompetenceResult.objects.count() == 4  # the current campaign's 2 pupils × 2
    assert DivisionSummary.objects.count() == summaries  # anonymous counts kept
    assert DivisionSummary.objects.get(campaign=old).participants == 3
    assert counts == {
        school.pk: {"campagnes": 2, "participations": 5, "résultats": 10},
        other_school.pk: {"campagnes": 1, "participations": 1, "résultats": 2},
    }
    entries = {e.establishment_id: e for e in AuditEntry.objects.filter(action="pix.purge")}
    assert set(entries) == {school.pk, other_school.pk}
    assert entries[school.pk].actor is None
    assert entries[school.pk].after["participations"] == 5
    assert "5 participation(s) de 2 campagne(s)" in entries[school.pk].summary
    assert last.pk and elsewhere.pk
    # Run again: nothing left to purge, nothing logged.
    assert purge_expired(today=datetime.date(2026, 9, 1), months=12) == {}
    assert AuditEntry.objects.filter(action="pix.purge").count() == 2


def test_the_day_before_nothing_goes(school):
    campaign_of_year(school, 2024)
    assert purge_expired(today=datetime.date(2026, 8, 31), months=12) == {}
    assert Participation.objects.count() == 2
    assert not AuditEntry.objects.filter(action="pix.purge").exists()


def test_the_setting_sets_the_retention(school, settings):
    campaign_of_year(school, 2024)
    settings.PIX_RETENTION_MONTHS = 24
    assert purge_expired(today=datetime.date(2026, 9, 1)) == {}
    settings.PIX_RETENTION_MONTHS = 0
    assert purge_expired(today=datetime.date(2025, 9, 1))[school.pk]["participations"] == 2


def test_periodic_task_is_scheduled_and_purges(school):
    schedule = settings.CELERY_BEAT_SCHEDULE["pix-purge-expired"]
    assert schedule["task"] == purge_expired_participations.name
    this_year = SchoolYear.current().start_year
    campaign_of_year(school, this_year - 2, pupils=3)  # ended over a year ago
    campaign_of_year(school, this_year)
    assert purge_expired_participations.apply().get() == 3  # as a worker runs it
    assert Participation.objects.count() == 2
