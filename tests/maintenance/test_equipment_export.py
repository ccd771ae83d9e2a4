"""The validated needs of the year, exported for the collectivité: CSV and a PDF by a worker."""

import csv
import io
import shutil
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from maintenance.equipment import export, services
from maintenance.models import EquipmentState
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import Collectivite, SchoolYear

from ..conftest import close_download, service_or_skip
from ..factories import RoleAssignmentFactory, UserFactory
from .factories_equipment import EquipmentNeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def campaign(school):
    """The school's collectivité, two validated needs (one with a formula), one still waiting."""
    school.collectivite = Collectivite.objects.get_or_create(
        code="cd87-test", defaults={"name": "Conseil départemental de la Haute-Vienne"}
    )[0]
    school.save()
    head = UserFactory(first_name="Anne", last_name="Chef")
    RoleAssignmentFactory(user=head, establishment=school, role=Role.HEAD)
    rrupn = RoleAssignmentFactory(establishment=school, role=Role.RRUPN).user
    for item, quantity, priority, justification in [
        ("Visualiseuse", 3, 2, "Sciences ; technologie"),
        ('=HYPERLINK("http://x")', 1, 1, "+33 5 55 00 00 00\n@ tous, -cf. devis"),
    ]:
        need = EquipmentNeedFactory(
            establishment=school,
            proposed_by=rrupn,
            item=item,
            quantity=quantity,
            priority=priority,
            justification=justification,
        )
        services.need_decide(need=need, user=head, roles={Role.HEAD}, validate=True)
    EquipmentNeedFactory(establishment=school, item="Tablette en attente")
    EquipmentNeedFactory(
        establishment=school, item="Imprimante refusée", state=EquipmentState.REFUSED
    )
    return {"head": head, "rrupn": rrupn}


