"""The Pix demo: campaigns imported through the real importer, a 6e bilan, a 3e profiles
collection, certification sessions; loading the demo twice adds nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from pix import models
from pix.certification.selectors import readiness
from rrupn.accounts.demo_pix import PIX_ORGA_NAME, PUPILS
from rrupn.accounts.models import User
from rrupn.audit.models import AuditEntry
from rrupn.dashboard.registry import checklist, srane_columns
from rrupn.establishments.models import Establishment, SchoolYear

CSV = Path(__file__).resolve().parents[2] / "data" / "establishments_limoges.csv"
MAUPASSANT, PERRIER = "0870022B", "0190032G"

pytestmark = pytest.mark.django_db

MODELS = [
    models.PixOrganisation,
    models.Campaign,
    models.Participation,
    models.CompetenceResult,
    models.DivisionSummary,
    models.PixImport,
    models.CertificationSession,
    AuditEntry,
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo's letter and minutes PDFs


def load() -> None:
    call_command("import_establishments", str(CSV), stdout=StringIO())
    call_command("load_demo", stdout=StringIO())


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_load_demo_twice_is_idempotent_and_counts(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load()
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        load()
    assert counts() == before

    year = SchoolYear.current()
    maupassant = Establishment.objects.get(uai=MAUPASSANT)
    assert maupassant.pix_organisation.name == PIX_ORGA_NAME  # recorded by the first import
    campaigns = {c.code: c for c in models.Campaign.objects.filter(establishment=maupassant)}
    assert set(campaigns) == {"DMOPSC601", "DMOBIL602", "DMOCOL303"}
    assert all(
        c.school_year == year and c.owner.email.startswith("camille") for c in campaigns.values()
    )
    assert models.PixImport.objects.count() == 3
    assert AuditEntry.objects.filter(action="pix.import").count() == 3

    protection, bilan, collection = (
        campaigns["DMOPSC601"],
        campaigns["DMOBIL602"],
        campaigns["DMOCOL303"],
    )
    sixth = len(PUPILS["6A"]) + len(PUPILS["6B"])
    assert protection.participations.count() == bilan.participations.count() == sixth == 15
    assert bilan.target_profile == models.KnownParcours.objects.get(role="6e-bilan").name
    assert protection.kind == bilan.kind == models.CampaignKind.ASSESSMENT
    # The bilan's states cycle shared, shared, not started, shared, in progress, shared.
    assert bilan.participations.filter(shared=True).count() == 10
    assert bilan.participations.filter(progression=0).count() == 3
    assert protection.participations.filter(shared=False, progression=1).count() == 2
    assert sorted(d.code for d in bilan.divisions.all()) == ["6A", "6B"]
    assert (
        models.CompetenceResult.objects.filter(
            participation__campaign=protection, competence__code="4.3"
        ).count()
        == protection.participations.filter(shared=True).count()
    )

    assert collection.kind == models.CampaignKind.PROFILES
    summary = models.DivisionSummary.objects.get(campaign=collection)
    assert (summary.division.code, summary.participants, summary.shared) == ("3A", 12, 10)
    assert summary.certifiable == 8  # two sent but at level 1 in three competences only
    assert {s.division_code for s in models.DivisionSummary.objects.filter(campaign=bilan)} == {
        "6A",
        "6B",
    }

    [third] = readiness(maupassant, year)
    rows = {row.division.code: row for row in third.classes}
    assert (rows["3A"].certifiable, rows["3A"].participants, rows["3A"].not_collected) == (
        8,
        12,
        29 - 12,
    )
    assert not rows["3B"].has_collection and rows["3B"].not_collected == 28

    session = models.CertificationSession.objects.get(establishment=maupassant)
    assert (session.level, session.candidates, session.certified) == ("3e", 57, None)
    assert sorted(d.code for d in session.divisions.all()) == ["3A", "3B"]
    perrier = models.CertificationSession.objects.get(establishment__uai=PERRIER)
    assert (perrier.level, perrier.candidates, perrier.certified) == ("terminale", 30, 27)
    assert sum(perrier.score_bands.values()) == 30

    item = next(i for i in checklist if i.key == "pix_certification_sessions")
    assert item.status(maupassant, year).done is True
    column = next(c for c in srane_columns if c.key == "pix_certification")
    values = column.values([maupassant, perrier.establishment], year)
    assert values[maupassant.pk].text == "1 session planifiée (57 candidats)"
    assert values[perrier.establishment_id].text == "27/30 certifiés (90 %)"


def test_the_demo_rrupn_finds_the_certification_pages_filled(client):
    load()
    client.force_login(User.objects.get(email="camille.fauvette@ac-limoges.fr"))
    sessions = client.get(reverse("pix:certification_sessions", args=[MAUPASSANT]))
    assert "Salle informatique B12" in sessions.content.decode()
    page = client.get(reverse("pix:certification_readiness", args=[MAUPASSANT])).content.decode()
    assert "8 / 12 (67 %)" in page and "aucune collecte de profils cette année" in page
    assert "ARNAUD" not in page  # aggregates only
