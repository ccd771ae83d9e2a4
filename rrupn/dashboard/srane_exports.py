"""Exports of the SRANE overview: the filtered table as CSV or XLSX (at once, in the request:
a few queries and a file of text cells), and the one-page PDF summary of a département for
the SRANE meeting (rendered by a worker, like every PDF of the portal).

The PDF follows the equipment export's pattern: no model row holds it, its stored name carries
a digest of its HTML, so it is reused while the figures are unchanged and a stale PDF is never
served; a failure leaves a small text file next to it, shown with a « réessayer » button.
"""

import csv
import hashlib
import io
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from rrupn.establishments.models import Department, Establishment
from rrupn.pdf import FatalURLFetchingError, render_pdf, short_error
from rrupn.spreadsheet import BOM, safe_cell

from . import srane
from .charts import Bar, bar_chart

logger = logging.getLogger(__name__)

SHEET_TITLE = "Vue SRANE"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header(columns) -> list[str]:
    cells = ["UAI", "Établissement", "Commune", "Département", "Type", "Secteur"]
    for column in columns:
        cells += [f"{column.label} — état", f"{column.label} — détail"]
    return cells


def table(rows, columns) -> list[list[str]]:
    """The export's lines (header first), as plain text."""
    with translation.override("fr"):
        lines = [header(columns)]
        for row in rows:
            est = row.establishment
            line = [
                est.uai,
                est.name,
                est.commune,
                est.department,
                str(est.get_kind_display()),
                str(est.get_sector_display()),
            ]
            for status in row.statuses:
                line += [
                    str(srane.STATE_LABELS[srane.state_of(status)]),
                    status.text if status else "",
                ]
            lines.append(line)
    return lines


def download_name(school_year, extension: str) -> str:
    return f"vue-srane-{school_year.label}.{extension}"


def table_csv(rows, columns) -> bytes:
    """UTF-8 with BOM and `;`: what a French Excel opens as columns; formula-safe cells."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for line in table(rows, columns):
        writer.writerow(safe_cell(value) for value in line)
    return (BOM + out.getvalue()).encode("utf-8")


def table_xlsx(rows, columns, school_year) -> bytes:
    """Every cell is text (never a formula: openpyxl would write "=…" as one)."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    lines = table(rows, columns)
    for line in lines:
        sheet.append([safe_cell(value) for value in line])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    for index, title in enumerate(lines[0], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(title), 10), 40)
    sheet.auto_filter.ref = sheet.dimensions
    book.properties.title = f"Vue SRANE {school_year.label}"
    book.properties.creator = "Portail RRUPN"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Charts and one-page summary ----------------------------------------------------------


def percent_text(counts) -> str:
    if counts.percent is None:
        return "—"
    return f"{counts.done} / {counts.applicable} — {counts.percent} %"


def column_chart(progress, chart_id="avancement-domaines") -> str:
    bars = [
        Bar(str(column.label), counts.share, percent_text(counts))
        for column, counts in progress.columns
    ]
    return bar_chart(
        bars,
        chart_id=chart_id,
        title=translation.gettext("Avancement de l’année par domaine"),
        description=translation.gettext(
            "Part des établissements où le domaine est fait, parmi ceux où il s’applique ; "
            "les mêmes chiffres sont dans le tableau qui suit."
        ),
    )


def department_chart(progress, chart_id="avancement-departements") -> str:
    bars = [
        Bar(label, overall.share, percent_text(overall))
        for _code, label, _size, overall, _by in progress.departments
    ]
    return bar_chart(
        bars,
        chart_id=chart_id,
        title=translation.gettext("Avancement de l’année par département"),
        description=translation.gettext(
            "Part des domaines faits, tous établissements et domaines confondus, par "
            "département ; les mêmes chiffres sont dans le tableau qui suit."
        ),
    )


LATE_LISTED = 12


def summary_context(department: str, school_year) -> dict:
    """The figures of one département: progress per area and the schools with most to do."""
    establishments = list(Establishment.objects.filter(department=department).order_by("name"))
    progress = srane.progress(establishments, school_year, fresh=True)
    rows = srane.rows_for(establishments, [column for column, _c in progress.columns], school_year)
    columns = [column for column, _c in progress.columns]
    behind = []
    for row in rows:
        todo = [
            str(column.label)
            for column, status in zip(columns, row.statuses, strict=True)
            if srane.state_of(status) == srane.TODO
        ]
        if todo:
            behind.append({"establishment": row.establishment, "todo": todo})
    behind.sort(key=lambda item: (-len(item["todo"]), item["establishment"].name))
    return {
        "department": department,
        "department_label": dict(Department.choices)[department],
        "school_year": school_year,
        "progress": progress,
        "chart": column_chart(progress, chart_id=f"synthese-{department}"),
        "behind": behind[:LATE_LISTED],
    }


def summary_html(department: str, school_year) -> str:
    with translation.override("fr"):  # a document for the SRANE meeting
        return render_to_string(
            "dashboard/pdf/srane_summary.html", summary_context(department, school_year)
        )


def pdf_name(department: str, school_year) -> str:
    return f"synthese-srane-{department}-{school_year.label}.pdf"


def pdf_path(department: str, school_year, html: str) -> str:
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()[:20]
    return f"srane/syntheses/{department}/{school_year.label}-{digest}.pdf"


def error_path(path: str) -> str:
    return path + ".echec.txt"


def pdf_state(department: str, school_year) -> tuple[str, str, str]:
    """(state, stored path, error): state is "ready", "failed" or "missing"."""
    path = pdf_path(department, school_year, summary_html(department, school_year))
    if default_storage.exists(path):
        return "ready", path, ""
    if default_storage.exists(error_path(path)):
        with default_storage.open(error_path(path), "rb") as failure:
            return "failed", path, failure.read().decode("utf-8", "replace")
    return "missing", path, ""


def pdf_render(*, department: str, school_year) -> str:
    """Worker side: render and store the summary as it is now. Never raises."""
    html = summary_html(department, school_year)
    path = pdf_path(department, school_year, html)
    if default_storage.exists(path):
        return path
    try:
        content = render_pdf(html)
    except (Exception, FatalURLFetchingError) as exc:
        logger.exception("SRANE summary PDF of %s failed", department)
        if not default_storage.exists(error_path(path)):
            default_storage.save(error_path(path), ContentFile(short_error(exc).encode()))
        return path
    if default_storage.exists(error_path(path)):
        default_storage.delete(error_path(path))
    saved = default_storage.save(path, ContentFile(content))
    _drop_older(path, keep=saved)
    return path


def _drop_older(path: str, *, keep: str) -> None:
    """The year's earlier summaries (and failures) of this département are stale."""
    folder, name = path.rsplit("/", 1)
    year_prefix = name.rsplit("-", 1)[0] + "-"
    for other in default_storage.listdir(folder)[1]:
        if other.startswith(year_prefix) and f"{folder}/{other}" not in (path, keep):
            default_storage.delete(f"{folder}/{other}")


def forget_failure(path: str) -> None:
    if default_storage.exists(error_path(path)):
        default_storage.delete(error_path(path))
