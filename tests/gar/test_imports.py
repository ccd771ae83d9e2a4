"""Both GAR imports: subscriptions CSV and assignment report. All or nothing, every error with
its line and column, idempotent; the upload checks."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict

from gar.models import GarSubscription
from gar.subscriptions import importers, services
from gar.subscriptions.forms import CsvUploadForm
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import SchoolYear

from ..factories import EstablishmentFactory, RoleAssignmentFactory
from .factories_subscriptions import GarResourceFactory, GarSubscriptionFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "idAbonnement;idRessource;libelleRessource;debutValidite;finValidite;anneeFinValidite;"
    "uaiEtab;typeAffectation;nbLicenceGlobale;nbLicenceEleve;nbLicenceEnseignant;publicCible"
)


@pytest.fixture
def year():
    return SchoolYear.current()


@pytest.fixture
def manuel(db):
    return GarResourceFactory(ark="ark:/99999/manuel-maths-4e", title="Manuel de maths 4e")


@pytest.fixture
def atlas(db):
    return GarResourceFactory(ark="ark:/99999/atlas", title="Atlas interactif")


@pytest.fixture
def gestionnaire(school):
    return RoleAssignmentFactory(establishment=school, role=Role.GESTIONNAIRE).user


def csv_text(school, year, *rows, header=HEADER) -> str:
    start = f"01/09/{year.start_year}"
    defaults = [
        f"ABO-1;ark:/99999/manuel-maths-4e;Manuel;{start};;{year.label};{school.uai};INDIV;;120;ILLIMITE;ELEVE|ENSEIGNANT",
        f"ABO-2;ark:/99999/atlas;Atlas;{year.start_year}-09-01T08:00:00.000+02:00;{year.start_year + 1}-08-31;;;ETABL;ILLIMITE;;;ELEVE,ENSEIGNANT",
    ]
    return "\n".join([header, *(rows or defaults)]) + "\n"


def run_import(school, year, user, text):
    return services.subscriptions_import(
        establishment=school, school_year=year, user=user, text=text
    )


def stored() -> list[dict]:
    return [
        model_to_dict(s, exclude=["id"]) for s in GarSubscription.objects.order_by("id_abonnement")
    ]


def errors_of(result) -> list[tuple[int, str]]:
    return [(e.line, e.column) for e in result.errors]


# --- subscriptions CSV --------------------------------------------------------------------------


def test_import_creates_the_subscriptions(school, year, gestionnaire, manuel, atlas):
    result = run_import(school, year, gestionnaire, "\ufeff" + csv_text(school, year))
    assert result.errors == [] and (result.created, result.updated, result.unchanged) == (2, 0, 0)
    first, second = GarSubscription.objects.order_by("id_abonnement")
    assert first.resource == manuel and first.establishment == school and first.school_year == year
    assert first.starts_on == datetime.date(year.start_year, 9, 1)
    assert first.end_school_year == year.label and first.ends_on is None
    assert first.publics == ["ELEVE", "ENSEIGNANT"]
    assert (first.licences_eleve, first.licences_enseignant) == ("120", "ILLIMITE")
    assert first.source == "import" and first.assignment_category == "transferable"
    assert second.assignment_type == "ETABL" and second.licences_global == "ILLIMITE"
    assert second.starts_on == datetime.date(year.start_year, 9, 1)  # GAR timestamp
    assert second.ends_on == datetime.date(year.start_year + 1, 8, 31)
    [entry] = AuditEntry.objects.filter(action="gar.subscriptions.imported")
    assert entry.establishment == school and entry.after["créés"] == ["ABO-1", "ABO-2"]


def test_a_second_import_changes_nothing(school, year, gestionnaire, manuel, atlas):
    run_import(school, year, gestionnaire, csv_text(school, year))
    before, audits = stored(), AuditEntry.objects.count()
    result = run_import(school, year, gestionnaire, csv_text(school, year))
    assert result.errors == [] and (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert stored() == before and AuditEntry.objects.count() == audits


def test_a_changed_row_updates_its_subscription_and_keeps_the_report(
    school, year, gestionnaire, manuel, atlas
):
    run_import(school, year, gestionnaire, csv_text(school, year))
    GarSubscription.objects.filter(id_abonnement="ABO-1").update(used_eleve=80)
    start = f"01/09/{year.start_year}"
    text = csv_text(
        school,
        year,
        f"ABO-1;ark:/99999/manuel-maths-4e;Manuel;{start};;{year.label};;INDIV;;150;ILLIMITE;ELEVE|ENSEIGNANT",
    )
    result = run_import(school, year, gestionnaire, text)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    subscription = GarSubscription.objects.get(id_abonnement="ABO-1")
    assert subscription.licences_eleve == "150" and subscription.used_eleve == 80
    assert GarSubscription.objects.count() == 2  # a row absent from the file is kept


def test_a_bad_file_writes_nothing_and_reports_every_error_with_line_and_column(
    school, year, gestionnaire, manuel, atlas
):
    other = EstablishmentFactory()
    GarSubscriptionFactory(establishment=other, id_abonnement="ABO-AILLEURS")
    last_year, _ = SchoolYear.objects.get_or_create(start_year=year.start_year - 1)
    GarSubscriptionFactory(establishment=school, school_year=last_year, id_abonnement="ABO-ANCIEN")
    national = GarResourceFactory(ark="ark:/99999/nationale", national=True)
    start = f"01/09/{year.start_year}"
    end = year.label
    rows = [
        f"ABO-1;ark:/99999/manuel-maths-4e;M;{start};;{end};{school.uai};INDIV;;120;ILLIMITE;ELEVE|ENSEIGNANT",  # 2: fine
        f"ABO-2;ark:/99999/inconnue;X;{start};;{end};;INDIV;;10;;ELEVE",  # 3: unknown resource
        f"ABO-3;{national.ark};N;{start};;{end};;INDIV;;10;;ELEVE",  # 4: national
        f"ABO-4;ark:/99999/atlas;A;{start};;{end};0190001A;INDIV;;10;;ELEVE",  # 5: other UAI
        f"ABO-1;ark:/99999/atlas;A;{start};;{end};;INDIV;;10;;ELEVE",  # 6: duplicate id
        f"_ABO-6;ark:/99999/atlas;A;31/02/{year.start_year};;{end};;INDIV;50;10;;ELEVE",  # 7
        f"ABO-7;ark:/99999/atlas;A;{start};;2026/2027;;INDIV;;10;;ELEVE|ENSEIGNANTS",  # 8
        "ABO-8;ark:/99999/atlas;A;01/09/2026",  # 9: too few columns
        f"ABO-AILLEURS;ark:/99999/atlas;A;{start};;{end};;INDIV;;10;;ELEVE",  # 10
        f"ABO-ANCIEN;ark:/99999/atlas;A;{start};;{end};;INDIV;;10;;ELEVE",  # 11
        f"ABO-11;ark:/99999/atlas;A;{start};;{end};;ETABL;;10;3;ELEVE",  # 12: RG6 + RG5
    ]
    before = stored()
    result = run_import(school, year, gestionnaire, csv_text(school, year, *rows))
    assert errors_of(result) == [
        (3, "idRessource"),
        (4, "idRessource"),
        (5, "uaiEtab"),
        (6, "idAbonnement"),
        (7, "debutValidite"),
        (7, "idAbonnement"),
        (7, "nbLicenceGlobale"),
        (8, "anneeFinValidite"),
        (8, "publicCible"),
        (9, "-"),
        (10, "idAbonnement"),
        (11, "idAbonnement"),
        (12, "nbLicenceGlobale"),
        (12, "nbLicenceEnseignant"),
    ], "\n".join(str(e) for e in result.errors)
    messages = {(e.line, e.column): e.message for e in result.errors}
    assert "absente du catalogue" in messages[3, "idRessource"]
    assert "ressource nationale" in messages[4, "idRessource"]
    assert "autre établissement (0190001A)" in messages[5, "uaiEtab"]
    assert messages[6, "idAbonnement"] == "idAbonnement déjà présent ligne 2"
    assert "illisible" in messages[7, "debutValidite"]
    assert "RG13" in messages[7, "idAbonnement"] and "RG1" in messages[7, "nbLicenceGlobale"]
    assert "ENSEIGNANTS" in messages[8, "publicCible"]
    assert "4 colonnes au lieu de 12" in messages[9, "-"]
    assert "autre établissement" in messages[10, "idAbonnement"]
    assert f"l'année {last_year.label}" in messages[11, "idAbonnement"]
    assert str(result.errors[0]).startswith("ligne 3, colonne « idRessource » : ")
    assert stored() == before
    assert not AuditEntry.objects.filter(action="gar.subscriptions.imported").exists()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (HEADER.replace("nbLicenceEleve", "nbLicenceEleves"), [(1, "nbLicenceEleves")]),
        (HEADER.replace("publicCible", "commentaireAbonnement"), [(1, "publicCible")]),
        (HEADER + ";idAbonnement", [(1, "idAbonnement")]),
    ],
)
def test_header_errors(school, year, gestionnaire, manuel, atlas, header, expected):
    result = run_import(school, year, gestionnaire, csv_text(school, year, header=header))
    assert errors_of(result) == expected
    assert not GarSubscription.objects.exists()


def test_a_file_with_only_a_header_is_an_error(school, year, gestionnaire):
    result = run_import(school, year, gestionnaire, HEADER + "\n\n")
    assert [str(e) for e in result.errors] == [
        "ligne 2, colonne « - » : le fichier ne contient aucun abonnement"
    ]


def test_the_documented_sample_parses(school, year, gestionnaire):
    GarResourceFactory(ark="ark:/99999/ressource-exemple")
    result = run_import(school, year, gestionnaire, importers.sample_subscriptions_csv())
    assert result.errors == [] and result.created == 1


# --- GAR assignment report ----------------------------------------------------------------------

REPORT_HEADER = ";".join(importers.REPORT_COLUMNS)


def report(*rows) -> str:
    return "\n".join([REPORT_HEADER, *rows]) + "\n"


@pytest.fixture
def two_subscriptions(school, manuel, atlas):
    return (
        GarSubscriptionFactory(establishment=school, resource=manuel, id_abonnement="ABO-1"),
        GarSubscriptionFactory(
            establishment=school,
            resource=atlas,
            id_abonnement="ABO-2",
            publics=["ELEVE", "ENSEIGNANT", "DOCUMENTALISTE", "AUTRE PERSONNEL"],
            licences_eleve="",
            licences_enseignant="",
            licences_global="ILLIMITE",
        ),
    )


def run_report(school, user, text):
    return services.assignment_report_import(establishment=school, user=user, text=text)


def test_the_report_sets_the_licences_used(school, gestionnaire, two_subscriptions):
    text = report(
        f"{school.uai};ABO-1;PRJ-1;ark:/99999/manuel-maths-4e;96;4;0;0",
        f"{school.uai.lower()};ABO-2;;ark:/99999/atlas;310;25;2;3",
    )
    result = run_report(school, gestionnaire, text)
    assert result.errors == [] and result.updated == 2
    first, second = (GarSubscription.objects.get(pk=s.pk) for s in two_subscriptions)
    assert (first.used_eleve, first.used_enseignant, first.used_doc, first.used_autre) == (
        96,
        4,
        0,
        0,
    )
    assert (second.used_eleve, second.used_autre) == (310, 3)
    assert first.report_imported_at is not None
    [entry] = AuditEntry.objects.filter(action="gar.report.imported")
    assert entry.after["ABO-1"]["used_eleve"] == 96


def test_the_same_report_twice_changes_nothing(school, gestionnaire, two_subscriptions):
    text = report(f"{school.uai};ABO-1;;ark:/99999/manuel-maths-4e;96;4;0;0")
    run_report(school, gestionnaire, text)
    before, audits = stored(), AuditEntry.objects.count()
    result = run_report(school, gestionnaire, text)
    assert result.errors == [] and (result.updated, result.unchanged) == (0, 1)
    assert stored() == before and AuditEntry.objects.count() == audits


def test_a_bad_report_writes_nothing(school, gestionnaire, two_subscriptions):
    foreign = GarSubscriptionFactory(id_abonnement="ABO-VOISIN")
    text = report(
        f"{school.uai};ABO-1;;ark:/99999/manuel-maths-4e;96;4;0;0",  # 2: fine
        "0190001A;ABO-2;;ark:/99999/atlas;1;1;1;1",  # 3: another school
        f"{school.uai};ABO-INCONNU;;ark:/99999/atlas;1;1;1;1",  # 4: unknown id
        f"{school.uai};{foreign.id_abonnement};;{foreign.resource.ark};1;1;1;1",  # 5
        f"{school.uai};ABO-2;;ark:/99999/manuel-maths-4e;1;-1;;1,5",  # 6
        f"{school.uai};ABO-1;;ark:/99999/manuel-maths-4e;1;1;1;1",  # 7: duplicate
        f"{school.uai};ABO-2;;ark:/99999/atlas;1;1;1",  # 8: too few columns
    )
    before = stored()
    result = run_report(school, gestionnaire, text)
    assert errors_of(result) == [
        (3, "UAI"),
        (4, "idAbonnement"),
        (5, "idAbonnement"),
        (6, "idRessource"),
        (6, "idAbonnement"),  # ABO-2 is on line 3 already
        (6, "cumulAffectationEnseignant"),
        (6, "cumulAffectationDocumentaliste"),
        (6, "cumulAffectationAutrePersonnel"),
        (7, "idAbonnement"),
        (8, "-"),
    ], "\n".join(str(e) for e in result.errors)
    messages = {(e.line, e.column): e.message for e in result.errors}
    assert messages[3, "UAI"] == f"ligne d'un autre établissement (0190001A) : {school.uai} attendu"
    assert messages[5, "idAbonnement"] == (
        "abonnement « ABO-VOISIN » inconnu pour cet établissement"
    )
    assert (
        "« -1 » : nombre entier positif ou nul attendu" == messages[6, "cumulAffectationEnseignant"]
    )
    assert messages[6, "cumulAffectationDocumentaliste"] == (
        "valeur manquante : nombre entier positif ou nul attendu"
    )
    assert stored() == before and not AuditEntry.objects.exists()


def test_a_report_with_a_missing_column(school, gestionnaire, two_subscriptions):
    text = REPORT_HEADER.replace(";cumulAffectationAutrePersonnel", "") + "\n"
    result = run_report(school, gestionnaire, text)
    assert [str(e) for e in result.errors] == [
        "ligne 1, colonne « cumulAffectationAutrePersonnel » : colonne obligatoire absente"
    ]


# --- upload checks ------------------------------------------------------------------------------


def upload(name, content: bytes):
    form = CsvUploadForm(
        data={},
        files={"fichier": SimpleUploadedFile(name, content)},
        submit_label="Importer",
        form_id="t",
    )
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("abonnements.xlsx", b"idAbonnement;x\n", "extension .csv ou .txt"),
        ("abonnements.csv", b"a;b\n" + b"x" * (2 * 1024 * 1024), "Mo : 2 Mo au plus."),
        ("abonnements.csv", "idAbonnement;libellé\n".encode("latin-1"), "UTF-8"),
        ("abonnements.csv", b"idAbonnement;\x00\x01\n", "pas un fichier texte"),
        ("abonnements.csv", b"idAbonnement,idRessource\n", "points-virgules"),
        ("abonnements.csv", b"  \n", "vide"),
    ],
)
def test_bad_uploads_are_refused_in_french(name, content, message):
    form = upload(name, content)
    assert not form.is_valid()
    assert message in " ".join(form.errors["fichier"])


def test_a_utf8_file_with_bom_is_read(school):
    form = upload("ABONNEMENTS.CSV", "\ufeffidAbonnement;libelleRessource\nA;Été\n".encode())
    assert form.is_valid()
    assert form.cleaned_data["fichier"].startswith("idAbonnement;")


def test_the_docs_show_the_sample_file():
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "gar-import.md").read_text()
    for line in importers.sample_subscriptions_csv().splitlines():
        assert line in docs
