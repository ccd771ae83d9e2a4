import factory
from django.utils import timezone

from missions.models import LetterState, LetterTask, MissionLetter, MissionTask
from rrupn.accounts.models import Role
from rrupn.establishments.models import SchoolYear

from ..factories import EstablishmentFactory, RoleAssignmentFactory


def staff_member(establishment, role=Role.TEACHER):
    return RoleAssignmentFactory(establishment=establishment, role=role).user


class MissionLetterFactory(factory.django.DjangoModelFactory):
    """A draft letter naming a teacher of the school; traits walk it along the workflow."""

    class Meta:
        model = MissionLetter
        skip_postgeneration_save = True

    establishment = factory.SubFactory(EstablishmentFactory)
    school_year = factory.LazyFunction(SchoolYear.current)
    rrupn = factory.LazyAttribute(lambda o: staff_member(o.establishment))
    created_by = factory.LazyAttribute(lambda o: staff_member(o.establishment, Role.HEAD))
    starts_on = factory.LazyAttribute(lambda o: o.school_year.starts_on)
    ends_on = factory.LazyAttribute(lambda o: o.school_year.ends_on)

    class Params:
        proposed = factory.Trait(
            state=LetterState.PROPOSED, proposed_by=factory.SelfAttribute("rrupn")
        )
        signed = factory.Trait(
            state=LetterState.SIGNED,
            head=factory.SelfAttribute("created_by"),
            signed_at=factory.LazyFunction(timezone.now),
        )
        active = factory.Trait(
            state=LetterState.ACTIVE,
            head=factory.SelfAttribute("created_by"),
            signed_at=factory.LazyFunction(timezone.now),
            accepted_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def with_tasks(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        tasks = MissionTask.objects.filter(function__number__in=[1, 2]).order_by("pk")[:3]
        LetterTask.objects.bulk_create(LetterTask(letter=self, task=t) for t in tasks)
