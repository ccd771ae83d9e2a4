"""Factories of the campaign tests (subscriptions, designations, campaigns)."""

import datetime

import factory

from gar.models import (
    DesignationState,
    GarCampaign,
    GarResource,
    GarSubscription,
    Origin,
    RespAffectation,
)
from rrupn.establishments.models import SchoolYear

from ..factories import EstablishmentFactory, UserFactory


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GarResource
        django_get_or_create = ["ark"]

    ark = factory.Sequence(lambda n: f"ark:/99999/campagne-{n}")
    title = factory.Sequence(lambda n: f"Ressource de campagne {n}")
    distributor = "Éditeur de test"
    origin = Origin.ACQUIRED
    publics = factory.LazyFunction(lambda: ["ELEVE"])


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A subscription of the current year, its assignments not yet marked done."""

    class Meta:
        model = GarSubscription

    establishment = factory.SubFactory(EstablishmentFactory)
    school_year = factory.LazyFunction(SchoolYear.current)
    resource = factory.SubFactory(ResourceFactory)
    id_abonnement = factory.Sequence(lambda n: f"ABO-CAMPAGNE-{n:05d}")
    starts_on = factory.LazyAttribute(lambda o: datetime.date(o.school_year.start_year, 9, 1))
    end_school_year = factory.LazyAttribute(lambda o: o.school_year.label)
    publics = factory.LazyFunction(lambda: ["ELEVE"])
    licences_eleve = "100"

    class Params:
        done = factory.Trait(
            done_at=factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC)),
            done_by=factory.SubFactory(UserFactory),
        )


class DesignationFactory(factory.django.DjangoModelFactory):
    """A designated responsable d'affectation of the current year."""

    class Meta:
        model = RespAffectation

    establishment = factory.SubFactory(EstablishmentFactory)
    school_year = factory.LazyFunction(SchoolYear.current)
    user = factory.SubFactory(UserFactory)
    state = DesignationState.DESIGNATED
    proposed_by = factory.SelfAttribute("user")


def campaign(due_on: datetime.date, every: int = 7) -> GarCampaign:
    """This year's campaign with the given due date."""
    year = SchoolYear.current()
    row, _created = GarCampaign.objects.update_or_create(
        school_year=year, defaults={"due_on": due_on, "reminder_every_days": every}
    )
    return row
