"""The classes and groups pages: list, entry by hand, import through the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import Division, DivisionKind, SchoolYear
from tests.factories import RoleAssignmentFactory

pytestmark = pytest.mark.django_db


def person(school, role):
    return RoleAssignmentFactory(establishment=school, role=role).user


def division(school, code, kind=DivisionKind.DIVISION, pupils=25, year=None, members=()):
    made = Division.objects.create(
        establishment=school,
        school_year=year or SchoolYear.current(),
        code=code,
        kind=kind,
        pupil_count=pupils,
    )
    made.divisions.set(members)
    return made


def test_every_staff_member_reads_the_list_of_this_year(client, school):
    a = division(school, "3A", pupils=28)
    division(school, "3B", pupils=27)
    division(school, "LAT3", DivisionKind.GROUP, pupils=12, members=[a])
    last_year = SchoolYear.objects.create(start_year=SchoolYear.current().start_year - 1)
    division(school, "OLD9", year=last_year)
    client.force_login(person(school, Role.TEACHER))
    page = client.get(reverse("divisions:list", args=[school.uai]))
    html = page.content.decode()
    assert "LAT3" in html and "3A" in html and "OLD9" not in html
    assert "55 élèves en classe" in html
    assert "Ajouter une classe" not in html  # a teacher only reads


def test_list_queries_are_constant(client, school):
    doc = person(school, Role.DOCUMENTALISTE)
    client.force_login(doc)
    url = reverse("divisions:list", args=[school.uai])

    def add(prefix, n):
        classes = [division(school, f"{prefix}{i}") for i in range(n)]
        for i in range(n):
            division(school, f"G{prefix}{i}", DivisionKind.GROUP, members=classes)

    add("A", 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add("B", 6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_documentalist_creates_a_group_of_two_classes(client, school):
    a, b = division(school, "3A"), division(school, "3B")
    client.force_login(person(school, Role.DOCUMENTALISTE))
    url = reverse("divisions:create", args=[school.uai])
    response = client.post(
        url,
        {
            "code": "LAT3",
            "kind": "group",
            "label": "Latin 3e",
            "level": "3e",
            "pupil_count": "12",
            "members": [a.pk, b.pk],
        },
    )
    assert response.status_code == 302
    group = Division.objects.get(code="LAT3")
    assert sorted(m.code for m in group.divisions.all()) == ["3A", "3B"]
    entry = AuditEntry.objects.get(action="division.created")
    assert entry.after["classes"] == ["3A", "3B"] and entry.establishment == school


def test_duplicate_code_and_class_with_members_are_refused(client, school):
    a = division(school, "3A")
    client.force_login(person(school, Role.RRUPN))
    url = reverse("divisions:create", args=[school.uai])
    base = {"kind": "division", "label": "", "level": "", "pupil_count": "3"}
    page = client.post(url, {**base, "code": "3A"})
    assert "Le code « 3A » est déjà pris" in page.content.decode()
    page = client.post(url, {**base, "code": "3C", "members": [a.pk]})
    assert "Seul un groupe a des classes" in page.content.decode()
    page = client.post(url, {**base, "code": "3D", "pupil_count": "-2"})
    assert page.status_code == 200
    assert Division.objects.count() == 1


def test_edit_changes_the_count_and_a_class_with_groups_stays_a_class(client, school):
    a = division(school, "3A")
    division(school, "LAT3", DivisionKind.GROUP, members=[a])
    client.force_login(person(school, Role.DOCUMENTALISTE))
    url = reverse("divisions:edit", args=[school.uai, a.pk])
    assert 'value="3A"' in client.get(url).content.decode()
    data = {"code": "3A", "kind": "division", "label": "3e A", "level": "3e", "pupil_count": "30"}
    assert client.post(url, data).status_code == 302
    a.refresh_from_db()
    assert (a.pupil_count, a.label) == (30, "3e A")
    page = client.post(url, {**data, "kind": "group"})
    assert "elle reste une classe" in page.content.decode()
    entry = AuditEntry.objects.get(action="division.changed")
    assert (entry.before["effectif"], entry.after["effectif"]) == (25, 30)


def test_another_schools_division_is_not_found(client, school, other_school):
    theirs = division(other_school, "3A")
    client.force_login(person(school, Role.DOCUMENTALISTE))
    url = reverse("divisions:edit", args=[school.uai, theirs.pk])
    assert client.get(url).status_code == 404


def test_import_page_shows_every_error_and_writes_nothing(client, school):
    client.force_login(person(school, Role.DOCUMENTALISTE))
    url = reverse("divisions:import", args=[school.uai])
    body = "code;libelle;type;niveau;effectif;classes\n3A;3e A;CLASSE;3e;x;\n3B;;AUTRE;;2;\n"
    upload = SimpleUploadedFile("classes.csv", body.encode(), content_type="text/csv")
    page = client.post(url, {"source": "csv", "file": upload})
    html = page.content.decode()
    assert "2 erreurs : rien n’a été importé" in html
    assert "ligne 2, colonne « effectif »" in html and "ligne 3, colonne « type »" in html
    assert not Division.objects.exists()


def test_import_page_reads_an_ent_export(client, school):
    client.force_login(person(school, Role.DOCUMENTALISTE))
    url = reverse("divisions:import", args=[school.uai])
    header = (
        "Id;Identifiant SIECLE;Type;Nom;Prénom;Identifiant;Login personnalisé (Alias);"
        "Code d'activation;Fonctions;Établissements;Classes;Enfants;Parents;"
        "Dernière connexion;Courriel;Téléphone"
    )
    row = ["1", "", "Élève", "Nom", "Prénom", "l", "", "", "", "Collège", "6A", "", "", "", "", ""]
    lines = [";".join(f'"{c}"' for c in header.split(";")), ";".join(f'"{c}"' for c in row)]
    upload = SimpleUploadedFile("export.csv", ("\ufeff" + "\n".join(lines)).encode())
    response = client.post(url, {"source": "ent", "file": upload}, follow=True)
    assert "Import terminé — classes et groupes créés : 1," in response.content.decode()
    assert Division.objects.get().pupil_count == 1
