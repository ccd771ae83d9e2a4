import factory
from django.utils import timezone

from commission.models import RemarkablePractice
from rrupn.establishments.models import SchoolYear

from ..factories import EstablishmentFactory, UserFactory


class PracticeFactory(factory.django.DjangoModelFactory):
    """A remarkable practice, not shared; `shared=True` puts it in the SRANE feed."""

    class Meta:
        model = RemarkablePractice

    establishment = factory.SubFactory(EstablishmentFactory)
    school_year = factory.LazyFunction(SchoolYear.current)
    title = factory.Sequence(lambda n: f"Webradio du collège, épisode {n}")
    discipline = "Français"
    level = "4e"
    description = "Les élèves écrivent et enregistrent une chronique hebdomadaire."
    tools = "Kit webradio, ENT"
    author = factory.SubFactory(UserFactory)

    class Params:
        shared = factory.Trait(shared_at=factory.LazyFunction(timezone.now))
