"""Classes and groups from a file: the portal's CSV and the ENT user export (sso_gar.md §C).

All or nothing, every error with its line and column, idempotent; no pupil name is ever stored.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from rrupn.audit.models import AuditEntry
from rrupn.establishments.divisions import importers, services
from rrupn.establishments.models import Division, DivisionKind, SchoolYear
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CSV_HEADER = "code;libelle;type;niveau;effectif;classes\n"
GOOD_CSV = CSV_HEADER + (
    "3A;3e A;CLASSE;3e;28;\n3B;3e B;CLASSE;3e;27;\nLAT3;Latin 3e;GROUPE;3e;12;3A, 3B\n"
)
ENT_HEADER = (
    "Id;Identifiant SIECLE;Type;Nom;Prénom;Identifiant;Login personnalisé (Alias);"
    "Code d'activation;Fonctions;Établissements;Classes;Enfants;Parents;Dernière connexion;"
    "Courriel;Téléphone"
)
# Distinctive personal data: none of it may reach the database.
PERSONAL = ["Quetzalia", "Zéphyrine", "quetzalia.zephyrine", "XK9Q2W", "Barnabé", "0601020304"]


def quoted(*cells) -> str:
    return ";".join(f'"{cell}"' for cell in cells)


def ent_line(
    kind,
    classes,
    last="Dupont",
    first="Jean",
    login="jean.dupont",
    code="",
    n=1,
    email="",
    phone="",
):
    return quoted(
        f"id-{n}",
        f"att-{n}",
        kind,
        last,
        first,
        login,
        "",
        code,
        "",
        "Collège Maupassant",
        classes,
        "",
        "",
        "01-09-2026 08:00",
        email,
        phone,
    )


def ent_export(lines, header=ENT_HEADER) -> str:
    head = ";".join(f'"{h}"' for h in header.split(";"))
    return "\ufeff" + "\r\n".join([head, *lines]) + "\r\n"


@pytest.fixture
def year():
    return SchoolYear.current()


@pytest.fixture
def importer(school, year):
    user = UserFactory()

    def run(text, source="csv"):
        parse = importers.parse_divisions_csv if source == "csv" else importers.parse_ent_export
        return services.divisions_import(
            establishment=school, school_year=year, user=user, parsed=parse(text)
        )

    return run


def state(school):
    return sorted(
        (
            d.code,
            d.kind,
            d.label,
            d.level,
            d.pupil_count,
            tuple(sorted(m.code for m in d.divisions.all())),
        )
        for d in Division.objects.filter(establishment=school)
    )


def test_csv_creates_classes_and_groups_then_reimport_changes_nothing(importer, school):
    result = importer(GOOD_CSV)
    assert (result.created, result.updated, result.errors) == (3, 0, [])
    assert state(school) == [
        ("3A", "division", "3e A", "3e", 28, ()),
        ("3B", "division", "3e B", "3e", 27, ()),
        ("LAT3", "group", "Latin 3e", "3e", 12, ("3A", "3B")),
    ]
    audits = AuditEntry.objects.filter(action="divisions.imported.csv").count()
    assert audits == 1
    again = importer(GOOD_CSV)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.filter(action="divisions.imported.csv").count() == audits


def test_csv_update_changes_counts_and_memberships(importer, school):
    importer(GOOD_CSV)
    result = importer(CSV_HEADER + "3A;3e A;CLASSE;3e;30;\nLAT3;Latin 3e;GROUPE;3e;9;3A\n")
    assert (result.created, result.updated, result.unchanged) == (0, 2, 0)
    assert state(school)[0][4] == 30
    assert state(school)[2][5] == ("3A",)


def test_bad_csv_writes_nothing_and_names_every_line_and_column(importer, school):
    text = CSV_HEADER + (
        "3A;3e A;CLASSE;3e;28;\n"
        ";sans code;CLASSE;3e;20;\n"
        "3A;doublon;CLASSE;3e;20;\n"
        "4B;4e B;CLASSE;4e;vingt;\n"
        "LAT;Latin;OPTION;3e;10;\n"
        "5C;5e C;CLASSE;5e;25;3A\n"
        "ESP;Espagnol;GROUPE;4e;15;ESP\n"
        "trop;de;colonnes;;;;\n"
    )
    result = importer(text)
    assert [str(e) for e in result.errors] == [
        "ligne 3, colonne « code » : code de classe ou de groupe obligatoire",
        "ligne 4, colonne « code » : code déjà présent ligne 2",
        "ligne 5, colonne « effectif » : effectif invalide « vingt » (nombre d'élèves)",
        "ligne 6, colonne « type » : type inconnu « OPTION » (CLASSE ou GROUPE)",
        "ligne 7, colonne « classes » : seul un groupe a des classes d'appartenance",
        "ligne 8, colonne « classes » : un groupe ne peut appartenir à lui-même",
        "ligne 9, colonne « - » : 7 colonnes au lieu de 6",
    ]
    assert not Division.objects.exists()
    assert not AuditEntry.objects.exists()


def test_unknown_member_class_is_an_error_and_nothing_is_written(importer, school):
    importer(GOOD_CSV)
    before = state(school)
    result = importer(
        CSV_HEADER + "3A;3e A;CLASSE;3e;40;\nHG;Groupe;GROUPE;3e;10;3A, 3Z\nX;X;GROUPE;;1;LAT3\n"
    )
    assert [str(e) for e in result.errors] == [
        "ligne 3, colonne « classes » : classe « 3Z » inconnue",
        "ligne 4, colonne « classes » : « LAT3 » n'est pas une classe",
    ]
    assert state(school) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "ligne 1, colonne « - » : le fichier est vide"),
        ("code,libelle\n3A,3e A\n", "ligne 1, colonne « - » : en-tête attendu"),
        (CSV_HEADER, "ligne 2, colonne « - » : aucune classe ni aucun groupe"),
    ],
)
def test_csv_without_rows_or_header(importer, text, message):
    assert str(importer(text).errors[0]).startswith(message)


def test_csv_in_windows_1252_with_an_accented_header():
    text = "Code;Libellé;Type;Niveau;Effectif;Classes\n6A;6e A;classe;6e;25;\n"
    parsed = importers.parse_divisions_csv(importers.decode(text.encode("cp1252")))
    assert not parsed.errors
    assert (parsed.rows[0].code, parsed.rows[0].kind) == ("6A", DivisionKind.DIVISION)


def test_ent_export_counts_pupils_per_class_and_stores_no_name(importer, school):
    lines = [
        ent_line(
            "Élève",
            "3A",
            "Quetzalia",
            "Zéphyrine",
            "quetzalia.zephyrine",
            "XK9Q2W",
            n=1,
            email="quetzalia@example.org",
            phone="0601020304",
        ),
        ent_line("Élève", "3A", n=2),
        ent_line("Élève", "3B, 3A", n=3),  # two classes: counted in each
        ent_line("Élève", "", n=4),  # no class yet: not counted
        ent_line("Enseignant", "3A, 3B, 4C", "Barnabé", n=5),  # teachers are not counted
        ent_line("Parent", "3A", n=6),
        ent_line("Personnel", "", n=7),
    ]
    text = ent_export(lines)
    assert "quetzalia@example.org" in text
    parsed = importers.parse_ent_export(text)
    assert (parsed.pupils, parsed.pupils_without_class) == (4, 1)
    result = importer(text, "ent")
    assert (result.created, result.errors) == (2, [])
    assert state(school) == [
        ("3A", "division", "3A", "3e", 3, ()),
        ("3B", "division", "3B", "3e", 1, ()),
    ]
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    for value in PERSONAL + ["quetzalia@example.org", "Dupont", "jean.dupont"]:
        assert value.lower() not in dump.getvalue().lower(), value


def test_ent_export_updates_counts_keeps_typed_details_and_is_idempotent(importer, school):
    importer(GOOD_CSV)
    text = ent_export([ent_line("Élève", "3A", n=n) for n in range(5)] + [ent_line("Élève", "6D")])
    result = importer(text, "ent")
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert state(school) == [
        ("3A", "division", "3e A", "3e", 5, ()),
        ("3B", "division", "3e B", "3e", 27, ()),  # not in the export: kept
        ("6D", "division", "6D", "6e", 1, ()),
        ("LAT3", "group", "Latin 3e", "3e", 12, ("3A", "3B")),  # groups kept
    ]
    again = importer(text, "ent")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_older_twelve_column_export_is_accepted(importer, school):
    header = (
        "Id;Id Siecle;Type;Nom;Prénom;Login;Code d'activation;Fonction(s);Structure(s);"
        "Classe(s);Enfant(s);Parent(s)"
    )
    line = quoted("1", "a", "Élève", "Nom", "Prénom", "login", "CODE", "", "Lycée", "2GT1", "", "")
    result = importer(ent_export([line, line], header), "ent")
    assert not result.errors
    assert state(school) == [("2GT1", "division", "2GT1", "2de", 2, ())]


def test_bad_ent_export_writes_nothing(importer, school):
    lines = [
        ent_line("Élève", "3A", n=1),
        ent_line("Extraterrestre", "3A", n=2),
        '"trop";"court"',
        ent_line("Élève", "X" * 60, n=4),
    ]
    result = importer(ent_export(lines), "ent")
    assert [str(e) for e in result.errors] == [
        "ligne 3, colonne « Type » : type de compte inconnu « Extraterrestre »",
        "ligne 4, colonne « - » : 2 colonnes au lieu de 16",
        "ligne 5, colonne « Classes » : nom de classe trop long (au plus 50)",
    ]
    assert not Division.objects.exists()


def test_a_classes_csv_is_not_an_ent_export(importer):
    [error] = importer(GOOD_CSV, "ent").errors
    assert (error.line, error.column) == (1, "-")
    assert "export des utilisateurs de l'ENT" in error.message


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("6A", "6e"),
        ("3EME B", "3e"),
        ("2GT1", "2de"),
        ("1STMG", "1re"),
        ("TG2", "Tle"),
        ("ULIS", ""),
    ],
)
def test_level_guess(code, level):
    assert importers.guess_level(code) == level
