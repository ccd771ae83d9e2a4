"""The shared Pix factories build valid rows whose match key is the importer's."""

from pix import summaries
from pix.imports.matching import match_key, normalise
from pix.models import CampaignKind, DivisionSummary, validate_campaign_code

from .factories import (
    CertificationSessionFactory,
    CompetenceResultFactory,
    ParticipationFactory,
    PixCampaignFactory,
)


def test_normalise_ignores_case_accents_apostrophes_and_spaces():
    assert normalise("  Hébrard   ") == "hebrard"
    assert normalise("D’Artagnan") == normalise("d'ARTAGNAN")
    assert normalise("DUVAL - ARNAUD") == "duval-arnaud"
    assert match_key("Zoé", "LAFLEUR", "6A") != match_key("LAFLEUR", "Zoé", "6A")


def test_factories_build_consistent_rows(school):
    campaign = PixCampaignFactory(establishment=school)
    validate_campaign_code(campaign.code)
    other = PixCampaignFactory(establishment=school, profiles=True)
    assert other.code != campaign.code and other.kind == CampaignKind.PROFILES
    pupil = ParticipationFactory(campaign=campaign, last_name="Hébrard", first_name="Manon")
    assert pupil.match_key == match_key("HEBRARD", "manon", "6A")
    CompetenceResultFactory(participation=pupil, code="4.2")
    ParticipationFactory(campaign=campaign, not_shared=True)
    summaries.rebuild(campaign)
    summary = DivisionSummary.objects.get(campaign=campaign)
    assert (summary.participants, summary.completed, summary.shared) == (2, 2, 1)
    assert summary.competences["4.2"]["mastery"] == 0.75
    session = CertificationSessionFactory(establishment=school)
    assert session.school_year == campaign.school_year
