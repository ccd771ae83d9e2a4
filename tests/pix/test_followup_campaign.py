"""The follow-up page of one campaign: counts per class, heatmap, pupils to act on, CSV."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pix.access import EVERYTHING
from pix.followup import selectors
from rrupn.accounts.models import Role

from .followup_data import bulk_campaign, scenario, staff, teacher_of

pytestmark = pytest.mark.django_db


def page(client, user, campaign):
    client.force_login(user)
    response = client.get(
        reverse("pix:followup_campaign", args=[campaign.establishment.uai, campaign.pk])
    )
    assert response.status_code == 200
    return response.content.decode()


def test_counts_per_class_match_the_hand_computed_numbers(school):
    data = scenario(school)
    lines, _summaries = selectors.campaign_lines(data.campaign, EVERYTHING)
    by_code = {line.code: line for line in lines}
    six_a, six_b = by_code["6A"], by_code["6B"]
    assert (six_a.participants, six_a.started, six_a.completed, six_a.shared) == (5, 4, 3, 2)
    assert six_a.shared_percent == 40 and six_a.started_percent == 80
    assert (six_b.participants, six_b.started, six_b.completed, six_b.shared) == (1, 1, 1, 1)
    # 6A: =DAVID has not started; CHLOÉ (started) and ÉMILE (finished) have not shared.
    assert (six_a.not_started, six_a.not_shared) == (1, 2)
    # 6B: GASPARD, known by the other campaign of the year, is absent from this one.
    assert (six_b.not_started, six_b.not_shared) == (1, 0)
    # The headcounts (25 and 20) say who Pix has never seen: 25 - 5 participants; 20 - 1
    # participant - GASPARD (named above). Counted without a name.
    assert (six_a.unseen, six_a.not_started_total) == (20, 21)
    assert (six_b.unseen, six_b.not_started_total) == (18, 19)
    statuses = {p.last_name: p.status for line in lines for p in line.pupils}
    assert statuses == {
        "CHLOÉ": "in_progress",
        "=DAVID": "not_started",
        "ÉMILE": "not_shared",
        "GASPARD": "absent",
    }


def test_the_page_counts_the_pupils_pix_never_saw_from_the_headcount(client, school):
    data = scenario(school)
    html = page(client, staff(school, Role.RRUPN), data.campaign)
    assert "21 <span" in html and "(dont 20 jamais venus, d’après l’effectif)" in html
    assert "(dont 18 jamais venus, d’après l’effectif)" in html
    assert "<td>40</td>" in html  # the total: 21 + 19
    data.six_a.pupil_count = 0  # headcount unknown: only the named pupils are counted
    data.six_a.save()
    html = page(client, staff(school, Role.RRUPN), data.campaign)
    assert "dont 20" not in html


def test_heatmap_means_per_class_and_overall(school):
    data = scenario(school)
    _lines, summaries = selectors.campaign_lines(data.campaign, EVERYTHING)
    heat = selectors.campaign_heatmap(data.campaign, summaries)
    assert [c.code for c in heat.competences] == ["4.1", "4.2"]
    rows = {label: [cell.text for cell in cells] for label, cells in heat.rows}
    assert rows == {"6A": ["60 %", "80 %"], "6B": ["50 %", "—"]}
    assert [cell.text for cell in heat.total] == ["57 %", "80 %"]
    assert [cell.css for cell in heat.rows[0][1]] == ["pix-heat-3", "pix-heat-4"]


def test_heatmap_of_a_profiles_collection_shows_mean_levels(school):
    from pix.summaries import rebuild

    from .factories import CompetenceResultFactory, ParticipationFactory, PixCampaignFactory

    campaign = PixCampaignFactory(establishment=school, profiles=True)
    for level in (1, 2):
        made = ParticipationFactory(campaign=campaign, division_code="3A")
        CompetenceResultFactory(participation=made, code="1.1", level=level, pix=8 * level)
    rebuild(campaign)
    lines, summaries = selectors.campaign_lines(campaign, EVERYTHING)
    heat = selectors.campaign_heatmap(campaign, summaries)
    assert heat.by_level and [cell.text for cell in heat.rows[0][1]] == ["1,5"]
    assert lines[0].certifiable == 2 and lines[0].mean_pix == 120.0
    # The mean pix lives in the anonymous summary: it survives the purge of the pupils' rows.
    campaign.participations.all().delete()
    lines, _summaries = selectors.campaign_lines(campaign, EVERYTHING)
    assert lines[0].mean_pix == 120.0


def test_page_is_an_accessible_table_with_values_in_cells(client, school):
    data = scenario(school)
    html = page(client, staff(school, Role.RRUPN), data.campaign)
    heat = html.split('id="carte-classes"')[1].split("</table>")[0]
    assert "<caption>" in heat and 'scope="col"' in heat and 'scope="row"' in heat
    assert '<td class="pix-heat-3">60 %</td>' in heat  # the value is written, colour is extra
    assert "Légende" in html
    assert "ÉMILE" in html and "GASPARD" in html
    assert reverse("pix:followup_campaign_export", args=[school.uai, data.campaign.pk]) in html


def test_teacher_sees_only_the_pupils_of_their_classes(client, school):
    data = scenario(school)
    html = page(client, teacher_of(school, data.six_b), data.campaign)
    assert "GASPARD" in html
    for name in ("CHLOÉ", "DAVID", "ÉMILE"):
        assert name not in html
    assert "<td>2</td>" in html  # 6A's counts are still there (not shared: 2)
    assert "Autres classes (6A) : effectifs seulement" in html


def test_staff_without_pupil_rights_see_counts_only(client, school):
    data = scenario(school)
    html = page(client, staff(school, Role.GESTIONNAIRE), data.campaign)
    for name in ("ALICE", "CHLOÉ", "DAVID", "ÉMILE", "GASPARD"):
        assert name not in html
    assert "équipe pédagogique" in html
    assert "eleves.csv" not in html


def test_csv_lists_the_pupils_to_act_on_formula_safe(client, school):
    data = scenario(school)
    client.force_login(staff(school, Role.HEAD))
    response = client.get(
        reverse("pix:followup_campaign_export", args=[school.uai, data.campaign.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == ["Classe", "Nom", "Prénom", "Situation", "Progression (%)"]
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        ("6A", "'=DAVID", "Pas commencé"),  # defused: a spreadsheet would run =DAVID
        ("6A", "CHLOÉ", "Commencé, pas terminé"),
        ("6A", "ÉMILE", "Terminé, pas partagé"),
        ("6B", "GASPARD", "Pas commencé (absent de la campagne)"),
    ]
    assert rows[2][4] == "46"  # 0,455 → 46 %


def test_csv_of_a_teacher_holds_only_their_classes(client, school):
    data = scenario(school)
    client.force_login(teacher_of(school, data.six_a))
    url = reverse("pix:followup_campaign_export", args=[school.uai, data.campaign.pk])
    text = client.get(url).content.decode("utf-8")
    assert "CHLOÉ" in text and "GASPARD" not in text


def test_csv_refused_to_a_teacher_of_no_class(client, school):
    data = scenario(school)
    client.force_login(staff(school, Role.TEACHER))
    url = reverse("pix:followup_campaign_export", args=[school.uai, data.campaign.pk])
    response = client.get(url)
    assert response.status_code == 403
    assert "GASPARD" not in response.content.decode()


def test_another_schools_campaign_is_not_found(client, school, other_school):
    data = scenario(other_school)
    client.force_login(staff(school, Role.RRUPN))
    url = reverse("pix:followup_campaign", args=[school.uai, data.campaign.pk])
    assert client.get(url).status_code == 404


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", [Role.RRUPN, Role.TEACHER])
def test_constant_queries_at_2_and_20_pupils_and_classes(client, school, other_school, role):
    small = bulk_campaign(school, n_divisions=2, n_pupils=2)
    big = bulk_campaign(other_school, n_divisions=20, n_pupils=20)
    users = {}
    for est in (school, other_school):
        if role == Role.TEACHER:
            users[est.pk] = teacher_of(est, *est.divisions.all()[:1], name="Ens")
        else:
            users[est.pk] = staff(est, role)
    counts = []
    for est, campaign in ((school, small), (other_school, big)):
        client.force_login(users[est.pk])
        for name in ("pix:followup_campaign", "pix:followup_campaign_export"):
            url = reverse(name, args=[est.uai, campaign.pk])
            count_queries(client, url)  # warm per-process caches
            counts.append(count_queries(client, url))
    assert counts[:2] == counts[2:]
    html = client.get(reverse("pix:followup_campaign", args=[other_school.uai, big.pk]))
    assert html.content.decode().count("<tr>") >= 20
