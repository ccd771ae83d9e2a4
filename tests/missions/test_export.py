"""SRANE batch export: the ZIP and its index, the scope rules, the pages and the command."""

import csv
import io
import subprocess
import sys
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from missions.export import letter_export_build, letter_export_request, zip_write
from missions.models import (
    ExportStatus,
    ImpRate,
    LetterExport,
    MissionLetter,
    PdfStatus,
)
from rrupn.access.scopes import user_access
from rrupn.establishments.models import SchoolYear

from ..conftest import make_persona
from ..factories import EstablishmentFactory, UserFactory
from ..infra.production import BASE_DIR, production_env
from .factories import MissionLetterFactory

FAKE_PDF = b"%PDF-1.4\n% stored earlier, current: must be copied as is\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def with_current_pdf(letter) -> MissionLetter:
    """A letter whose stored PDF shows its current revision (as a worker left it)."""
    letter.pdf.save(f"{letter.reference}.pdf", ContentFile(FAKE_PDF), save=False)
    MissionLetter.objects.filter(pk=letter.pk).update(
        pdf=letter.pdf.name, pdf_status=PdfStatus.READY, pdf_revision=letter.revision
    )
    letter.refresh_from_db()
    return letter


@pytest.fixture
def year(db):
    return SchoolYear.current()


@pytest.fixture
def letters(year, school, other_school, far_school):
    """Signed-or-later letters in 87 and 19, plus letters the export must leave out."""
    rrupn = UserFactory(first_name="Camille", last_name="Fauvette")
    active = with_current_pdf(
        MissionLetterFactory(
            establishment=school,
            rrupn=rrupn,
            active=True,
            imp_rate=ImpRate.objects.get(amount=Decimal("625")),
        )
    )
    signed = MissionLetterFactory(establishment=other_school, signed=True)  # no PDF yet
    far = with_current_pdf(MissionLetterFactory(establishment=far_school, active=True))
    draft_school = EstablishmentFactory(department_code="87")
    MissionLetterFactory(establishment=draft_school)  # a draft: never exported
    last_year = SchoolYear.objects.create(start_year=year.start_year - 1)
    MissionLetterFactory(establishment=draft_school, school_year=last_year, active=True)
    return {"active": active, "signed": signed, "far": far}


def export_for(user, year, department="") -> LetterExport:
    return LetterExport.objects.create(created_by=user, school_year=year, department=department)


def read_zip(export) -> tuple[dict[str, bytes], list[list[str]]]:
    with export.file.open("rb") as raw, zipfile.ZipFile(raw) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    index = contents["index.csv"].decode("utf-8")
    assert index.startswith("\ufeff"), "no BOM: Excel would misread the accents"
    rows = list(csv.reader(io.StringIO(index[1:]), delimiter=";"))
    return contents, rows


def pdf_name(letter) -> str:
    return f"{letter.establishment.department}/{letter.establishment.uai}-{letter.reference}.pdf"


# --- The service --------------------------------------------------------------------------


