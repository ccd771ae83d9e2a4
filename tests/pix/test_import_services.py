"""Preview and apply: campaign from the first import, pupils matched on name + class, re-import
updates, organisation name, all-or-nothing, summaries, constant query count."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pix.imports import services
from pix.models import (
    Campaign,
    CampaignKind,
    CompetenceResult,
    DivisionSummary,
    Participation,
    PixImport,
    PixOrganisation,
)
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import Division, SchoolYear

from .factories import (
    ORGANISATION_NAME,
    ParticipationFactory,
    PixCampaignFactory,
    PixOrganisationFactory,
    assessment_export,
    profiles_export,
)

SAMPLES = Path(__file__).parent / "samples"
ASSESSMENT_SAMPLE = (SAMPLES / "pix_assessment_export_sample.csv").read_bytes()
PROFILES_SAMPLE = (SAMPLES / "pix_profiles_collection_sample.csv").read_bytes()


def nothing_written():
    return (
        Campaign.objects.count(),
        Participation.objects.count(),
        CompetenceResult.objects.count(),
        DivisionSummary.objects.count(),
        PixImport.objects.count(),
        PixOrganisation.objects.count(),
    ) == (0, 0, 0, 0, 0, 0)


@pytest.fixture
def rrupn_user(persona_user):
    return persona_user("rrupn")


@pytest.fixture
def year_2025(db):
    return SchoolYear.objects.get_or_create(start_year=2025)[0]


def test_first_import_of_the_assessment_sample_creates_the_campaign(school, year_2025, rrupn_user):
    sixth_a = Division.objects.create(
        establishment=school, school_year=year_2025, code="6A", level="6e"
    )
    plan = services.preview(school, ASSESSMENT_SAMPLE)
    assert plan.ok and plan.is_new_campaign and plan.school_year == year_2025
    assert plan.counts() == {"rows": 8, "pupils": 8, "created": 8, "updated": 0, "unchanged": 0}
    assert plan.unknown_divisions == ["6B", "6C"]
    assert nothing_written()  # a preview writes nothing

    outcome = services.apply(school, ASSESSMENT_SAMPLE, file_name="export.csv", user=rrupn_user)
    campaign = outcome.campaign
    assert (campaign.code, campaign.pix_id, campaign.kind) == (
        "QXTRMB482",
        512347,
        CampaignKind.ASSESSMENT,
    )
    assert campaign.name == "6e - Protection et sécurité - 2025-2026"
    assert campaign.target_profile == "Parcours 6e Protection et sécurité"
    assert campaign.school_year == year_2025 and campaign.last_import_at is not None
    assert list(campaign.divisions.all()) == [sixth_a]
    assert campaign.participations.count() == 8
    zoe = campaign.participations.get(last_name="LAFLEUR")
    assert zoe.division == sixth_a and zoe.stage == 2 and zoe.stage_count == 3
    assert zoe.mastery == Decimal("0.82") and zoe.domains["4"]["validated"] == 9
    assert {(r.competence.code, r.validated) for r in zoe.results.all()} == {
        ("4.1", 4),
        ("4.2", 3),
        ("4.3", 2),
    }
    assert campaign.participations.get(last_name="KERMEL").division is None  # 6B unknown
    # Summaries checked against the sample, counted by hand.
    rows = {
        s.division_code: (s.participants, s.started, s.completed, s.shared, s.mastery)
        for s in campaign.summaries.all()
    }
    assert rows == {
        "6A": (3, 3, 2, 2, Decimal("0.685")),
        "6B": (3, 3, 3, 2, Decimal("0.635")),
        "6C": (2, 2, 2, 2, Decimal("0.545")),
    }
    sixth_a_summary = campaign.summaries.get(division_code="6A")
    assert sixth_a_summary.division == sixth_a
    assert sixth_a_summary.competences["4.1"] == {"n": 2, "mastery": 0.875, "level": None}
    log = PixImport.objects.get()
    assert (log.campaign, log.file_name, log.imported_by) == (campaign, "export.csv", rrupn_user)
    assert (log.rows, log.created, log.updated) == (8, 8, 0)
    assert any("Classes absentes" in w for w in log.warnings)
    entry = AuditEntry.objects.get(action="pix.import")
    assert entry.establishment == school and entry.actor == rrupn_user
    assert entry.after["created"] == 8
    assert PixOrganisation.objects.get(establishment=school).name == ORGANISATION_NAME


def test_profiles_sample_summaries(school, year_2025):
    campaign = services.apply(school, PROFILES_SAMPLE, file_name="profils.csv").campaign
    assert campaign.kind == CampaignKind.PROFILES and campaign.target_profile == ""
    rows = {
        s.division_code: (s.participants, s.started, s.completed, s.shared, s.certifiable)
        for s in campaign.summaries.all()
    }
    assert rows == {"3A": (4, 3, 3, 3, 2), "3B": (4, 3, 3, 3, 3)}
    by_class = {s.division_code: s for s in campaign.summaries.all()}
    # Competence 1.1 levels: 3A 3, 2, 1 → 2; 3B 4, 2, 3 → 3 (Milo and Maël did not send).
    assert by_class["3A"].competences["1.1"]["level"] == 2.0
    assert by_class["3B"].competences["1.1"]["level"] == 3.0
    assert CompetenceResult.objects.count() == 6 * 16
    theo = campaign.participations.get(last_name="ARMAND-LEROUX")
    assert theo.total_pix == 294 and theo.certifiable and theo.certifiable_competences == 16
    assert theo.progression is None


def test_reimport_updates_and_never_duplicates(school, year_2025):
    services.apply(school, ASSESSMENT_SAMPLE, file_name="a.csv")
    plan = services.preview(school, ASSESSMENT_SAMPLE)
    assert not plan.is_new_campaign
    assert plan.counts()["unchanged"] == 8 and not plan.to_add and not plan.to_update
    assert not any("organisation" in w for w in plan.warnings)  # the name is now recorded
    # A later export: Inès has shared, a new pupil, names typed differently (same pupils).
    later = ASSESSMENT_SAMPLE.decode("utf-8-sig")
    later = later.replace(
        '"DUVAL-ARNAUD";"Inès";"6A";0,455;"15/09/2025 09:15";"Non";"NA";"NA";"NA";"NA";"NA";"NA";'
        '"NA";"NA";"NA";"NA";"NA";"NA";"NA";"NA";"NA"',
        '"Duval - Arnaud";"INES";"6A";1;"15/09/2025 09:15";"Oui";"29/09/2025 10:00";1;0,5;0,5;4;'
        "2;0,5;4;2;0,33;3;1;0,45;11;5",
    )
    later += (
        '"Collège Exemple des Tilleuls";512347;"QXTRMB482";"6e - Protection et sécurité - '
        '2025-2026";"Parcours 6e Protection et sécurité";"NOUVEAU";"Élève";"6C";0,1;'
        '"01/10/2025 08:00";"Non";"NA";"NA";"NA";"NA";"NA";"NA";"NA";"NA";"NA";"NA";"NA";"NA";'
        '"NA";"NA";"NA"\n'
    )
    outcome = services.apply(school, later.encode(), file_name="b.csv")
    assert outcome.plan.counts() == {
        "rows": 9,
        "pupils": 9,
        "created": 1,
        "updated": 1,
        "unchanged": 7,
    }
    campaign = outcome.campaign
    assert Campaign.objects.count() == 1 and campaign.participations.count() == 9
    ines = campaign.participations.get(match_key__startswith="duval-arnaud|")
    assert (ines.last_name, ines.first_name, ines.shared, ines.mastery) == (
        "Duval - Arnaud",
        "INES",
        True,
        Decimal("0.5"),
    )
    assert ines.results.count() == 3
    assert CompetenceResult.objects.filter(participation__campaign=campaign).count() == 7 * 3
    assert campaign.summaries.get(division_code="6A").shared == 3
    assert campaign.summaries.get(division_code="6C").participants == 3
    assert campaign.imports.count() == 2


def test_an_older_export_does_not_overwrite_a_later_send(school, year_2025):
    services.apply(
        school,
        profiles_export([{"last": "A", "first": "B", "sent_at": "20/01/2026 10:00"}]),
        file_name="new.csv",
    )
    older = profiles_export(
        [{"last": "A", "first": "B", "sent_at": "02/10/2025 10:00", "levels": {"1.1": (5, 40)}}]
    )
    outcome = services.apply(school, older, file_name="old.csv")
    assert outcome.plan.counts()["updated"] == 0 and len(outcome.plan.kept_newer) == 1
    assert any("plus récemment" in w for w in outcome.plan.warnings)
    assert CompetenceResult.objects.get(competence__code="1.1").level == 1


def test_division_resolved_by_normalised_code_of_the_campaign_year(school, year_2025):
    other_year = SchoolYear.objects.get_or_create(start_year=2024)[0]
    Division.objects.create(establishment=school, school_year=other_year, code="3A")
    third_a = Division.objects.create(establishment=school, school_year=year_2025, code="3 a")
    campaign = services.apply(school, PROFILES_SAMPLE, file_name="p.csv").campaign
    assert set(campaign.participations.values_list("division_id", flat=True)) == {
        third_a.pk,
        None,
    }
    assert list(campaign.divisions.all()) == [third_a]


def test_forced_year_and_year_from_dates(school):
    campaign = services.apply(school, PROFILES_SAMPLE, file_name="p.csv", forced_year=2026).campaign
    assert campaign.school_year.start_year == 2026
    data = assessment_export(
        [
            {
                "last": "A",
                "first": "B",
                "started": "10/01/2025 09:00",
                "shared_at": "11/01/2025 09:00",
            }
        ]
    )
    campaign = services.apply(school, data, file_name="a.csv").campaign
    assert campaign.school_year.start_year == 2024  # January 2025 is in 2024-2025


def test_organisation_name_mismatch_warns_and_confirming_records_it(school, year_2025):
    PixOrganisationFactory(establishment=school, name="CLG DES TILLEULS")
    plan = services.preview(school, PROFILES_SAMPLE)
    assert plan.name_mismatch and plan.recorded_name == "CLG DES TILLEULS"
    assert any("« CLG DES TILLEULS »" in w for w in plan.warnings)
    services.apply(school, PROFILES_SAMPLE, file_name="p.csv", record_name=False)
    assert PixOrganisation.objects.get(establishment=school).name == "CLG DES TILLEULS"
    services.apply(school, PROFILES_SAMPLE, file_name="p.csv")
    assert PixOrganisation.objects.get(establishment=school).name == ORGANISATION_NAME
    assert not services.preview(school, PROFILES_SAMPLE).name_mismatch


def test_no_recorded_name_warns(school, year_2025):
    plan = services.preview(school, PROFILES_SAMPLE)
    assert plan.name_mismatch and plan.recorded_name == ""
    assert any(w.startswith("Premier import") for w in plan.warnings)


def test_campaign_of_another_kind_is_refused(school, year_2025):
    PixCampaignFactory(establishment=school, code="LKZWNP317", kind=CampaignKind.ASSESSMENT)
    with pytest.raises(services.ImportRefused) as refused:
        services.apply(school, PROFILES_SAMPLE, file_name="p.csv")
    assert "Évaluation (parcours)" in str(refused.value.errors[0])
    assert Participation.objects.count() == 0 and PixImport.objects.count() == 0


def test_campaign_with_another_pix_id_is_refused(school, year_2025):
    PixCampaignFactory(establishment=school, code="LKZWNP317", profiles=True, pix_id=1)
    plan = services.preview(school, PROFILES_SAMPLE)
    assert [(e.line, e.column) for e in plan.errors] == [(2, "ID Campagne")]


def test_hand_made_campaign_is_matched_on_its_code_and_completed(school, year_2025):
    campaign = PixCampaignFactory(
        establishment=school, code="QXTRMB482", pix_id=None, target_profile="", name="À la main"
    )
    outcome = services.apply(school, ASSESSMENT_SAMPLE, file_name="a.csv")
    assert outcome.campaign == campaign
    campaign.refresh_from_db()
    assert campaign.pix_id == 512347 and campaign.name == "À la main"
    assert campaign.target_profile == "Parcours 6e Protection et sécurité"


def test_old_export_without_code_needs_a_campaign_with_its_pix_id(school, year_2025):
    data = assessment_export([{"last": "A", "first": "B"}], with_code=False, old_headers=True)
    plan = services.preview(school, data)
    assert [(e.line, e.column) for e in plan.errors] == [(1, "Code")]
    campaign = PixCampaignFactory(establishment=school, pix_id=512347)
    assert services.apply(school, data, file_name="old.csv").campaign == campaign


def test_another_schools_campaign_with_the_same_code_is_not_touched(
    school, other_school, year_2025
):
    theirs = PixCampaignFactory(establishment=other_school, code="QXTRMB482")
    outcome = services.apply(school, ASSESSMENT_SAMPLE, file_name="a.csv")
    assert outcome.campaign != theirs and theirs.participations.count() == 0


def test_bad_file_writes_nothing(school, year_2025):
    lines = ASSESSMENT_SAMPLE.decode("utf-8-sig").split("\n")
    lines[8] = lines[8].replace(";0,36;0,25;", ";0,36x;0,25;")
    with pytest.raises(services.ImportRefused) as refused:
        services.apply(school, "\n".join(lines).encode(), file_name="bad.csv")
    assert [(e.line, e.column) for e in refused.value.errors] == [
        (9, "% maitrise de l'ensemble des acquis du profil")
    ]
    assert nothing_written()
    assert not AuditEntry.objects.filter(action="pix.import").exists()


def test_bad_reimport_leaves_the_previous_results(school, year_2025):
    services.apply(school, ASSESSMENT_SAMPLE, file_name="a.csv")
    before = list(Participation.objects.values_list("match_key", "mastery", "shared"))
    lines = ASSESSMENT_SAMPLE.decode("utf-8-sig").replace(";0,82;", ";0,99;").split("\n")
    lines[3] = lines[3].replace('"Non"', '"Nan"')
    with pytest.raises(services.ImportRefused):
        services.apply(school, "\n".join(lines).encode(), file_name="bad.csv")
    assert list(Participation.objects.values_list("match_key", "mastery", "shared")) == before
    assert PixImport.objects.count() == 1


def test_factory_rows_are_updated_by_an_import(school, year_2025):
    campaign = PixCampaignFactory(
        establishment=school, code="QXTRMB482", pix_id=512347, school_year=year_2025
    )
    ParticipationFactory(
        campaign=campaign,
        last_name="Lafleur",
        first_name="ZOE",
        division_code="6A",
        not_shared=True,
    )
    outcome = services.apply(school, ASSESSMENT_SAMPLE, file_name="a.csv")
    assert outcome.plan.counts()["updated"] == 1 and outcome.plan.counts()["created"] == 7
    assert campaign.participations.count() == 8


def _profiles(n: int) -> bytes:
    return profiles_export(
        [{"last": f"ÉLÈVE{i}", "first": "Prénom", "division": f"3{'ABC'[i % 3]}"} for i in range(n)]
    )


def test_import_query_count_does_not_depend_on_the_rows(school, year_2025, monkeypatch):
    """Same number of queries for 10 and 100 pupils, first import and re-import.

    Django splits a bulk insert on SQLite at its default limit of 999 variables; the SQLite
    library used allows far more, as PostgreSQL does, so the test lifts Django's cap to see
    the importer's own statements only.
    """
    monkeypatch.setattr(connection.features, "max_query_params", 250_000)
    for year_code in ("3A", "3B", "3C"):
        Division.objects.create(establishment=school, school_year=year_2025, code=year_code)
    services.apply(school, ASSESSMENT_SAMPLE, file_name="warm-up.csv")  # content types, year
    counts = []
    for n, code in ((10, "AAAAAA001"), (100, "AAAAAA002")):
        data = _profiles(n).replace(b"LKZWNP317", code.encode()).replace(b"498211", str(n).encode())
        with CaptureQueriesContext(connection) as first:
            services.apply(school, data, file_name="p.csv")
        changed = data.replace(b'"Oui";16;1;10;', b'"Oui";16;2;17;')
        with CaptureQueriesContext(connection) as second:
            outcome = services.apply(school, changed, file_name="p.csv")
        assert outcome.plan.counts()["updated"] == n
        counts.append((len(first.captured_queries), len(second.captured_queries)))
    assert counts[0] == counts[1], counts
    assert counts[0][0] < 30, counts
