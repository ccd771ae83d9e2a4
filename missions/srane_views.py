"""SRANE pages of the mission letters: the batch export, its progress and its download."""

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rrupn.access import capabilities as caps
from rrupn.establishments.models import Department, SchoolYear

from .export import ExportError, letter_export_request
from .models import ExportStatus, LetterExport

RECENT_EXPORTS = 10


def _department_choices(access) -> list[tuple[str, str]]:
    return [
        (value, label) for value, label in Department.choices if value in access.srane_departments
    ]


def _my_export(request, export_id) -> LetterExport:
    """An export this person requested and whose scope they still hold, or 404."""
    export = get_object_or_404(
        LetterExport.objects.select_related("school_year"), pk=export_id, created_by=request.user
    )
    access = request.access
    in_scope = (
        export.department in access.srane_departments if export.department else access.is_academie
    )
    if not in_scope:
        raise Http404
    return export


def _year_from(raw: str):
    try:
        return SchoolYear.objects.get(start_year=int(raw))
    except (ValueError, SchoolYear.DoesNotExist):
        return None


@caps.requires(caps.SRANE)
@require_http_methods(["GET", "POST"])
def letter_exports(request):
    access = request.access
    if request.method == "POST":
        year = _year_from(request.POST.get("annee", ""))
        try:
            if year is None:
                raise ExportError(_("Année scolaire inconnue."))
            export = letter_export_request(
                user=request.user,
                access=access,
                school_year=year,
                department=request.POST.get("departement", ""),
            )
        except ExportError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _(
                    "Export des lettres de mission (%(scope)s, %(year)s) lancé : "
                    "l'archive sera proposée ici une fois prête."
                )
                % {"scope": export.scope_label, "year": year.label},
            )
        return redirect("missions_srane:exports")
    exports = LetterExport.objects.filter(created_by=request.user).select_related("school_year")
    return render(
        request,
        "missions/srane_exports.html",
        {
            "years": SchoolYear.objects.order_by("-start_year"),
            "department_choices": _department_choices(access),
            "academie": access.is_academie,
            "exports": exports[:RECENT_EXPORTS],
        },
    )


def _progress_text(export) -> str:
    text = str(export.get_status_display())
    if export.total:
        counts = _("%(done)s / %(total)s lettres") % {"done": export.done, "total": export.total}
        text = f"{text} — {counts}"
    return text


@caps.requires(caps.SRANE)
@require_GET
def letter_export_status(request, export_id):
    """JSON polled by static/js/export-progress.js."""
    export = _my_export(request, export_id)
    ready = export.status == ExportStatus.READY
    return JsonResponse(
        {
            "status": export.status,
            "label": export.get_status_display(),
            "text": _progress_text(export),
            "done": export.done,
            "total": export.total,
            "percent": export.percent,
            "finished": export.finished,
            "message": export.error,
            "download_url": (
                reverse("missions_srane:export_download", args=[export.pk]) if ready else None
            ),
        }
    )


@caps.requires(caps.SRANE)
@require_GET
def letter_export_download(request, export_id):
    export = _my_export(request, export_id)
    if export.status != ExportStatus.READY or not export.file:
        messages.info(request, _("Cette archive n'est pas encore prête."))
        return redirect("missions_srane:exports")
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.download_name,
        content_type="application/zip",
    )