def test_academie_export_holds_every_signed_letter_and_the_index(letters, year):
    export = export_for(UserFactory(), year)
    letter_export_build(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == ExportStatus.READY, export.error
    assert (export.done, export.total) == (3, 3)
    assert export.finished_at is not None and export.error == ""
    contents, rows = read_zip(export)
    expected = {pdf_name(letter) for letter in letters.values()}
    assert set(contents) == expected | {"index.csv"}
    # A current PDF is copied as stored, not rendered again.
    assert contents[pdf_name(letters["active"])] == FAKE_PDF
    # The signed letter had none: the export rendered it (WeasyPrint) and stored it on the letter.
    rendered = contents[pdf_name(letters["signed"])]
    assert rendered.startswith(b"%PDF-") and rendered != FAKE_PDF
    signed = MissionLetter.objects.get(pk=letters["signed"].pk)
    assert signed.pdf_is_current
    assert len(rows) == 1 + 3  # header + one line per letter, drafts and other years left out


def test_index_lists_each_letter_in_french_columns(letters, year):
    export = export_for(UserFactory(), year)
    letter_export_build(export_id=export.pk)
    _contents, rows = read_zip(LetterExport.objects.get(pk=export.pk))

    header, *lines = rows
    assert header[:12] == [
        "UAI",
        "Établissement",
        "Commune",
        "Département",
        "Référence",
        "Version",
        "État",
        "RRUPN",
        "Signée le",
        "Acceptée le",
        "IMP annuelle (€)",
        "Fichier PDF",
    ]
    by_reference = {line[4]: dict(zip(header, line, strict=True)) for line in lines}
    active = by_reference[letters["active"].reference]
    assert active["UAI"] == letters["active"].establishment.uai
    assert active["Établissement"] == "Collège Sainte-Fauve"
    assert active["Département"] == "Haute-Vienne (87)"
    assert active["État"] == "En vigueur"
    assert active["RRUPN"] == "Camille Fauvette"
    assert active["IMP annuelle (€)"] == "625,00"
    assert active["Fichier PDF"] == pdf_name(letters["active"])
    assert len(active["Signée le"]) == len("28/11/2026 18:00")
    signed = by_reference[letters["signed"].reference]
    assert (signed["État"], signed["Acceptée le"], signed["IMP annuelle (€)"]) == (
        "Signée par le chef d'établissement",
        "",
        "",
    )
    # Lines run by département, then commune and name: Corrèze (19) before Haute-Vienne (87).
    assert [line[0] for line in lines][0] == letters["far"].establishment.uai


def test_index_cells_cannot_run_as_formulas(year):
    school = EstablishmentFactory(name='=HYPERLINK("http://x")', commune="+Limoges")
    rrupn = UserFactory(first_name="@Zoé", last_name="-Martin", email="zoe.martin@ac-limoges.fr")
    with_current_pdf(MissionLetterFactory(establishment=school, rrupn=rrupn, active=True))
    export = export_for(UserFactory(), year)
    letter_export_build(export_id=export.pk)
    _contents, (header, line) = read_zip(LetterExport.objects.get(pk=export.pk))
    row = dict(zip(header, line, strict=True))
    assert row["Établissement"] == '\'=HYPERLINK("http://x")'
    assert row["Commune"] == "'+Limoges"
    assert row["RRUPN"] == "'@Zoé -Martin"


def test_department_export_keeps_to_its_department(letters, year):
    export = export_for(UserFactory(), year, department="19")
    letter_export_build(export_id=export.pk)
    export.refresh_from_db()
    contents, rows = read_zip(export)
    assert set(contents) == {pdf_name(letters["far"]), "index.csv"}
    assert (export.done, export.total, len(rows)) == (1, 1, 2)


def test_empty_scope_gives_a_zip_with_only_the_index(year):
    export = export_for(UserFactory(), year, department="23")
    letter_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert (export.status, export.done, export.total) == (ExportStatus.READY, 0, 0)
    contents, rows = read_zip(export)
    assert list(contents) == ["index.csv"]
    assert len(rows) == 1


def test_progress_is_reported_after_each_letter_and_a_refusal_stops(letters, year):
    seen = []
    letters_in_order = list(MissionLetter.objects.filter(pk__in=[x.pk for x in letters.values()]))
    zip_write(letters_in_order, io.BytesIO(), progress=lambda done: seen.append(done) or True)
    assert seen == [1, 2, 3]

    from missions.export import ExportError

    with pytest.raises(ExportError):
        zip_write(letters_in_order, io.BytesIO(), progress=lambda done: done < 2)


def test_an_export_is_built_once(letters, year):
    export = export_for(UserFactory(), year)
    LetterExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING)
    letter_export_build(export_id=export.pk)  # another delivery already holds it
    export.refresh_from_db()
    assert (export.status, export.total, export.file.name) == (ExportStatus.RUNNING, 0, "")
    letter_export_build(export_id=export.pk + 1000)  # a vanished row: nothing, no error


