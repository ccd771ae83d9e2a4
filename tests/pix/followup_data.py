"""Hand-made Pix data for the follow-up tests, with the numbers worked out by hand.

Campaign "Protection 6e" (assessment, this school year) of the school:
- 6A (25 pupils): ALICE shared (4.1 80 %, 4.2 60 %), BASTIEN shared (4.1 40 %, 4.2 100 %),
  CHLOÉ started (progression 45,5 %), =DAVID joined without answering (progression 0, a name a
  spreadsheet would run as a formula), ÉMILE finished without sharing;
- 6B (20 pupils): FANNY shared (4.1 50 %); GASPARD is known in 6B by another campaign of the
  year ("Initiation 6e", shared) and absent from this one.
So 6A: 5 participants, 4 started, 3 completed, 2 shared (40 %), 4.1 → 60 %, 4.2 → 80 %;
6B: 1 participant, all shared, 4.1 → 50 %; both: 4.1 → (0.8 + 0.4 + 0.5) / 3 = 57 %.
"""

from dataclasses import dataclass

from pix.models import CampaignKind
from pix.summaries import rebuild
from rrupn.accounts.models import Role
from rrupn.establishments.models import Division, SchoolYear
from tests.factories import RoleAssignmentFactory, UserFactory

from .factories import CompetenceResultFactory, ParticipationFactory, PixCampaignFactory

PUPIL_NAMES = ["ALICE", "BASTIEN", "CHLOÉ", "=DAVID", "ÉMILE", "FANNY", "GASPARD"]


def division(school, code, pupil_count=0, level="", year=None):
    return Division.objects.create(
        establishment=school,
        school_year=year or SchoolYear.current(),
        code=code,
        level=level,
        pupil_count=pupil_count,
    )


def staff(school, role, **names):
    user = UserFactory(**names)
    RoleAssignmentFactory(user=user, establishment=school, role=role)
    return user


def teacher_of(school, *divisions, name="Prof"):
    user = staff(school, Role.TEACHER, first_name=name, last_name=f"T{len(divisions)}")
    for made in divisions:
        made.teachers.add(user)
    return user


def pupil(campaign, last_name, div, results=(), **kwargs):
    made = ParticipationFactory(
        campaign=campaign, last_name=last_name, first_name="Élève", division=div, **kwargs
    )
    for code, mastery in results:
        CompetenceResultFactory(participation=made, code=code, mastery=mastery)
    return made


@dataclass
class Scenario:
    school: object
    campaign: object
    other: object
    six_a: Division
    six_b: Division


def scenario(school) -> Scenario:
    six_a = division(school, "6A", pupil_count=25, level="6e")
    six_b = division(school, "6B", pupil_count=20, level="6e")
    campaign = PixCampaignFactory(
        establishment=school,
        name="Protection 6e",
        kind=CampaignKind.ASSESSMENT,
        target_profile="Parcours 6e Protection et sécurité",
        divisions=[six_a, six_b],
    )
    pupil(campaign, "ALICE", six_a, [("4.1", "0.80"), ("4.2", "0.60")])
    pupil(campaign, "BASTIEN", six_a, [("4.1", "0.40"), ("4.2", "1.00")])
    pupil(campaign, "CHLOÉ", six_a, in_progress=True)
    pupil(campaign, "=DAVID", six_a, not_started=True)
    pupil(campaign, "ÉMILE", six_a, not_shared=True)
    pupil(campaign, "FANNY", six_b, [("4.1", "0.50")])
    other = PixCampaignFactory(
        establishment=school,
        name="Initiation 6e",
        target_profile="Parcours 6e Initiation aux compétences numériques",
    )
    pupil(other, "GASPARD", six_b)
    rebuild(campaign)
    rebuild(other)
    return Scenario(school, campaign, other, six_a, six_b)


def bulk_campaign(school, n_divisions: int, n_pupils: int, year=None, name="Bilan 6e"):
    """A bilan campaign with `n_pupils` pupils in each of `n_divisions` 6e classes, mixed states."""
    campaign = PixCampaignFactory(
        establishment=school,
        name=name,
        target_profile="Parcours 6e Bilan",
        **({"school_year": year} if year else {}),
    )
    for d in range(n_divisions):
        div = division(school, f"6{chr(65 + d)}{name[:1]}", pupil_count=n_pupils + 2, year=year)
        for p in range(n_pupils):
            states = [{}, {"not_started": True}, {"in_progress": True}, {"not_shared": True}]
            state = states[p % 4]
            results = [] if state else [("4.1", "0.5"), ("4.2", "0.25")]
            pupil(campaign, f"PUPILLE{d}X{p}", div, results, **state)
    rebuild(campaign)
    return campaign
