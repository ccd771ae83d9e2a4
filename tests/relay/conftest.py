import pytest

from ..factories import EstablishmentFactory, SraneScopeFactory, UserFactory


@pytest.fixture
def srane87(db):
    user = UserFactory(first_name="Srane", last_name="Hautevienne")
    SraneScopeFactory(user=user, department="87")
    return user


@pytest.fixture
def srane_academie(db):
    user = UserFactory(first_name="Srane", last_name="Academie")
    SraneScopeFactory(user=user, academie=True)
    return user


@pytest.fixture
def creuse_school(db):
    return EstablishmentFactory(name="Collège de Guéret", department_code="23", commune="Guéret")
