import datetime

import factory

from gar.models import GarResource, GarSubscription, Origin
from rrupn.establishments.models import SchoolYear

from ..factories import EstablishmentFactory


class GarResourceFactory(factory.django.DjangoModelFactory):
    """A resource acquired by establishments (the kind that has subscriptions)."""

    class Meta:
        model = GarResource
        django_get_or_create = ["ark"]

    ark = factory.Sequence(lambda n: f"ark:/99999/ressource-test-{n}")
    title = factory.Sequence(lambda n: f"Manuel numérique {n}")
    distributor = "Éditeur de test"
    origin = Origin.ACQUIRED
    publics = factory.LazyFunction(lambda: ["ELEVE", "ENSEIGNANT"])

    class Params:
        national = factory.Trait(origin=Origin.NATIONAL)


class GarSubscriptionFactory(factory.django.DjangoModelFactory):
    """An INDIV subscription for pupils and teachers, valid for the current school year."""

    class Meta:
        model = GarSubscription

    establishment = factory.SubFactory(EstablishmentFactory)
    school_year = factory.LazyFunction(SchoolYear.current)
    resource = factory.SubFactory(GarResourceFactory)
    id_abonnement = factory.Sequence(lambda n: f"ABO-TEST-{n:04d}")
    starts_on = factory.LazyAttribute(lambda o: datetime.date(o.school_year.start_year, 9, 1))
    end_school_year = factory.LazyAttribute(lambda o: o.school_year.label)
    publics = factory.LazyFunction(lambda: ["ELEVE", "ENSEIGNANT"])
    licences_eleve = "120"
    licences_enseignant = "ILLIMITE"