def test_csv_lists_the_validated_needs_with_formulas_defused(client, school, campaign):
    client.force_login(campaign["rrupn"])
    response = client.get(reverse("maintenance:equipment_export_csv", args=[school.uai]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    year = SchoolYear.current().label
    assert response["Content-Disposition"] == (
        f'attachment; filename="besoins-equipement-{school.uai}-{year}.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:8] == [
        "UAI",
        "Établissement",
        "Collectivité",
        "Année scolaire",
        "Priorité",
        "Matériel",
        "Quantité",
        "Justification",
    ]
    assert len(rows) == 3  # header + the two validated needs, not the waiting or refused one
    first, second = rows[1], rows[2]  # by priority
    assert first[:4] == [school.uai, school.name, "Conseil départemental de la Haute-Vienne", year]
    assert first[5] == '\'=HYPERLINK("http://x")'
    assert first[7] == "'+33 5 55 00 00 00\n@ tous, -cf. devis"
    assert second[4:8] == ["2", "Visualiseuse", "3", "Sciences ; technologie"]
    assert first[9] == "Anne Chef"


def test_csv_of_a_year_without_validated_needs_is_just_the_header(client, school):
    client.force_login(RoleAssignmentFactory(establishment=school, role=Role.HEAD).user)
    EquipmentNeedFactory(establishment=school)  # waiting
    response = client.get(reverse("maintenance:equipment_export_csv", args=[school.uai]))
    assert response.content.decode("utf-8-sig").count("\r\n") == 1


def pdf_text(content: bytes, tmp_path) -> str:
    service_or_skip(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) missing")
    path = tmp_path / "besoins.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_pdf_is_rendered_by_the_worker_then_downloaded(
    client, school, campaign, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(campaign["head"])
    pdf_url = reverse("maintenance:equipment_export_pdf", args=[school.uai])
    page = client.get(pdf_url)
    assert page.status_code == 200 and "Produire le PDF" in page.content.decode()
    assert export.pdf_state(school, SchoolYear.current())[0] == "missing"

    request_url = reverse("maintenance:equipment_export_pdf_request", args=[school.uai])
    with django_capture_on_commit_callbacks(execute=True):  # the task leaves after commit
        response = client.post(request_url)
    assert response.status_code == 302 and response.url == f"{pdf_url}?attente=1"
    assert AuditEntry.objects.filter(action="equipment.export_requested").count() == 1

    download = client.get(response.url)  # tasks run inline under pytest: it is ready
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    year = SchoolYear.current().label
    assert download["Content-Disposition"] == (
        f'attachment; filename="besoins-equipement-{school.uai}-{year}.pdf"'
    )
    content = b"".join(download.streaming_content)
    close_download(download)
    text = pdf_text(content, tmp_path)
    flat = " ".join(text.split())
    assert f"campagne {year}" in flat and f"UAI {school.uai}" in flat
    assert "Conseil départemental de la Haute-Vienne" in flat
    assert "Validé par Anne Chef, le" in flat
    assert "Visualiseuse" in flat and "Sciences ; technologie" in flat
    assert '=HYPERLINK("http://x")' in flat  # a PDF runs nothing: shown as typed
    assert "Tablette en attente" not in flat and "Imprimante refusée" not in flat


def test_a_new_decision_gives_a_new_pdf_never_the_stale_one(client, school, campaign):
    year = SchoolYear.current()
    first = export.pdf_render(establishment=school, school_year=year)
    assert export.pdf_state(school, year) == ("ready", first, "")
    assert export.pdf_render(establishment=school, school_year=year) == first  # reused
    need = EquipmentNeedFactory(establishment=school, item="Casques audio")
    services.need_decide(need=need, user=campaign["head"], roles={Role.HEAD}, validate=True)
    state, second, _error = export.pdf_state(school, year)
    assert state == "missing" and second != first
    assert export.pdf_render(establishment=school, school_year=year) == second
    assert default_storage.exists(second) and not default_storage.exists(first)  # stale: gone


def test_a_failed_render_shows_the_error_and_a_retry(
    client, school, campaign, settings, tmp_path, django_capture_on_commit_callbacks
):
    year = SchoolYear.current()
    client.force_login(campaign["rrupn"])
    request_url = reverse("maintenance:equipment_export_pdf_request", args=[school.uai])
    # A real fault: the fonts are nowhere (collectstatic forgotten, no app finder).
    finders, root = settings.STATICFILES_FINDERS, settings.STATIC_ROOT
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "collectstatic-oublie"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url)
    failed = client.get(reverse("maintenance:equipment_export_pdf", args=[school.uai]))
    state, path, error = export.pdf_state(school, year)
    assert state == "failed" and "introuvable" in error and not default_storage.exists(path)
    body = failed.content.decode()
    assert 'id="pdf-echec"' in body and "Réessayer" in body

    settings.STATICFILES_FINDERS, settings.STATIC_ROOT = finders, root
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url)
    retried = client.get(reverse("maintenance:equipment_export_pdf", args=[school.uai]))
    assert retried["Content-Type"] == "application/pdf"
    close_download(retried)
    assert export.pdf_state(school, year)[0] == "ready"
    assert not default_storage.exists(export.error_path(path))


def test_nothing_validated_nothing_to_render(client, school):
    client.force_login(RoleAssignmentFactory(establishment=school, role=Role.RRUPN).user)
    response = client.post(
        reverse("maintenance:equipment_export_pdf_request", args=[school.uai]), follow=True
    )
    assert "Aucun besoin validé cette année" in response.content.decode()
    assert not AuditEntry.objects.filter(action="equipment.export_requested").exists()


def test_the_page_waits_for_the_worker_and_refreshes(
    client, school, campaign, django_capture_on_commit_callbacks
):
    client.force_login(campaign["rrupn"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            reverse("maintenance:equipment_export_pdf_request", args=[school.uai])
        )
    assert len(queued) == 1  # the render leaves only once the request's transaction commits
    waiting = client.get(response.url).content.decode()
    assert 'id="pdf-attente"' in waiting and '<meta http-equiv="refresh" content="2">' in waiting
    queued[0]()  # the worker runs
    ready = client.get(response.url)
    assert ready["Content-Type"] == "application/pdf"
    close_download(ready)


def test_pdf_of_a_school_without_collectivite_says_so(school, tmp_path):
    head = RoleAssignmentFactory(establishment=school, role=Role.HEAD).user
    need = EquipmentNeedFactory(establishment=school, item="Écran interactif")
    services.need_decide(need=need, user=head, roles={Role.HEAD}, validate=True)
    year = SchoolYear.current()
    path = export.pdf_render(establishment=school, school_year=year)
    with default_storage.open(path, "rb") as pdf:
        flat = " ".join(pdf_text(pdf.read(), tmp_path).split())
    assert "Collectivité non renseignée" in flat and "Écran interactif" in flat
