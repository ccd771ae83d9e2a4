import factory

from maintenance.models import EquipmentNeed
from rrupn.establishments.models import SchoolYear

from ..factories import EstablishmentFactory, UserFactory


class EquipmentNeedFactory(factory.django.DjangoModelFactory):
    """A need of this year's campaign waiting for the direction's validation."""

    class Meta:
        model = EquipmentNeed

    establishment = factory.SubFactory(EstablishmentFactory)
    school_year = factory.LazyFunction(SchoolYear.current)
    item = factory.Sequence(lambda n: f"Vidéoprojecteur modèle {n}")
    quantity = 2
    priority = 2
    justification = "Remplacer les projecteurs des salles de sciences."
    proposed_by = factory.SubFactory(UserFactory)
