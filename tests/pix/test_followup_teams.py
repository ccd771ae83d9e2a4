"""The classes' teaching teams for Pix (who may see a class's pupils), set by RRUPN/direction."""

import pytest
from django.urls import reverse

from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry

from .followup_data import division, staff, teacher_of

pytestmark = pytest.mark.django_db


def test_list_shows_each_class_with_its_teachers(client, school):
    six_a = division(school, "6A")
    division(school, "6B")
    teacher_of(school, six_a, name="Mireille")
    client.force_login(staff(school, Role.HEAD))
    html = client.get(reverse("pix:followup_teams", args=[school.uai])).content.decode()
    assert "Équipes pédagogiques" in html and "Mireille" in html and "6B" in html
    assert "<caption>" in html


def test_rrupn_sets_a_team_audited(client, school):
    six_a = division(school, "6A")
    one = staff(school, Role.TEACHER, first_name="Anne", last_name="Un")
    two = staff(school, Role.TEACHER, first_name="Paul", last_name="Deux")
    rrupn = staff(school, Role.RRUPN)
    client.force_login(rrupn)
    url = reverse("pix:followup_team_edit", args=[school.uai, six_a.pk])
    page = client.get(url).content.decode()
    assert "Anne Un" in page and "Paul Deux" in page
    response = client.post(url, {"teachers": [one.pk, two.pk]})
    assert response.status_code == 302
    assert set(six_a.teachers.all()) == {one, two}
    entry = AuditEntry.objects.get(action="pix.team_set")
    assert entry.establishment == school and entry.actor == rrupn
    assert entry.after == {"enseignants": ["Anne Un", "Paul Deux"]}
    # Saving the same team again changes nothing and writes nothing.
    client.post(url, {"teachers": [one.pk, two.pk]})
    assert AuditEntry.objects.filter(action="pix.team_set").count() == 1
    # Emptying the team.
    client.post(url, {})
    assert not six_a.teachers.exists()


def test_a_person_who_is_no_teacher_of_the_school_is_refused(client, school, other_school):
    six_a = division(school, "6A")
    outsider = staff(other_school, Role.TEACHER, first_name="Hors", last_name="Champ")
    gestionnaire = staff(school, Role.GESTIONNAIRE)
    client.force_login(staff(school, Role.RRUPN))
    url = reverse("pix:followup_team_edit", args=[school.uai, six_a.pk])
    for pk in (outsider.pk, gestionnaire.pk, "pas-un-nombre"):
        response = client.post(url, {"teachers": [pk]})
        assert response.status_code == 400
        assert "n’est pas un enseignant de l’établissement" in response.content.decode()
    assert not six_a.teachers.exists()
    assert not AuditEntry.objects.filter(action="pix.team_set").exists()


def test_a_class_of_another_school_is_not_found(client, school, other_school):
    elsewhere = division(other_school, "6A")
    client.force_login(staff(school, Role.RRUPN))
    url = reverse("pix:followup_team_edit", args=[school.uai, elsewhere.pk])
    assert client.get(url).status_code == 404


def test_teacher_cannot_set_teams(client, school):
    six_a = division(school, "6A")
    client.force_login(teacher_of(school, six_a))
    url = reverse("pix:followup_team_edit", args=[school.uai, six_a.pk])
    assert client.post(url, {"teachers": []}).status_code == 403
