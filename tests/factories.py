import factory
from django.contrib.auth.hashers import make_password

from rrupn.accounts.models import Role, RoleAssignment, SraneLevel, SraneScope, User
from rrupn.establishments.models import Establishment, Kind, SchoolYear, Sector
from rrupn.establishments.uai import uai_key


def make_uai(n: int, department: str = "87") -> str:
    digits = f"0{department}{n:04d}"
    return digits + uai_key(digits)


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment
        django_get_or_create = ["uai"]

    class Params:
        department_code = "87"

    uai = factory.LazyAttributeSequence(lambda o, n: make_uai(9000 - n, o.department_code))
    name = factory.Sequence(lambda n: f"Collège Test {n}")
    kind = Kind.COLLEGE
    sector = Sector.PUBLIC
    commune = "Limoges"
    department = factory.SelfAttribute("department_code")
    postal_code = factory.LazyAttribute(lambda o: f"{o.department_code}000")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.LazyAttribute(
        lambda o: f"{o.first_name.lower()}.{o.last_name.lower()}@ac-limoges.fr"
    )
    password = factory.LazyFunction(lambda: make_password("mot-de-passe-de-test"))


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    establishment = factory.SubFactory(EstablishmentFactory)
    role = Role.TEACHER

    class Params:
        yearly = factory.Trait(school_year=factory.LazyFunction(SchoolYear.current))


class SraneScopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SraneScope

    user = factory.SubFactory(UserFactory)
    level = SraneLevel.DEPARTMENT
    department = "87"

    class Params:
        academie = factory.Trait(level=SraneLevel.ACADEMIE, department="")
