from decimal import Decimal

import factory

from commission.models import PurchaseProposal
from rrupn.establishments.models import SchoolYear

from ..factories import EstablishmentFactory, UserFactory


class PurchaseProposalFactory(factory.django.DjangoModelFactory):
    """A proposal waiting for the head's decision."""

    class Meta:
        model = PurchaseProposal

    establishment = factory.SubFactory(EstablishmentFactory)
    school_year = factory.LazyFunction(SchoolYear.current)
    item = factory.Sequence(lambda n: f"Visualiseuse modèle {n}")
    quantity = 2
    estimated_cost = Decimal("300.00")
    justification = "Projeter les productions des élèves en sciences."
    proposed_by = factory.SubFactory(UserFactory)
