"""Batch export for the SRANE: the letters of a département or of the académie, one ZIP.

The ZIP holds `<département>/<UAI>-<référence>.pdf` for each letter that was signed (whatever
became of it since: accepted, in force, archived, replaced by an amendment), and `index.csv`,
one line per letter. A worker builds it (`letter_export_build`), reporting its progress on the
`LetterExport` row that the page polls; `export_mission_letters` writes the same ZIP from the
command line with `zip_write`.
"""

import csv
import io
import logging
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from decimal import Decimal

from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rrupn.audit.services import audit_record
from rrupn.establishments.models import Department
from rrupn.spreadsheet import safe_cell

from .models import ExportStatus, LetterExport, LetterState, MissionLetter, PdfStatus

logger = logging.getLogger(__name__)

# Every state a letter reaches once the head has signed it: each one has (or had) a PDF.
EXPORTED_STATES = (
    LetterState.SIGNED,
    LetterState.ACCEPTED,
    LetterState.ACTIVE,
    LetterState.ARCHIVED,
    LetterState.REPLACED,
)
INDEX_NAME = "index.csv"
INDEX_HEADER = [
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


class ExportError(Exception):
    """A refused export request; the message is shown to the user as is."""


def letters_for_export(*, school_year, department: str = ""):
    """The signed-or-later letters of the year, in the département or (blank) the académie."""
    letters = MissionLetter.objects.filter(school_year=school_year, state__in=EXPORTED_STATES)
    if department:
        letters = letters.filter(establishment__department=department)
    return letters.select_related("establishment", "school_year", "rrupn", "imp_rate").order_by(
        "establishment__department", "establishment__commune", "establishment__name", "version"
    )


def letter_export_request(*, user, access, school_year, department: str) -> LetterExport:
    """Record the request and queue the worker (after commit). Checks the SRANE's scope."""
    departments = tuple(access.srane_departments)
    if not departments:
        raise ExportError(_("L'export des lettres de mission est réservé à la SRANE."))
    if not department:
        if not access.is_academie:
            raise ExportError(
                _("Votre périmètre ne couvre pas toute l'académie : choisissez votre département.")
            )
    elif department not in Department.values:
        raise ExportError(_("Département inconnu : %(department)s.") % {"department": department})
    elif department not in departments:
        raise ExportError(
            _(
                "Le département %(department)s n'est pas dans votre périmètre : vous ne pouvez "
                "pas exporter ses lettres de mission."
            )
            % {"department": department}
        )
    from .tasks import export_mission_letters_task

    with transaction.atomic():
        export = LetterExport.objects.create(
            created_by=user, school_year=school_year, department=department
        )
        audit_record(
            actor=user,
            action="letter_export.requested",
            obj=export,
            summary=f"Export des lettres de mission ({export.scope_label}, {school_year.label})",
        )
        export_mission_letters_task.delay(export.pk)
    return export


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def _amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _pdf_name(letter) -> str:
    est = letter.establishment
    return f"{est.department}/{est.uai}-{letter.reference}.pdf"


def _index_row(letter, pdf_name: str) -> list[str]:
    est = letter.establishment
    return [
        safe_cell(v)
        for v in (
            est.uai,
            est.name,
            est.commune,
            est.get_department_display(),
            letter.reference,
            letter.version,
            letter.get_state_display(),
            letter.rrupn.get_full_name() or letter.rrupn.email,
            _when(letter.signed_at),
            _when(letter.accepted_at),
            _amount(letter.imp_amount),
            pdf_name,
        )
    ]


def _current_pdf(letter) -> bool:
    """Render the PDF here if the stored one is missing or shows an older revision."""
    if letter.pdf_is_current and letter.pdf and letter.pdf.storage.exists(letter.pdf.name):
        return True
    from .pdf import letter_pdf_render

    letter_pdf_render(letter_id=letter.pk)  # never raises: a failure is left on the letter
    letter.refresh_from_db(fields=["pdf", "pdf_status", "pdf_revision", "revision"])
    return letter.pdf_status == PdfStatus.READY and bool(letter.pdf)


def zip_write(letters, target, *, progress: Callable[[int], bool] | None = None) -> list[str]:
    """Write the ZIP of `letters` into the binary file `target`.

    `progress(done)` is called after each letter; returning False stops the export (the row
    is gone). Returns the references of letters left out because their PDF could not be made.
    """
    missing: list[str] = []
    index = io.StringIO()
    writer = csv.writer(index, delimiter=";", lineterminator="\r\n")
    writer.writerow(INDEX_HEADER)
    with translation.override("fr"), zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for done, letter in enumerate(letters, start=1):
            name = ""
            if _current_pdf(letter):
                name = _pdf_name(letter)
                # PDFs are compressed already: stored as they are.
                with (
                    letter.pdf.open("rb") as pdf,
                    zf.open(zipfile.ZipInfo(name, date_time=_zip_time()), "w") as entry,
                ):
                    shutil.copyfileobj(pdf, entry)
            else:
                missing.append(letter.reference)
            writer.writerow(_index_row(letter, name or "PDF indisponible (rendu en échec)"))
            if progress is not None and progress(done) is False:
                raise ExportError("Export interrompu.")
        # UTF-8 with BOM: Excel otherwise reads the accents as Latin-1.
        zf.writestr(INDEX_NAME, "\ufeff" + index.getvalue())
    return missing


def _zip_time():
    return timezone.localtime().timetuple()[:6]


def _missing_note(missing: list[str]) -> str:
    if not missing:
        return ""
    return (
        f"{len(missing)} lettre(s) sans PDF (rendu en échec) : {', '.join(missing)}. "
        "Elles figurent dans l'index ; relancez leur PDF depuis la page de la lettre."
    )


def letter_export_build(*, export_id: int) -> None:
    """Worker side: claim the queued export, build the ZIP, store it. Never raises."""
    claimed = LetterExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING
    )
    if not claimed:
        return  # gone, or already taken by another delivery of this task
    export = LetterExport.objects.select_related("school_year").get(pk=export_id)
    try:
        letters = list(
            letters_for_export(school_year=export.school_year, department=export.department)
        )
        LetterExport.objects.filter(pk=export_id).update(total=len(letters), done=0)

        def progress(done: int) -> bool:
            return bool(
                LetterExport.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(
                    done=done
                )
            )

        with tempfile.TemporaryFile() as archive:
            missing = zip_write(letters, archive, progress=progress)
            archive.seek(0)
            export.file.save(export.download_name, File(archive), save=False)
        updated = LetterExport.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(
            status=ExportStatus.READY,
            file=export.file.name,
            done=F("total"),
            error=_missing_note(missing),
            finished_at=timezone.now(),
        )
        if not updated:
            export.file.delete(save=False)
    except Exception as exc:
        logger.exception("Batch export %s failed", export_id)
        LetterExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED,
            error=f"L'archive n'a pas pu être produite ({type(exc).__name__}) : relancez l'export.",
            finished_at=timezone.now(),
        )
