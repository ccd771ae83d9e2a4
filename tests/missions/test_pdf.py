"""The letter's PDF: what it prints (read back with poppler), its fonts, where it may fetch from,
when it is rendered again, and what a rendering failure leaves behind."""

import re
import shutil
import subprocess
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.db.models import F
from django.urls import reverse
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from missions.models import (
    ImpRate,
    LetterState,
    LetterTask,
    MissionLetter,
    MissionTask,
    PdfStatus,
    SharingPartner,
)
from missions.pdf import RefusedURL, StaticFileFetcher, letter_pdf_bytes, letter_pdf_render
from missions.services import letters_follow_calendar
from rrupn.accounts.models import Role

from ..conftest import service_or_skip
from ..factories import RoleAssignmentFactory, UserFactory
from .factories import MissionLetterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def poppler(tool: str, pdf_path) -> str:
    service_or_skip(shutil.which(tool) is not None, f"{tool} (poppler-utils) is not installed")
    return subprocess.run(
        [tool, str(pdf_path), "-"] if tool == "pdftotext" else [tool, str(pdf_path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def flat(text: str) -> str:
    """Lines wrapped by the layout and no-break spaces, as plain single spaces."""
    return " ".join(text.split())


def person(school, first, last, role, **extra):
    user = UserFactory(
        first_name=first, last_name=last, email=f"{last.lower()}@ac-limoges.fr", **extra
    )
    RoleAssignmentFactory(user=user, establishment=school, role=role)
    return user


@pytest.fixture
def letter(school):
    """An active letter: two functions, two shared tasks (one with a named person), an IMP."""
    head = person(school, "Hélène", "Duroc", Role.HEAD)
    rrupn = person(school, "Camille", "Fauvette", Role.TEACHER, discipline="Technologie")
    letter = MissionLetterFactory(
        establishment=school,
        created_by=head,
        rrupn=rrupn,
        active=True,
        with_tasks=False,
        imp_rate=ImpRate.objects.get(amount=Decimal("1250")),
        imp_multiple=Decimal("1.5"),
        clauses="Deux demi-journées banalisées par trimestre.",
    )
    tasks = list(MissionTask.objects.filter(function__number__in=[1, 3]).order_by("pk"))
    partners = {p.code: p for p in SharingPartner.objects.all()}
    LetterTask.objects.bulk_create(
        [
            LetterTask(letter=letter, task=tasks[0]),
            LetterTask(letter=letter, task=tasks[1], shared_with=partners["documentaliste"]),
            LetterTask(
                letter=letter,
                task=tasks[-1],
                shared_with=partners["autre"],
                shared_with_name="Jeanne Martin",
            ),
        ]
    )
    return letter


def rendered(letter) -> MissionLetter:
    letter_pdf_render(letter_id=letter.pk)
    return MissionLetter.objects.get(pk=letter.pk)


def test_the_pdf_prints_the_letter(letter, school):
    letter = rendered(letter)
    assert letter.pdf_status == PdfStatus.READY and letter.pdf_revision == letter.revision
    assert letter.pdf.name.startswith("lettres/")
    assert f"{letter.reference}-r{letter.revision}" in letter.pdf.name

    text = flat(poppler("pdftotext", letter.pdf.path))
    for expected in (
        "Académie de Limoges",
        "SRANE",
        school.name,
        school.uai,
        "Hélène Duroc",
        "Camille Fauvette, Technologie",
        "Article 1 — Objet",
        "Article 6 — Clauses particulières",
        "Deux demi-journées banalisées par trimestre.",
        "Professeur documentaliste",
        "Autre personne nommée : Jeanne Martin",
        f"du {letter.starts_on:%d/%m/%Y} au {letter.ends_on:%d/%m/%Y}",
        "1 250,00 € × 1,5",
        "1 875,00 €",
        letter.reference,
        letter.verification_code,
        f"{settings.SITE_URL}/verifier/{letter.verification_code}/",
        "Signée électroniquement par le chef d’établissement Hélène Duroc",
        "Acceptée électroniquement par le RRUPN Camille Fauvette",
    ):
        assert expected in text, expected
    for chosen in letter.tasks.select_related("task__function"):
        assert flat(chosen.task.title) in text
        assert flat(chosen.task.function.title) in text
    # The approval times, in the académie's time zone.
    from django.utils import timezone

    signed = timezone.localtime(letter.signed_at)
    assert f"le {signed:%d/%m/%Y à %H:%M}" in text
    pages = int(re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", letter.pdf.path)).group(1))
    assert f"Page 1 / {pages}" in text and f"Page {pages} / {pages}" in text


def test_codes_come_out_of_the_pdf_as_printed(school):
    """Pairs a font kerns (AV, TY, QJ…) must not split the code when it is copied."""
    letter = MissionLetterFactory(
        establishment=school, signed=True, verification_code="AVAVTYQJTWAYVAQJTYPA"
    )
    text = poppler("pdftotext", rendered(letter).pdf.path)
    assert text.count("AVAVTYQJTWAYVAQJTYPA") >= 2  # the link and the page footer
    assert "AVAVT-YQJTW-AYVAQ-JTYPA" in text


def test_a_letter_without_imp_or_shared_task_says_so(school):
    letter = rendered(MissionLetterFactory(establishment=school, signed=True))
    text = flat(poppler("pdftotext", letter.pdf.path))
    assert "Aucune IMP n’est attribuée" in text
    assert "Aucun domaine n’est partagé" in text
    assert "acceptation en attente" in text  # signed, not yet accepted


def test_a4_with_marianne_embedded_everywhere(letter):
    letter = rendered(letter)
    info = poppler("pdfinfo", letter.pdf.path)
    assert "(A4)" in info
    fonts = poppler("pdffonts", letter.pdf.path)
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("Marianne" in row[0] for row in rows), fonts  # margin boxes included
    assert all(row[-5] == "yes" for row in rows), fonts  # "emb" column


def test_rendering_takes_under_a_second(letter):
    letter_pdf_bytes(letter)  # first render loads the fonts
    started = time.perf_counter()
    letter_pdf_bytes(letter)
    assert time.perf_counter() - started < 1.0


# --- Where the renderer may fetch from ----------------------------------------------------


def fetcher() -> StaticFileFetcher:
    return StaticFileFetcher(settings.SITE_URL + "/")


def test_the_fetcher_reads_static_files_from_disk():
    url = f"{settings.SITE_URL}/static/dsfr/dist/fonts/Marianne-Regular.woff2"
    response = fetcher().fetch(url)
    try:
        assert response.read(4) == b"wOF2"
        assert response.url.startswith("file://")
    finally:
        response.close()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/logo.png",
        "http://example.org/static/dsfr/dist/fonts/Marianne-Regular.woff2",  # another host
        "https://127.0.0.1:8000/static/css/portal.css",  # another scheme than the site's
        "file:///etc/passwd",
        "data:text/css,p%7Bcolor:red%7D",
        "{site}/media/lettres/autre.pdf",  # stored files are not resources of the letter
        "{site}/static/../rrupn/settings.py",
        "{site}/static/%2e%2e/rrupn/settings.py",
        "{site}/static/css/inconnu.css",
    ],
)
def test_the_fetcher_refuses_anything_else(url):
    with pytest.raises(RefusedURL):
        fetcher().fetch(url.format(site=settings.SITE_URL))


def test_a_network_resource_stops_the_rendering_before_any_connection():
    html = '<p>x</p><img src="https://example.org/logo.png">'
    base_url = settings.SITE_URL + "/"
    with pytest.raises(FatalURLFetchingError) as caught:
        HTML(string=html, base_url=base_url, url_fetcher=StaticFileFetcher(base_url)).write_pdf()
    assert isinstance(caught.value.__cause__, RefusedURL)


# --- Rendered once per revision ----------------------------------------------------------


def test_rendered_again_only_when_the_revision_changes(letter, media_root):
    first = rendered(letter)
    path = first.pdf.path
    stamp = (media_root / first.pdf.name).stat().st_mtime_ns

    again = rendered(first)
    assert again.pdf.name == first.pdf.name
    assert (media_root / first.pdf.name).stat().st_mtime_ns == stamp
    assert list((media_root / "lettres").iterdir()) == [media_root / first.pdf.name]

    MissionLetter.objects.filter(pk=letter.pk).update(revision=F("revision") + 1)
    newer = rendered(first)
    assert newer.pdf_revision == first.revision + 1 and newer.pdf.name != first.pdf.name
    # The previous revision's file is gone: only the current PDF is kept.
    assert list((media_root / "lettres").iterdir()) == [media_root / newer.pdf.name]
    assert not (media_root / path).exists()


def test_a_file_missing_from_storage_is_rendered_again(letter, media_root):
    first = rendered(letter)
    (media_root / first.pdf.name).unlink()
    assert rendered(first).pdf.storage.exists(first.pdf.name)


def test_calendar_steps_keep_the_pdf_current(letter):
    """Activation and archiving print nothing new: no second rendering, downloads go on."""
    MissionLetter.objects.filter(pk=letter.pk).update(state=LetterState.ACCEPTED)
    letter = rendered(letter)
    letters_follow_calendar(today=letter.starts_on)
    letter.refresh_from_db()
    assert letter.state == LetterState.ACTIVE and letter.pdf_is_current

    next_year = letter.school_year.ends_on.replace(year=letter.school_year.ends_on.year + 1)
    letters_follow_calendar(today=next_year)
    letter.refresh_from_db()
    assert letter.state == LetterState.ARCHIVED and letter.pdf_is_current


def test_drafts_and_proposals_get_no_pdf(school, other_school):
    for letter in (
        MissionLetterFactory(establishment=school),
        MissionLetterFactory(establishment=other_school, proposed=True),
    ):
        letter = rendered(letter)
        assert letter.pdf_status == PdfStatus.NONE and not letter.pdf


def test_a_deleted_letter_is_ignored():
    letter_pdf_render(letter_id=999_999)  # returns quietly


# --- A failure never reaches the request ------------------------------------------------


def test_a_rendering_failure_leaves_the_letter_signed_and_can_be_retried(
    client, school, settings, tmp_path, django_capture_on_commit_callbacks
):
    head = person(school, "Hélène", "Duroc", Role.HEAD)
    letter = MissionLetterFactory(establishment=school, created_by=head, proposed=True)
    client.force_login(head)
    # A real fault: the static files the letter needs are nowhere (no app finder, empty
    # STATIC_ROOT), as on a server where collectstatic was forgotten.
    finders_before, root_before = settings.STATICFILES_FINDERS, settings.STATIC_ROOT
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "collectstatic-oublie"

    sign = reverse("missions:transition", args=[school.uai, letter.pk, "signer"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(sign, {"revision": letter.revision})
    assert response.status_code == 302 and callbacks  # the render ran after the commit
    letter.refresh_from_db()
    assert letter.state == LetterState.SIGNED
    assert letter.pdf_status == PdfStatus.FAILED and not letter.pdf
    assert "Marianne" in letter.pdf_error or "Fatal" in letter.pdf_error

    detail = client.get(reverse("missions:detail", args=[school.uai, letter.pk]))
    page = detail.content.decode()
    assert detail.status_code == 200
    assert "PDF en échec" in page and "Réessayer" in page
    download = client.get(reverse("missions:pdf", args=[school.uai, letter.pk]))
    assert download.status_code == 302  # back to the letter, no broken file

    settings.STATICFILES_FINDERS, settings.STATIC_ROOT = finders_before, root_before
    retry = reverse("missions:pdf_retry", args=[school.uai, letter.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry).status_code == 302
    letter.refresh_from_db()
    assert letter.state == LetterState.SIGNED
    assert letter.pdf_status == PdfStatus.READY and letter.pdf_is_current
    assert letter.pdf_error == ""
    download = client.get(reverse("missions:pdf", args=[school.uai, letter.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