def test_a_storage_failure_marks_the_export_failed_in_french(year, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker
    export = export_for(UserFactory(), year)
    letter_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.error.startswith("L'archive n'a pas pu être produite")
    assert "relancez l'export" in export.error
    assert export.finished_at is not None


def test_a_letter_whose_pdf_fails_is_listed_not_zipped(year, school, settings):
    # Static files served from another origin: the PDF fetcher refuses them, rendering fails.
    settings.STATIC_URL = "https://cdn.example.org/static/"
    letter = MissionLetterFactory(establishment=school, signed=True)
    export = export_for(UserFactory(), year)
    letter_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert letter.reference in export.error and "sans PDF" in export.error
    contents, (header, line) = read_zip(export)
    assert list(contents) == ["index.csv"]
    assert dict(zip(header, line, strict=True))["Fichier PDF"].startswith("PDF indisponible")
    assert MissionLetter.objects.get(pk=letter.pk).pdf_status == PdfStatus.FAILED


# --- Scope rules of the request -----------------------------------------------------------


def request_export(user, year, department):
    return letter_export_request(
        user=user, access=user_access(user, year), school_year=year, department=department
    )


def test_a_department_srane_exports_only_its_department(school, year):
    srane = make_persona("srane_department", school)  # Haute-Vienne (87)
    for department, message in [
        ("19", "n'est pas dans votre périmètre"),
        ("", "ne couvre pas toute l'académie"),
        ("75", "Département inconnu"),
    ]:
        with pytest.raises(Exception, match=message):
            request_export(srane, year, department)
    assert not LetterExport.objects.exists()
    assert request_export(srane, year, "87").department == "87"


def test_only_a_srane_may_request_an_export(school, year):
    head = make_persona("head", school)
    with pytest.raises(Exception, match="réservé à la SRANE"):
        request_export(head, year, "87")
    assert not LetterExport.objects.exists()


# --- Pages ------------------------------------------------------------------------------


@pytest.fixture
def academie(school):
    return make_persona("srane_academie", school)


def test_page_offers_the_academie_only_to_an_academie_srane(client, school, academie):
    client.force_login(academie)
    page = client.get(reverse("missions_srane:exports")).content.decode()
    assert "Toute l’académie" in page
    assert 'value="19"' in page and 'value="87"' in page

    client.force_login(make_persona("srane_department", school))
    page = client.get(reverse("missions_srane:exports")).content.decode()
    assert "Toute l’académie" not in page
    assert 'value="87"' in page and 'value="19"' not in page
    assert "Vous n’avez encore demandé aucun export." in page


def test_department_srane_posting_another_scope_gets_a_french_error(client, school, year):
    client.force_login(make_persona("srane_department", school))
    url = reverse("missions_srane:exports")
    for department in ("19", ""):
        response = client.post(
            url, {"annee": year.start_year, "departement": department}, follow=True
        )
        assert response.status_code == 200
        assert "périmètre" in response.content.decode()
    response = client.post(url, {"annee": "1850", "departement": "87"}, follow=True)
    assert "Année scolaire inconnue." in response.content.decode()
    assert not LetterExport.objects.exists()


def test_export_from_the_page_to_the_download(
    client, academie, letters, year, django_capture_on_commit_callbacks
):
    client.force_login(academie)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("missions_srane:exports"), {"annee": year.start_year, "departement": ""}
        )
    assert response.status_code == 302
    export = LetterExport.objects.get()
    assert (export.created_by, export.department) == (academie, "")

    status = client.get(reverse("missions_srane:export_status", args=[export.pk])).json()
    download_url = reverse("missions_srane:export_download", args=[export.pk])
    assert status == {
        "status": "ready",
        "label": "Prêt",
        "text": "Prêt — 3 / 3 lettres",
        "done": 3,
        "total": 3,
        "percent": 100,
        "finished": True,
        "message": "",
        "download_url": download_url,
    }

    page = client.get(reverse("missions_srane:exports")).content.decode()
    assert download_url in page

    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    expected_name = f"lettres-de-mission-{year.label}-academie.zip"
    assert download["Content-Disposition"] == f'attachment; filename="{expected_name}"'
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "index.csv" in archive.namelist() and len(archive.namelist()) == 4


