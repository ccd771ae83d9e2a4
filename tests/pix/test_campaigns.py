"""The Pix home page (campaigns of every year), campaigns by hand, the campaign page, and the
checklist item "Campagnes Pix de 6e lancées"."""

import pytest
from django.urls import reverse

from pix import summaries
from pix.campaigns.dashboard import checklist_status
from pix.models import Campaign, CampaignKind, KnownParcours, ParcoursRole, PixImport
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import Division, SchoolYear

from ..factories import EstablishmentFactory
from .factories import ParticipationFactory, PixCampaignFactory


@pytest.fixture
def rrupn_client(client, persona_user):
    user = persona_user("rrupn")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def years(db):
    current = SchoolYear.current()
    previous = SchoolYear.objects.get_or_create(start_year=current.start_year - 1)[0]
    return current, previous


def list_url(school, query=""):
    return reverse("pix:campaigns_list", args=[school.uai]) + query


def test_list_shows_every_year_and_filters(rrupn_client, school, other_school, years):
    current, previous = years
    division = Division.objects.create(establishment=school, school_year=current, code="6B")
    now = PixCampaignFactory(establishment=school, name="Parcours 6e actuel", divisions=[division])
    ParticipationFactory.create_batch(3, campaign=now)
    PixCampaignFactory(establishment=school, name="Collecte ancienne", school_year=previous)
    PixCampaignFactory(establishment=other_school, name="Campagne d'ailleurs")
    html = rrupn_client.get(list_url(school)).content.decode()
    assert "Parcours 6e actuel" in html and "Collecte ancienne" in html
    assert "Campagne d&#x27;ailleurs" not in html
    assert "<td>6B</td>" in html and "<td>3</td>" in html
    assert "Importer un export Pix Orga" in html and "Saisir une campagne" in html
    html = rrupn_client.get(list_url(school, f"?annee={previous.start_year}")).content.decode()
    assert "Collecte ancienne" in html and "Parcours 6e actuel" not in html
    assert f"Campagnes de l’année {previous.label}" in html


def test_list_for_a_reader_without_import(client, school, persona_user, years):
    client.force_login(persona_user("cpe"))
    PixCampaignFactory(establishment=school, name="Visible")
    html = client.get(list_url(school)).content.decode()
    assert "Visible" in html and "Importer un export Pix Orga" not in html


def test_list_query_count_is_constant(rrupn_client, school, years, django_assert_num_queries):
    def make(n):
        for _i in range(n):
            campaign = PixCampaignFactory(establishment=school)
            division = Division.objects.create(
                establishment=school, school_year=years[0], code=f"C{campaign.pk}"
            )
            campaign.divisions.add(division)
            ParticipationFactory(campaign=campaign)

    make(2)
    rrupn_client.get(list_url(school))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert rrupn_client.get(list_url(school)).status_code == 200
    make(10)
    with django_assert_num_queries(len(small.captured_queries)):
        assert rrupn_client.get(list_url(school)).status_code == 200


def test_detail_shows_the_campaign_and_its_imports(rrupn_client, school, years):
    campaign = PixCampaignFactory(
        establishment=school, name="Parcours 6e", code="ABCDEF123", owner=rrupn_client.user
    )
    PixImport.objects.create(
        campaign=campaign,
        file_name="Resultats-Parcours.csv",
        imported_by=rrupn_client.user,
        rows=12,
        created=10,
        updated=2,
        warnings=["Classes absentes du portail pour 2025-2026 : 6Z."],
    )
    PixImport.objects.create(campaign=campaign, file_name="ligne.csv", rows=1)
    url = reverse("pix:campaigns_detail", args=[school.uai, campaign.pk])
    html = rrupn_client.get(url).content.decode()
    assert "ABCDEF123" in html and "Resultats-Parcours.csv" in html and "6Z" in html
    assert "ligne de commande" in html
    assert f"?campagne={campaign.pk}" in html  # "Importer les résultats"
    assert reverse("pix:followup_campaign", args=[school.uai, campaign.pk]) in html


