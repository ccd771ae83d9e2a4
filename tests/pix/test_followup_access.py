"""pix.access: which classes' pupils a person may see in a school."""

import pytest

from pix.access import pupil_scope
from pix.models import Participation
from rrupn.accounts.models import Role
from rrupn.establishments.models import SchoolYear

from .followup_data import division, scenario, staff, teacher_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.HEAD, Role.DIRECTION, Role.RRUPN])
def test_direction_and_rrupn_see_every_class(school, role):
    user = staff(school, role)
    scope = pupil_scope(user, school, {role})
    assert scope.everything and scope.allows("6Z")


@pytest.mark.parametrize("role", [Role.GESTIONNAIRE, Role.DOCUMENTALISTE, Role.CPE])
def test_other_staff_see_no_pupil(school, role):
    scope = pupil_scope(staff(school, role), school, {role})
    assert scope.nothing and not scope.allows("6A")


def test_teacher_sees_the_classes_of_their_team_by_division_or_code(school):
    data = scenario(school)
    teacher = teacher_of(school, data.six_a)
    scope = pupil_scope(teacher, school, {Role.TEACHER})
    assert scope.allows("6A") and not scope.allows("6B")
    # A participation linked to the class, and one only carrying its code (not linked).
    Participation.objects.filter(last_name="CHLOÉ").update(division=None)
    names = set(
        scope.filter(Participation.objects.filter(campaign=data.campaign)).values_list(
            "last_name", flat=True
        )
    )
    assert names == {"ALICE", "BASTIEN", "CHLOÉ", "=DAVID", "ÉMILE"}


def test_teacher_of_no_class_sees_nothing(school):
    scenario(school)
    scope = pupil_scope(staff(school, Role.TEACHER), school, {Role.TEACHER})
    assert scope.nothing
    assert not scope.filter(Participation.objects.all()).exists()


def test_a_teacher_in_another_school_does_not_count(school, other_school):
    elsewhere = division(other_school, "6A")
    teacher = teacher_of(other_school, elsewhere)
    assert pupil_scope(teacher, school, {Role.TEACHER}).nothing


def test_school_year_narrows_a_teachers_classes(school):
    last_year = SchoolYear.objects.create(start_year=SchoolYear.current().start_year - 1)
    old = division(school, "5A", year=last_year)
    teacher = teacher_of(school, old)
    assert pupil_scope(teacher, school, {Role.TEACHER}, SchoolYear.current()).nothing
    assert pupil_scope(teacher, school, {Role.TEACHER}, last_year).allows("5A")


def test_a_teacher_who_is_also_rrupn_sees_everything(school):
    user = staff(school, Role.TEACHER)
    assert pupil_scope(user, school, {Role.TEACHER, Role.RRUPN}).everything
