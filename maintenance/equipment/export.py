"""The validated needs of the year, to send to the collectivité: CSV at once, PDF by a worker.

The PDF follows the project's rule (rendered in a worker, never in the request): the page asks
for it, a worker renders it, the page polls. No model row holds it: its stored name carries a
digest of its HTML, so a PDF is reused while the needs are unchanged and a new decision (or a
new validator) gives a new name — a stale PDF can never be served. A failure leaves a small
text file next to it, shown with a « réessayer » button.
"""

import csv
import hashlib
import io
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from rrupn.pdf import FatalURLFetchingError, render_pdf, short_error
from rrupn.spreadsheet import BOM, safe_cell

from .services import validated_needs

logger = logging.getLogger(__name__)

CSV_HEADER = [
    "UAI",
    "Établissement",
    "Collectivité",
    "Année scolaire",
    "Priorité",
    "Matériel",
    "Quantité",
    "Justification",
    "Proposé par",
    "Validé par",
    "Validé le",
]


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else ""


def download_name(establishment, school_year, extension: str) -> str:
    return f"besoins-equipement-{establishment.uai}-{school_year.label}.{extension}"


def needs_csv(establishment, school_year) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    collectivite = establishment.collectivite.name if establishment.collectivite else ""
    for need in validated_needs(establishment, school_year):
        writer.writerow(
            safe_cell(value)
            for value in (
                establishment.uai,
                establishment.name,
                collectivite,
                school_year.label,
                need.priority,
                need.item,
                need.quantity,
                need.justification,
                need.proposed_by,
                need.decided_by,
                _day(need.decided_at),
            )
        )
    return (BOM + out.getvalue()).encode("utf-8")


def export_context(establishment, school_year) -> dict:
    needs = list(validated_needs(establishment, school_year))
    validators = sorted({str(need.decided_by) for need in needs if need.decided_by})
    last = max((need.decided_at for need in needs if need.decided_at), default=None)
    return {
        "establishment": establishment,
        "collectivite": establishment.collectivite,
        "school_year": school_year,
        "needs": needs,
        "validators": validators,
        "validated_on": _day(last),
        "total": sum(need.quantity for need in needs),
    }


def export_html(establishment, school_year) -> str:
    with translation.override("fr"):  # a document for the collectivité, whatever the request's
        return render_to_string(
            "maintenance/equipment/pdf/needs.html", export_context(establishment, school_year)
        )


def pdf_path(establishment, school_year, html: str) -> str:
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()[:20]
    uai = slugify(establishment.uai)
    return f"equipement/{uai}/{school_year.label}-{digest}.pdf"


def error_path(path: str) -> str:
    return path + ".echec.txt"


def pdf_state(establishment, school_year) -> tuple[str, str, str]:
    """(state, stored path, error): state is "ready", "failed" or "missing"."""
    path = pdf_path(establishment, school_year, export_html(establishment, school_year))
    if default_storage.exists(path):
        return "ready", path, ""
    if default_storage.exists(error_path(path)):
        with default_storage.open(error_path(path), "rb") as failure:
            return "failed", path, failure.read().decode("utf-8", "replace")
    return "missing", path, ""


def pdf_render(*, establishment, school_year) -> str:
    """Worker side: render and store the PDF of the needs as they are now. Never raises."""
    html = export_html(establishment, school_year)
    path = pdf_path(establishment, school_year, html)
    if default_storage.exists(path):
        return path
    try:
        content = render_pdf(html)
    except (Exception, FatalURLFetchingError) as exc:
        logger.exception("Equipment needs PDF of %s failed", establishment.uai)
        if not default_storage.exists(error_path(path)):
            default_storage.save(error_path(path), ContentFile(short_error(exc).encode()))
        return path
    if default_storage.exists(error_path(path)):
        default_storage.delete(error_path(path))
    # Two workers may render the same digest: the second save gets another name, harmless.
    saved = default_storage.save(path, ContentFile(content))
    _drop_older(path, keep=saved)
    return path


def _drop_older(path: str, *, keep: str) -> None:
    """The year's earlier PDFs (and failures) of this school are stale: only the last is kept."""
    folder, name = path.rsplit("/", 1)
    year_prefix = name.rsplit("-", 1)[0] + "-"
    for other in default_storage.listdir(folder)[1]:
        if other.startswith(year_prefix) and f"{folder}/{other}" not in (path, keep):
            default_storage.delete(f"{folder}/{other}")


def forget_failure(path: str) -> None:
    """A retry starts afresh."""
    if default_storage.exists(error_path(path)):
        default_storage.delete(error_path(path))
