"""The PDF of a mission letter: rendered by a worker once a signature or an acceptance commits.

Fonts and images come from our static files on disk, never from the network. A rendering
failure marks the PDF "en échec" and is logged; it never reaches the request that triggered it
(in the demo, tasks run inline right after that request's commit).
"""

import logging
import mimetypes
import posixpath
from itertools import groupby
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .models import LetterState, MissionLetter, PdfStatus

logger = logging.getLogger(__name__)

# States whose letter carries a head signature: the only ones with a PDF.
PRINTABLE_STATES = (
    LetterState.SIGNED,
    LetterState.ACCEPTED,
    LetterState.ACTIVE,
    LetterState.ARCHIVED,
    LetterState.REPLACED,
)


class RefusedURL(ValueError):
    pass


class StaticFileFetcher(URLFetcher):
    """Serve `STATIC_URL` paths from disk (finders, then the collected files); refuse the rest.

    Built with `fail_on_errors=True`: a refused or missing resource stops the rendering
    instead of printing a letter with a fallback font or a hole.
    """

    def __init__(self, base_url: str, **kwargs):
        kwargs.setdefault("fail_on_errors", True)
        super().__init__(**kwargs)
        base = urlsplit(base_url)
        self._origin = (base.scheme, base.netloc)

    def fetch(self, url, headers=None):
        full_path = self.static_path(url)
        content_type = mimetypes.guess_type(full_path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            full_path.as_uri(), full_path.open("rb"), {"Content-Type": content_type}
        )

    def static_path(self, url: str) -> Path:
        parts = urlsplit(url)
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if (parts.scheme, parts.netloc) != self._origin or not parts.path.startswith(prefix):
            raise RefusedURL(f"Ressource refusée (hors fichiers statiques) : {url}")
        relative = unquote(parts.path[len(prefix) :])
        if posixpath.normpath(relative) != relative or relative.startswith(("/", "..")):
            raise RefusedURL(f"Chemin refusé : {url}")
        try:
            found = finders.find(relative)
            if not found and staticfiles_storage.exists(relative):
                found = staticfiles_storage.path(relative)  # hashed name after collectstatic
        except SuspiciousFileOperation as exc:
            raise RefusedURL(f"Chemin refusé : {url}") from exc
        if not found:
            raise RefusedURL(f"Fichier statique introuvable : {url}")
        return Path(found)


def _base_url() -> str:
    return settings.SITE_URL + "/"


def letter_context(letter: MissionLetter) -> dict:
    tasks = list(
        letter.tasks.select_related("task__function", "shared_with").order_by(
            "task__function__number", "task__order", "task_id"
        )
    )
    functions = [
        (function, list(items)) for function, items in groupby(tasks, lambda t: t.task.function)
    ]
    return {
        "letter": letter,
        "functions": functions,
        "shared": [t for t in tasks if t.shared_with_id],
        "imp_amount": euros(letter.imp_amount) if letter.imp_rate else "",
        "imp_rate": euros(letter.imp_rate.amount) if letter.imp_rate else "",
        "imp_multiple": f"{letter.imp_multiple.normalize():f}".replace(".", ","),
        "verification_url": verification_url(letter),
        "grouped_code": "-".join(
            letter.verification_code[i : i + 5] for i in range(0, len(letter.verification_code), 5)
        ),
    }


def verification_url(letter: MissionLetter) -> str:
    return f"{settings.SITE_URL}/verifier/{letter.verification_code}/"


def euros(amount) -> str:
    """1250 → "1 250,00 €" (no-break spaces, as printed in French)."""
    return f"{amount:,.2f}".replace(",", "\u00a0").replace(".", ",") + "\u00a0€"


def letter_pdf_bytes(letter: MissionLetter) -> bytes:
    # An official French document, whatever language the triggering request used.
    with translation.override("fr"):
        html = render_to_string("missions/pdf/letter.html", letter_context(letter))
    base_url = _base_url()
    return HTML(
        string=html, base_url=base_url, url_fetcher=StaticFileFetcher(base_url, timeout=5)
    ).write_pdf(font_config=FontConfiguration())


def _file_name(letter: MissionLetter) -> str:
    return f"{letter.reference}-r{letter.revision}.pdf"


def letter_pdf_render(*, letter_id: int) -> None:
    """Render and store the PDF of the letter's current revision, unless it is already stored."""
    letter = (
        MissionLetter.objects.select_related(
            "establishment", "school_year", "head", "rrupn", "imp_rate"
        )
        .filter(pk=letter_id, state__in=PRINTABLE_STATES)
        .first()
    )
    if letter is None or _stored(letter):
        return
    revision, previous = letter.revision, letter.pdf.name
    try:
        content = letter_pdf_bytes(letter)
        # The name is made unique by the storage if needed; saving does not touch the row.
        letter.pdf.save(_file_name(letter), ContentFile(content), save=False)
    except (Exception, FatalURLFetchingError) as exc:
        logger.exception("PDF of letter %s (revision %s) failed", letter_id, revision)
        MissionLetter.objects.filter(pk=letter_id, revision=revision).update(
            pdf_status=PdfStatus.FAILED, pdf_error=_short(exc)
        )
        return
    stored = MissionLetter.objects.filter(pk=letter_id, revision=revision).update(
        pdf=letter.pdf.name, pdf_status=PdfStatus.READY, pdf_revision=revision, pdf_error=""
    )
    if not stored:
        # The letter moved on while we rendered: this file shows a stale revision.
        letter.pdf.storage.delete(letter.pdf.name)
        return
    if previous and previous != letter.pdf.name:
        letter.pdf.storage.delete(previous)


def _stored(letter: MissionLetter) -> bool:
    return bool(letter.pdf_is_current and letter.pdf and letter.pdf.storage.exists(letter.pdf.name))


def _short(exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    return f"{type(cause).__name__}: {cause}"[:500]
