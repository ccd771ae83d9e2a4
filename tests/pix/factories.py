"""Shared factories of the Pix app (campaigns, participations, results, certification sessions).

ParticipationFactory computes `match_key` with the importer's own function
(pix.imports.matching.match_key), so a later import of the same pupil updates the factory's row.
After creating participations, call `pix.summaries.rebuild(campaign)` when a test reads the
per-class summaries.
"""

import datetime

import factory

from pix.imports.matching import match_key
from pix.models import (
    Campaign,
    CampaignKind,
    CertificationLevel,
    CertificationSession,
    CompetenceResult,
    CrcnCompetence,
    Participation,
    PixOrganisation,
)
from rrupn.establishments.models import SchoolYear
from tests.factories import EstablishmentFactory


def campaign_code(n: int) -> str:
    """A valid, unique Pix Orga code: 6 letters then 3 digits (ABCDEF123 pattern)."""
    letters = ""
    value = n
    for _ in range(6):
        letters = chr(ord("A") + value % 26) + letters
        value //= 26
    return f"{letters}{n % 1000:03d}"


class PixOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PixOrganisation
        django_get_or_create = ["establishment"]

    establishment = factory.SubFactory(EstablishmentFactory)
    name = factory.LazyAttribute(lambda o: o.establishment.name)


class PixCampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    establishment = factory.SubFactory(EstablishmentFactory)
    school_year = factory.LazyFunction(SchoolYear.current)
    code = factory.Sequence(lambda n: campaign_code(n + 1000))
    pix_id = factory.Sequence(lambda n: 500000 + n)
    name = factory.Sequence(lambda n: f"Campagne Pix {n}")
    kind = CampaignKind.ASSESSMENT
    target_profile = factory.LazyAttribute(
        lambda o: "Parcours 6e Protection et sécurité" if o.kind == CampaignKind.ASSESSMENT else ""
    )

    class Params:
        profiles = factory.Trait(kind=CampaignKind.PROFILES, target_profile="")

    @factory.post_generation
    def divisions(self, create, extracted, **kwargs):
        if create and extracted:
            self.divisions.set(extracted)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    campaign = factory.SubFactory(PixCampaignFactory)
    last_name = factory.Sequence(lambda n: f"ÉLÈVE{n}")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    division_code = factory.LazyAttribute(lambda o: o.division.code if o.division else "6A")
    division = None
    match_key = factory.LazyAttribute(
        lambda o: match_key(o.last_name, o.first_name, o.division_code)
    )
    started_at = factory.LazyFunction(
        lambda: datetime.datetime(2025, 9, 15, 9, 0, tzinfo=datetime.UTC)
    )
    progression = factory.LazyAttribute(
        lambda o: None if o.campaign.kind == CampaignKind.PROFILES else 1
    )
    shared = True
    shared_at = factory.LazyAttribute(
        lambda o: o.started_at + datetime.timedelta(minutes=30) if o.shared else None
    )
    stage = None
    stage_count = None
    mastery = factory.LazyAttribute(
        lambda o: "0.750" if o.shared and o.campaign.kind == CampaignKind.ASSESSMENT else None
    )
    total_pix = factory.LazyAttribute(
        lambda o: 120 if o.shared and o.campaign.kind == CampaignKind.PROFILES else None
    )
    certifiable = factory.LazyAttribute(
        lambda o: True if o.shared and o.campaign.kind == CampaignKind.PROFILES else None
    )
    certifiable_competences = factory.LazyAttribute(
        lambda o: 8 if o.shared and o.campaign.kind == CampaignKind.PROFILES else None
    )

    class Params:
        not_started = factory.Trait(progression=0, shared=False)
        in_progress = factory.Trait(progression="0.455", shared=False)
        not_shared = factory.Trait(progression=1, shared=False)


class CompetenceResultFactory(factory.django.DjangoModelFactory):
    """A competence result; pass `competence=CrcnCompetence.objects.get(code="4.1")` or `code=`."""

    class Meta:
        model = CompetenceResult
        exclude = ["code"]

    participation = factory.SubFactory(ParticipationFactory)
    code = "4.1"
    competence = factory.LazyAttribute(lambda o: CrcnCompetence.objects.get(code=o.code))
    mastery = factory.LazyAttribute(
        lambda o: "0.750" if o.participation.campaign.kind == CampaignKind.ASSESSMENT else None
    )
    targeted = factory.LazyAttribute(
        lambda o: 4 if o.participation.campaign.kind == CampaignKind.ASSESSMENT else None
    )
    validated = factory.LazyAttribute(
        lambda o: 3 if o.participation.campaign.kind == CampaignKind.ASSESSMENT else None
    )
    level = factory.LazyAttribute(
        lambda o: 2 if o.participation.campaign.kind == CampaignKind.PROFILES else None
    )
    pix = factory.LazyAttribute(
        lambda o: 17 if o.participation.campaign.kind == CampaignKind.PROFILES else None
    )


class CertificationSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificationSession
        skip_postgeneration_save = True

    establishment = factory.SubFactory(EstablishmentFactory)
    school_year = factory.LazyFunction(SchoolYear.current)
    level = CertificationLevel.TROISIEME
    date = factory.LazyAttribute(lambda o: datetime.date(o.school_year.start_year + 1, 3, 15))
    room = "CDI"
    candidates = 25
    certified = None
    score_bands = factory.LazyFunction(dict)

    @factory.post_generation
    def divisions(self, create, extracted, **kwargs):
        if create and extracted:
            self.divisions.set(extracted)