def test_detail_of_another_schools_campaign_is_404(rrupn_client, school, other_school, years):
    theirs = PixCampaignFactory(establishment=other_school)
    url = reverse("pix:campaigns_detail", args=[school.uai, theirs.pk])
    assert rrupn_client.get(url).status_code == 404
    url = reverse("pix:campaigns_edit", args=[school.uai, theirs.pk])
    assert rrupn_client.get(url).status_code == 404


def form_data(**changes):
    data = {
        "code": "abcdef123",
        "name": " Parcours 6e Protection ",
        "kind": CampaignKind.ASSESSMENT,
        "target_profile": "Parcours 6e Protection et sécurité",
        "school_year": str(SchoolYear.current().pk),
        "divisions": [],
        "owner": "",
        "pix_id": "",
    }
    data.update(changes)
    return data


def test_create_by_hand(rrupn_client, school, years, persona_user):
    teacher = persona_user("teacher")
    division = Division.objects.create(establishment=school, school_year=years[0], code="6A")
    response = rrupn_client.post(
        reverse("pix:campaigns_create", args=[school.uai]),
        form_data(divisions=[str(division.pk)], owner=str(teacher.pk)),
    )
    campaign = Campaign.objects.get()
    assert response.url == reverse("pix:campaigns_detail", args=[school.uai, campaign.pk])
    assert (campaign.code, campaign.name, campaign.establishment) == (
        "ABCDEF123",
        "Parcours 6e Protection",
        school,
    )
    assert list(campaign.divisions.all()) == [division] and campaign.owner == teacher
    entry = AuditEntry.objects.get(action="pix.campaign.created")
    assert entry.after["code"] == "ABCDEF123" and entry.actor == rrupn_client.user


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "ABC123"}, "n&#x27;est pas un code de campagne Pix (6 lettres puis 3 chiffres)"),
        ({"code": ""}, "Saisissez le code de la campagne."),
        ({"name": "  "}, "Saisissez le nom de la campagne."),
        ({"kind": ""}, "Choisissez le type de campagne."),
    ],
)
def test_create_refuses_bad_input_in_french(rrupn_client, school, years, changes, message):
    response = rrupn_client.post(
        reverse("pix:campaigns_create", args=[school.uai]), form_data(**changes)
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Campaign.objects.exists()


def test_create_refuses_a_code_already_used_and_classes_of_another_year(
    rrupn_client, school, other_school, years
):
    PixCampaignFactory(establishment=school, code="ABCDEF123")
    PixCampaignFactory(establishment=other_school, code="GHIJKL456")  # another school: fine
    old = Division.objects.create(establishment=school, school_year=years[1], code="6A")
    url = reverse("pix:campaigns_create", args=[school.uai])
    html = rrupn_client.post(url, form_data(code="abcdef123")).content.decode()
    assert "Une campagne de l’établissement a déjà ce code." in html
    html = rrupn_client.post(
        url, form_data(code="MNOPQR789", divisions=[str(old.pk)])
    ).content.decode()
    assert f"Ces classes ne sont pas de l’année {years[0].label} : 6A." in html
    assert Campaign.objects.filter(establishment=school).count() == 1
    rrupn_client.post(url, form_data(code="GHIJKL456"))
    assert Campaign.objects.filter(establishment=school, code="GHIJKL456").exists()


def test_owner_must_be_staff_of_the_school(rrupn_client, school, other_school, years):
    from ..factories import RoleAssignmentFactory

    outsider = RoleAssignmentFactory(establishment=other_school).user
    html = rrupn_client.post(
        reverse("pix:campaigns_create", args=[school.uai]), form_data(owner=str(outsider.pk))
    ).content.decode()
    assert "Sélectionnez un choix valide" in html and not Campaign.objects.exists()


def test_edit_keeps_the_type_once_results_exist(rrupn_client, school, years):
    campaign = PixCampaignFactory(establishment=school, code="ABCDEF123")
    url = reverse("pix:campaigns_edit", args=[school.uai, campaign.pk])
    assert "Enregistrer les modifications" in rrupn_client.get(url).content.decode()
    response = rrupn_client.post(url, form_data(name="Nouveau nom", kind=CampaignKind.PROFILES))
    campaign.refresh_from_db()
    assert response.status_code == 302 and campaign.name == "Nouveau nom"
    assert campaign.kind == CampaignKind.PROFILES and campaign.target_profile == ""
    ParticipationFactory(campaign=campaign)
    html = rrupn_client.post(url, form_data(kind=CampaignKind.ASSESSMENT)).content.decode()
    assert "son type ne peut plus changer" in html
    campaign.refresh_from_db()
    assert campaign.kind == CampaignKind.PROFILES
    assert AuditEntry.objects.filter(action="pix.campaign.changed").count() == 1


def test_teacher_may_create_a_campaign_cpe_may_not(client, school, persona_user, years):
    url = reverse("pix:campaigns_create", args=[school.uai])
    client.force_login(persona_user("cpe"))
    assert client.post(url, form_data()).status_code == 403
    client.force_login(persona_user("teacher"))
    assert client.post(url, form_data()).status_code == 302


# --- Checklist "Campagnes Pix de 6e lancées" -------------------------------------------------


def test_checklist_not_done_then_done_by_parcours(school, years):
    year = years[0]
    status = checklist_status(school, year)
    assert status.done is False and status.text == "Aucune campagne Pix de 6e cette année"
    assert status.url == reverse("pix:campaigns_list", args=[school.uai])
    PixCampaignFactory(establishment=school, school_year=year, profiles=True)  # not 6e
    PixCampaignFactory(establishment=school, school_year=years[1])  # last year
    assert checklist_status(school, year).done is False
    name = KnownParcours.objects.filter(role=ParcoursRole.SIXTH_PROTECTION).first().name
    PixCampaignFactory(
        establishment=school, school_year=year, name="Protection 6e", target_profile=name
    )
    status = checklist_status(school, year)
    assert status.done is True and status.text == "1 campagne : Protection 6e"


def test_checklist_done_by_a_sixth_class(school, years):
    year = years[0]
    by_level = Division.objects.create(
        establishment=school, school_year=year, code="SIXIEME-1", level="6e"
    )
    PixCampaignFactory(
        establishment=school,
        school_year=year,
        name="Campagne A",
        target_profile="Autre",
        divisions=[by_level],
    )
    imported = PixCampaignFactory(
        establishment=school, school_year=year, name="Campagne B", target_profile="Autre"
    )
    ParticipationFactory(campaign=imported, division_code="6C")
    summaries.rebuild(imported)
    fifth = PixCampaignFactory(establishment=school, school_year=year, target_profile="Autre")
    ParticipationFactory(campaign=fifth, division_code="5A")
    summaries.rebuild(fifth)
    status = checklist_status(school, year)
    assert status.done is True and status.text == "2 campagnes : Campagne A, Campagne B"


def test_checklist_not_applicable_to_a_lycee(years):
    lycee = EstablishmentFactory(kind="lycee")
    assert checklist_status(lycee, years[0]).done is None


def test_checklist_in_one_query(school, years, django_assert_num_queries):
    PixCampaignFactory(establishment=school, school_year=years[0])
    with django_assert_num_queries(1):
        checklist_status(school, years[0])


def test_pix_menu_in_the_header(client, school, persona_user, years):
    client.force_login(persona_user("cpe"))
    html = client.get(reverse("dashboard:establishment", args=[school.uai])).content.decode()
    assert 'aria-controls="menu-pix"' in html
    assert f'href="{list_url(school)}"' in html
    assert reverse("pix:imports_upload", args=[school.uai]) not in html  # no pix.import
    client.force_login(persona_user("teacher"))
    html = client.get(list_url(school)).content.decode()
    assert reverse("pix:imports_upload", args=[school.uai]) in html
    assert f'href="{list_url(school)}" aria-current="page"' in html
