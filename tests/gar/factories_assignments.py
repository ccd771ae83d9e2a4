"""Resources, subscriptions and classes for the assignment tests (rows made directly)."""

import factory

from gar.models import GarResource, GarSubscription, Origin
from rrupn.accounts.models import Role
from rrupn.establishments.models import Division, DivisionKind, SchoolYear
from tests.factories import RoleAssignmentFactory, UserFactory


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GarResource

    ark = factory.Sequence(lambda n: f"ark:/47198/ressource{n}")
    title = factory.Sequence(lambda n: f"Ressource {n}")
    distributor = "Éditeur test"
    origin = Origin.ACQUIRED
    publics = factory.LazyFunction(lambda: ["ELEVE", "ENSEIGNANT"])


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """An INDIV subscription of this year: 60 licences élèves, 3 licences enseignants."""

    class Meta:
        model = GarSubscription

    school_year = factory.LazyFunction(SchoolYear.current)
    resource = factory.SubFactory(ResourceFactory)
    id_abonnement = factory.Sequence(lambda n: f"abo-test-{n}")
    starts_on = factory.LazyAttribute(lambda o: o.school_year.starts_on)
    end_school_year = factory.LazyAttribute(lambda o: o.school_year.label)
    publics = factory.LazyFunction(lambda: ["ELEVE", "ENSEIGNANT"])
    licences_eleve = "60"
    licences_enseignant = "3"


def division(establishment, code, pupils=25, kind=DivisionKind.DIVISION, year=None):
    return Division.objects.create(
        establishment=establishment,
        school_year=year or SchoolYear.current(),
        code=code,
        kind=kind,
        pupil_count=pupils,
    )


def staff(establishment, role=Role.TEACHER, **names):
    return RoleAssignmentFactory(
        establishment=establishment, role=role, user=UserFactory(**names)
    ).user


def last_year() -> SchoolYear:
    year, _ = SchoolYear.objects.get_or_create(start_year=SchoolYear.current().start_year - 1)
    return year
