"""The SRANE's Pix page and overview columns: aggregates from the summaries only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pix.followup import selectors
from pix.models import Participation
from pix.summaries import rebuild
from rrupn.establishments.models import Establishment, SchoolYear

from ..factories import EstablishmentFactory, SraneScopeFactory
from .factories import PixCampaignFactory
from .followup_data import division, pupil, scenario

pytestmark = pytest.mark.django_db


def add_bilan(data):
    """A bilan campaign: 6A 3 shared of 4, and a 5A pupil (not 6e)."""
    campaign = PixCampaignFactory(
        establishment=data.school, name="Bilan", target_profile="Parcours 6e Bilan"
    )
    for name in ("A1", "A2", "A3"):
        pupil(campaign, name, data.six_a)
    pupil(campaign, "A4", data.six_a, not_shared=True)
    pupil(campaign, "C1", division(data.school, "5A", pupil_count=30))
    rebuild(campaign)
    return campaign


def add_collection(school, code="3A", pupil_count=0):
    campaign = PixCampaignFactory(establishment=school, profiles=True)
    div = division(school, code, pupil_count=pupil_count)
    pupil(campaign, "P1", div)
    pupil(campaign, "P2", div, certifiable=False)
    pupil(campaign, "P3", div, shared=False, certifiable=None)
    rebuild(campaign)
    return campaign


def test_school_figures_computed_by_hand(school):
    data = scenario(school)
    add_bilan(data)
    add_collection(school)
    figures = selectors.school_figures([school.pk], SchoolYear.current())[school.pk]
    # Headcounts known: 6A 25, 6B 20, 5A 30 (3A unknown). Best campaign per class:
    # 6A 5 (Protection), 6B 1, 5A 1 → 7 of 75 pupils reached.
    assert (figures.reached, figures.pupils, figures.participation_percent) == (7, 75, 9)
    # Participations: Protection 6, Initiation 1, Bilan 5, collection 3 = 15; shared:
    # 3 + 1 + 3 + 1 (the C1 pupil) + 2 = 10.
    assert (figures.shared, figures.participations, figures.shared_percent) == (10, 15, 67)
    assert figures.attestations == 3  # 6A's bilan; 5A is no 6e class
    assert figures.certifiable == 1  # P1 only
    total = selectors.scope_figures(Establishment.objects.all(), SchoolYear.current())
    assert (total.reached, total.pupils, total.shared, total.participations) == (7, 75, 10, 15)
    assert (total.attestations, total.certifiable) == (3, 1)


def test_participation_is_a_dash_without_headcounts(client, school):
    add_collection(school)
    client.force_login(SraneScopeFactory(department="87").user)
    html = client.get(reverse("pix_srane:overview")).content.decode()
    row = html.split(f'id="etablissement-{school.uai}"')[1].split("</tr>")[0]
    assert "<td>—</td>" in row and "67 %" in row


def test_the_page_stays_in_the_scope(client, school, far_school):
    add_collection(far_school)
    client.force_login(SraneScopeFactory(department="87").user)
    html = client.get(reverse("pix_srane:overview")).content.decode()
    assert school.uai in html and far_school.uai not in html
    assert "(0/0)" not in html  # no participation in scope: dashes, not 0/0


def test_summaries_only_no_pupil_rows_read(client, school):
    data = scenario(school)
    Participation.objects.all().delete()  # as after the purge: same figures
    client.force_login(SraneScopeFactory(academie=True).user)
    html = client.get(reverse("pix_srane:overview")).content.decode()
    row = html.split(f'id="etablissement-{school.uai}"')[1].split("</tr>")[0]
    assert '13 % <span class="fr-text--xs">(6/45)</span>' in row
    assert '57 % <span class="fr-text--xs">(4/7)</span>' in row
    assert data.campaign.name not in html


def test_overview_columns_registered(client, school):
    data = scenario(school)
    add_bilan(data)
    client.force_login(SraneScopeFactory(academie=True).user)
    html = client.get(reverse("dashboard:srane_overview")).content.decode()
    assert "Pix : participation" in html and "Pix : attestations 6e" in html
    assert "3 attestations" in html
    figure = html.split("Pix cette année")[1].split("</ul>")[0]
    assert "Attestations de 6e : <strong>3</strong>" in figure
    assert "Résultats partagés : <strong>67 % (8/12)</strong>" in figure


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def populated(n):
    for i in range(n):
        est = EstablishmentFactory(name=f"Collège Pix {i:03d}")
        data = scenario(est)
        add_collection(est, pupil_count=20)
        assert data


@pytest.mark.parametrize("url_name", ["pix_srane:overview", "dashboard:srane_overview"])
def test_constant_queries_at_1_and_50_schools(client, url_name):
    client.force_login(SraneScopeFactory(academie=True).user)
    url = reverse(url_name)
    populated(1)
    count_queries(client, url)
    one = count_queries(client, url)
    populated(49)
    assert count_queries(client, url) == one
    assert client.get(url).content.decode().count("Collège Pix") >= 50
