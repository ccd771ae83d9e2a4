"""Scoping rules that the matrix does not show by itself."""

import html

import pytest
from django.urls import reverse

from rrupn.accounts.models import Role, RoleAssignment
from rrupn.audit.services import audit_record

from ..factories import EstablishmentFactory, RoleAssignmentFactory, SraneScopeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_switcher_only_switches_to_an_establishment_of_mine(client, school, other_school):
    user = UserFactory()
    RoleAssignmentFactory(user=user, establishment=school, role=Role.RRUPN, yearly=True)
    second = EstablishmentFactory(name="Collège Second")
    RoleAssignmentFactory(user=user, establishment=second, role=Role.TEACHER)
    client.force_login(user)

    page = client.get(reverse("dashboard:establishment", args=[school.uai])).content.decode()
    assert 'id="choix-etablissement"' in page and second.name in page
    assert other_school.name not in page

    response = client.post(reverse("dashboard:switch"), {"uai": second.uai})
    assert response.url == reverse("dashboard:establishment", args=[second.uai])
    assert client.get(reverse("home")).url == response.url  # the choice is remembered

    response = client.post(reverse("dashboard:switch"), {"uai": other_school.uai}, follow=True)
    assert (
        "Vous n’avez pas de rôle" in response.content.decode()
        or "pas de rôle" in response.content.decode()
    )
    assert client.get(reverse("home")).url == reverse("dashboard:establishment", args=[second.uai])


def test_revoking_a_role_takes_effect_on_the_next_request(client, school):
    assignment = RoleAssignmentFactory(establishment=school, role=Role.HEAD)
    client.force_login(assignment.user)
    url = reverse("dashboard:inbox", args=[school.uai])
    assert client.get(url).status_code == 200
    assignment.role = Role.TEACHER
    assignment.save()
    assert client.get(url).status_code == 403
    assignment.delete()
    assert client.get(url).status_code == 404


def test_a_role_of_a_past_school_year_gives_no_access(client, school):
    from rrupn.establishments.models import SchoolYear

    past = SchoolYear.objects.create(start_year=SchoolYear.current().start_year - 1)
    assignment = RoleAssignmentFactory(establishment=school, role=Role.RRUPN, school_year=past)
    client.force_login(assignment.user)
    assert client.get(reverse("dashboard:establishment", args=[school.uai])).status_code == 404


def test_srane_department_sees_only_its_department(client, school, other_school, far_school):
    scope = SraneScopeFactory(department="87")
    client.force_login(scope.user)
    body = client.get(reverse("dashboard:srane_overview")).content.decode()
    assert school.name in body and other_school.name in body
    assert far_school.name not in body
    # A filter outside the scope is ignored, never widened.
    body = client.get(reverse("dashboard:srane_overview") + "?departement=19").content.decode()
    assert far_school.name not in body


def test_srane_academie_filters_by_department(client, school, far_school):
    scope = SraneScopeFactory(academie=True)
    client.force_login(scope.user)
    body = client.get(reverse("dashboard:srane_overview")).content.decode()
    assert school.name in body and far_school.name in body
    body = client.get(reverse("dashboard:srane_overview") + "?departement=19").content.decode()
    assert far_school.name in body and school.name not in body


def test_srane_overview_first_column_is_the_rrupn_designation(client, school, other_school):
    rrupn = RoleAssignmentFactory(establishment=school, role=Role.RRUPN, yearly=True)
    client.force_login(SraneScopeFactory(department="87").user)
    body = client.get(reverse("dashboard:srane_overview")).content.decode()
    assert "RRUPN désigné" in body
    assert str(rrupn.user) in body
    assert body.count("Aucun RRUPN désigné") == 1  # other_school


def test_audit_log_shows_own_establishment_only(client, school, other_school):
    head = RoleAssignmentFactory(establishment=school, role=Role.HEAD).user
    assignment = RoleAssignment.objects.get(user=head)
    audit_record(
        actor=head,
        action="role.changed",
        obj=assignment,
        before={"role": "teacher"},
        after={"role": "head"},
        summary="Rôle modifié",
    )
    audit_record(actor=None, action="other", establishment=other_school, summary="Ailleurs")
    client.force_login(head)
    body = client.get(reverse("dashboard:audit_log", args=[school.uai])).content.decode()
    body = html.unescape(body)
    assert "Rôle modifié" in body and "rôle : Enseignant → Chef d'établissement" in body
    assert "Ailleurs" not in body
