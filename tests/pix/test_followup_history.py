"""A class's history over the years and the 6e attestations, from the anonymous summaries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pix.followup import selectors
from pix.followup.purge import purge_expired
from pix.models import KnownParcours, ParcoursRole, Participation
from pix.summaries import rebuild
from rrupn.accounts.models import Role
from rrupn.establishments.models import SchoolYear

from .factories import PixCampaignFactory
from .followup_data import bulk_campaign, division, pupil, scenario, staff

pytestmark = pytest.mark.django_db


def bilan(school, name, year=None, target="Parcours 6e Bilan"):
    return PixCampaignFactory(
        establishment=school,
        name=name,
        target_profile=target,
        **({"school_year": year} if year else {}),
    )


def test_history_lists_every_campaign_of_the_code_across_years_and_survives_the_purge(
    client, school
):
    current = SchoolYear.current()
    old_year = SchoolYear.objects.create(start_year=current.start_year - 2)
    data = scenario(school)
    old = bilan(school, "Bilan d'il y a deux ans", year=old_year)
    old_6a = division(school, "6A", year=old_year, pupil_count=24)
    for name in ("ANCIEN", "AUTRE"):
        pupil(old, name, old_6a, [("4.1", "0.9")])
    rebuild(old)
    purge_expired()  # the old year's rows go (default 12 months), its summary stays
    assert not Participation.objects.filter(campaign=old).exists()
    client.force_login(staff(school, Role.DOCUMENTALISTE))
    html = client.get(reverse("pix:followup_division", args=[school.uai, "6A"])).content.decode()
    table = html.split('id="historique-classe"')[1].split("</table>")[0]
    assert table.index("Protection 6e") < table.index("Bilan d&#x27;il y a deux ans")
    assert f"{old_year.label}" in table and "2 (100 %)" in table and "75 %" in table
    heat = html.split('id="carte-assessment"')[1].split("</table>")[0]
    assert '<td class="pix-heat-4">90 %</td>' in heat  # the old campaign's 4.1, after purge
    assert "2 (40 %)" in table  # this year's campaign: 2 of 5 shared
    assert "ANCIEN" not in html
    assert 'id="carte-assessment"' in html
    index = client.get(reverse("pix:followup_divisions", args=[school.uai])).content.decode()
    assert reverse("pix:followup_division", args=[school.uai, "6B"]) in index
    assert data.campaign.name not in index  # the index lists classes, not campaigns


def test_unknown_code_has_an_empty_history(client, school):
    client.force_login(staff(school, Role.TEACHER))
    response = client.get(reverse("pix:followup_division", args=[school.uai, "9Z"]))
    assert response.status_code == 200
    assert "Aucune campagne Pix pour ce code de classe." in response.content.decode()


def test_sixth_attestations_per_class_and_for_the_school(school):
    data = scenario(school)
    first = bilan(school, "Bilan 6A")
    second = bilan(school, "Bilan 6A, rattrapage")
    for name in ("A1", "A2", "A3"):
        pupil(first, name, data.six_a)
    pupil(first, "A4", data.six_a, not_shared=True)
    for name in ("A5", "A6"):
        pupil(second, name, data.six_a)
    pupil(first, "B1", data.six_b)
    cinquieme = division(school, "5A", pupil_count=30, level="5e")
    pupil(first, "C1", cinquieme)  # not a 6e pupil
    for campaign in (first, second):
        rebuild(campaign)
    lines = {line.code: line for line in selectors.sixth_lines(school, SchoolYear.current())}
    assert set(lines) == {"6A", "6B"}
    # 6A: the best bilan campaign (3 shared) — never 3 + 2 (a pupil could be in both).
    assert lines["6A"].attestations == 3 and lines["6A"].attestations_percent == 12
    assert lines["6B"].attestations == 1
    # The other 6e parcours of the scenario: Protection 2 shared in 6A; Initiation 1 in 6B.
    assert lines["6A"].cells() == [2, 0, 3] and lines["6B"].cells() == [1, 1, 1]


def test_sixth_page_follows_the_admin_editable_parcours_names(client, school):
    data = scenario(school)
    renamed = bilan(school, "Bilan", target="Sensibilisation numérique 6e — bilan")
    pupil(renamed, "A1", data.six_a)
    rebuild(renamed)
    client.force_login(staff(school, Role.CPE))
    url = reverse("pix:followup_sixth", args=[school.uai])
    assert "<strong>0 élève" in client.get(url).content.decode()
    KnownParcours.objects.create(
        name="Sensibilisation numérique 6e — bilan", role=ParcoursRole.SIXTH_BILAN
    )
    html = client.get(url).content.decode()
    assert "1 élève de 6e a son attestation de sensibilisation" in html
    assert "(2 % des 45 élèves" in html
    assert "Sensibilisation numérique 6e — bilan" in html


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_history_and_sixth_pages_in_constant_queries(client, school, other_school):
    bulk_campaign(school, 2, 2)
    bulk_campaign(other_school, 20, 20)
    bulk_campaign(other_school, 20, 2, name="Autre bilan")
    counts = []
    for est in (school, other_school):
        client.force_login(staff(est, Role.HEAD))
        code = est.divisions.order_by("code").first().code
        for url in (
            reverse("pix:followup_division", args=[est.uai, code]),
            reverse("pix:followup_divisions", args=[est.uai]),
            reverse("pix:followup_sixth", args=[est.uai]),
            reverse("pix:followup_teams", args=[est.uai]),
        ):
            count_queries(client, url)
            counts.append(count_queries(client, url))
    assert counts[:4] == counts[4:]
