"""Readiness of the certification classes, from their last profiles collection (aggregates)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pix import summaries
from pix.certification.selectors import readiness
from pix.models import DivisionSummary
from rrupn.establishments.models import Division, DivisionKind, SchoolYear

from ..conftest import make_persona
from ..factories import EstablishmentFactory
from .factories import ParticipationFactory, PixCampaignFactory

pytestmark = pytest.mark.django_db


def division(school, code, level="", pupils=25, kind=DivisionKind.DIVISION, school_year=None):
    return Division.objects.create(
        establishment=school,
        school_year=school_year or SchoolYear.current(),
        code=code,
        level=level,
        pupil_count=pupils,
        kind=kind,
    )


def imported(days_ago: int):
    return timezone.now() - datetime.timedelta(days=days_ago)


def pupils(campaign, n, *, division=None, code="", **traits):
    for _ in range(n):
        if division is not None:
            ParticipationFactory(campaign=campaign, division=division, **traits)
        else:
            ParticipationFactory(campaign=campaign, division_code=code, **traits)


@pytest.fixture
def classes(school):
    """3A (28 pupils) and 3B (25, level left empty: found by its code) sit the certification;
    4A and a 3e group do not."""
    made = {
        "3A": division(school, "3A", "3e", pupils=28),
        "3B": division(school, "3B", "", pupils=25),
        "4A": division(school, "4A", "4e", pupils=27),
        "LAT3": division(school, "LAT3", "3e", pupils=12, kind=DivisionKind.GROUP),
    }
    year = SchoolYear.current()
    earlier = PixCampaignFactory(
        establishment=school, profiles=True, name="Collecte d'octobre", last_import_at=imported(40)
    )
    pupils(earlier, 20, division=made["3A"])  # 20 sent, certifiable
    later = PixCampaignFactory(
        establishment=school, profiles=True, name="Collecte de mars", last_import_at=imported(2)
    )
    pupils(later, 6, division=made["3A"])  # sent, certifiable
    pupils(later, 2, division=made["3A"], certifiable=False)  # sent, not certifiable
    pupils(later, 2, division=made["3A"], shared=False)  # joined, not sent
    pupils(later, 5, code="3B")  # matched by code only (no portal class on the rows)
    pupils(later, 3, division=made["4A"])
    # Not read: an assessment campaign, last year's collection, another school's collection.
    assessment = PixCampaignFactory(establishment=school, last_import_at=imported(1))
    pupils(assessment, 28, division=made["3A"])
    last_year, _ = SchoolYear.objects.get_or_create(start_year=year.start_year - 1)
    old = PixCampaignFactory(
        establishment=school, school_year=last_year, profiles=True, last_import_at=imported(0)
    )
    pupils(old, 27, code="3B")
    elsewhere = PixCampaignFactory(
        establishment=EstablishmentFactory(), profiles=True, last_import_at=imported(0)
    )
    pupils(elsewhere, 25, code="3A")
    for campaign in (earlier, later, assessment, old, elsewhere):
        summaries.rebuild(campaign)
    return made


def test_readiness_numbers_computed_by_hand(school, classes, django_assert_num_queries):
    year = SchoolYear.current()
    with django_assert_num_queries(2):
        levels = readiness(school, year)
    [third] = levels
    assert third.level == "3e" and third.label == "3e"
    rows = {row.division.code: row for row in third.classes}
    assert list(rows) == ["3A", "3B"]
    a3, b3 = rows["3A"], rows["3B"]
    # 3A: the March collection (last imported): 10 participants, 8 sent, 6 certifiable;
    # 28 pupils, 20 of them seen in October: 8 not collected yet.
    assert (a3.campaign_name, a3.participants, a3.sent, a3.certifiable) == (
        "Collecte de mars",
        10,
        8,
        6,
    )
    assert (a3.certifiable_percent, a3.not_collected) == (60, 8)
    # 3B: 5 participants, all sent and certifiable; 25 - 5 = 20 not collected.
    assert (b3.participants, b3.sent, b3.certifiable, b3.certifiable_percent) == (5, 5, 5, 100)
    assert b3.not_collected == 20
    assert (third.pupils, third.participants, third.sent, third.certifiable) == (53, 15, 13, 11)
    assert (third.certifiable_percent, third.not_collected) == (73, 28)


def test_the_last_collection_is_the_last_imported(school, classes):
    march = DivisionSummary.objects.get(campaign__name="Collecte de mars", division_code="3A")
    march.campaign.last_import_at = imported(60)  # imported before October's, after all
    march.campaign.save()
    [third] = readiness(school, SchoolYear.current())
    a3 = next(row for row in third.classes if row.division.code == "3A")
    assert (a3.campaign_name, a3.participants, a3.certifiable, a3.not_collected) == (
        "Collecte d'octobre",
        20,
        20,
        8,
    )


def test_a_class_without_collection_and_the_page(client, school, classes):
    division(school, "TCAP", "", pupils=14)
    client.force_login(make_persona("teacher", school))  # aggregates: every staff member
    response = client.get(reverse("pix:certification_readiness", args=[school.uai]))
    page = response.content.decode()
    assert "<caption>3e</caption>" in page and "<caption>CAP</caption>" in page
    assert "<caption>Terminale</caption>" not in page
    assert "6 / 10 (60 %)" in page and "5 / 5 (100 %)" in page and "11 / 15 (73 %)" in page
    assert "aucune collecte de profils cette année" in page
    assert f'id="classe-{classes["4A"].pk}"' not in page and ">4A<" not in page
    assert ">LAT3<" not in page
    assert "ÉLÈVE" not in page  # never a pupil's name


def test_no_certification_class(client, school):
    division(school, "5A", "5e")
    client.force_login(make_persona("head", school))
    page = client.get(reverse("pix:certification_readiness", args=[school.uai])).content.decode()
    assert "Aucune classe de 3e, terminale, CAP ou BTS" in page


def add_classes(school, start: int, n: int) -> None:
    campaign = PixCampaignFactory(establishment=school, profiles=True, last_import_at=imported(1))
    for i in range(start, start + n):
        made = division(school, f"3{i:02d}", "3e")
        pupils(campaign, 2, division=made)
        pupils(campaign, 1, code=f"T{i:02d}")
        division(school, f"T{i:02d}", "Terminale")
    summaries.rebuild(campaign)


def test_the_page_runs_constant_queries(client, school):
    client.force_login(make_persona("rrupn", school))
    path = reverse("pix:certification_readiness", args=[school.uai])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    add_classes(school, 0, 1)  # 2 classes
    count()  # warm the per-process caches
    small = count()
    add_classes(school, 1, 9)  # 20 classes
    assert count() == small
    assert len(readiness(school, SchoolYear.current())[1].classes) == 10