def test_a_running_export_shows_its_progress(client, academie, year):
    export = export_for(academie, year)
    LetterExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, total=12, done=3)
    client.force_login(academie)
    status = client.get(reverse("missions_srane:export_status", args=[export.pk])).json()
    assert (status["status"], status["percent"], status["finished"]) == ("running", 25, False)
    assert status["text"] == "En cours — 3 / 12 lettres" and status["download_url"] is None

    response = client.get(reverse("missions_srane:exports"))
    page = response.content.decode()
    status_url = reverse("missions_srane:export_status", args=[export.pk])
    assert f'data-status-url="{status_url}"' in page
    assert 'max="12" value="3"' in page
    assert "Actualiser" in page and "http-equiv" not in page  # no meta refresh
    # The polling script is a static file carrying this response's CSP nonce.
    nonce = page.split('js/export-progress.js" nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    # Not ready: the download sends back to the page.
    response = client.get(reverse("missions_srane:export_download", args=[export.pk]))
    assert response.status_code == 302


def test_an_export_belongs_to_the_srane_who_asked_for_it(client, school, academie, year):
    export = export_for(academie, year)
    LetterExport.objects.filter(pk=export.pk).update(status=ExportStatus.READY)
    other = UserFactory()
    from ..factories import SraneScopeFactory

    SraneScopeFactory(user=other, academie=True)
    client.force_login(other)
    for name in ("missions_srane:export_status", "missions_srane:export_download"):
        assert client.get(reverse(name, args=[export.pk])).status_code == 404
    page = client.get(reverse("missions_srane:exports")).content.decode()
    assert "Vous n’avez encore demandé aucun export." in page


def test_an_academie_export_is_gone_once_the_scope_shrinks_to_a_department(
    client, school, academie, year
):
    export = export_for(academie, year)
    academie.srane_scopes.update(level="department", department="87")
    client.force_login(academie)
    response = client.get(reverse("missions_srane:export_status", args=[export.pk]))
    assert response.status_code == 404


def test_progress_script_is_a_static_file_without_inline_code():
    script = (BASE_DIR / "static" / "js" / "export-progress.js").read_text()
    assert "fetch(" in script and "1000" in script and "progress" in script


# --- The command ------------------------------------------------------------------------


def test_command_writes_the_zip_into_out(letters, year, tmp_path):
    out = tmp_path / "sortie"
    stdout = io.StringIO()
    call_command(
        "export_mission_letters",
        "--year",
        year.label,
        "--department",
        "87",
        "--out",
        str(out),
        stdout=stdout,
    )
    target = out / f"lettres-de-mission-{year.label}-87.zip"
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
    assert names == {pdf_name(letters["active"]), pdf_name(letters["signed"]), "index.csv"}
    assert f"2 lettre(s) exportée(s) dans {target}" in stdout.getvalue()
    assert [p.name for p in out.iterdir()] == [target.name]  # no partial file left behind


def test_command_refuses_an_unknown_year_in_french(db, tmp_path):
    with pytest.raises(CommandError, match="L'année scolaire 1990-1991 n'existe pas"):
        call_command("export_mission_letters", "--year", "1990-1991", "--out", str(tmp_path))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2026"], "Année scolaire invalide : '2026'"),
        (["--year", "2026-2028"], "Année scolaire invalide"),
        (["--year", "2026-2027", "--department", "75"], "Département inconnu : 75"),
    ],
)
def test_command_exits_non_zero_on_bad_input(args, message, tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "export_mission_letters", *args, "--out", str(tmp_path)],
        cwd=BASE_DIR,
        env=production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'vide.sqlite3'}"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert message in result.stderr
    assert not list(tmp_path.glob("*.zip"))
