"""The PDF of a mission letter: rendered by a worker once a signature or an acceptance commits.

The HTML → PDF machinery (static-file fetcher, Marianne) is the project's, in rrupn.pdf. A
rendering failure marks the PDF "en échec" and is logged; it never reaches the request that
triggered it (in the demo, tasks run inline right after that request's commit).
"""

import logging
from itertools import groupby

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation

from rrupn.pdf import FatalURLFetchingError, RefusedURL, StaticFileFetcher, render_pdf, short_error

from .models import LetterState, MissionLetter, PdfStatus

__all__ = ["RefusedURL", "StaticFileFetcher", "letter_pdf_bytes", "letter_pdf_render"]

logger = logging.getLogger(__name__)

# States whose letter carries a head signature: the only ones with a PDF.
PRINTABLE_STATES = (
    LetterState.SIGNED,
    LetterState.ACCEPTED,
    LetterState.ACTIVE,
    LetterState.ARCHIVED,
    LetterState.REPLACED,
)


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
    return render_pdf(html)


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
            pdf_status=PdfStatus.FAILED, pdf_error=short_error(exc)
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
