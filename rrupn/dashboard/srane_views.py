"""The SRANE overview: the table of the scope's establishments (filters, sort, search, pages),
the progress charts, the exports and the drill-down to one establishment (aggregates only)."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rrupn.access import capabilities as caps
from rrupn.access.capabilities import requires

from . import srane, srane_exports
from .registry import srane_columns, srane_figures

# GET parameters the charts keep from the table's filters (not the state filter nor the sort).
PROGRESS_FILTERS = ("q", "departement", "type", "secteur")


def _selection(request):
    form = srane.SraneFilterForm(request.GET, access=request.access, columns=list(srane_columns))
    filters = form.filters()
    return form, filters, srane.select(request.access, filters)


def _scope_departments(request, filters) -> tuple[str, ...]:
    chosen = filters.get("departement")
    return (chosen,) if chosen else request.access.srane_departments


def _query_without(request, *names) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def _sort_links(request, form, columns) -> dict:
    """For each sortable header: (URL that sorts on it, aria-sort value of the current sort)."""
    current = form.filters().get("tri", "")
    links = {}
    for key in [*srane.FIELD_SORTS, *(column.key for column in columns)]:
        params = request.GET.copy()
        params.pop("page", None)
        ascending = current == key
        params["tri"] = f"-{key}" if ascending else key
        state = "ascending" if ascending else "descending" if current == f"-{key}" else "none"
        links[key] = (f"?{params.urlencode()}", state)
    return links


@requires(caps.SRANE)
@require_GET
def srane_overview(request):
    form, filters, selection = _selection(request)
    page, rows = srane.table_page(selection, request.school_year, request.GET.get("page"))
    figures = [
        (figure, figure.values(_scope_departments(request, filters), request.school_year))
        for figure in srane_figures
    ]
    query = _query_without(request, "page")
    sort_links = _sort_links(request, form, selection.columns)
    return render(
        request,
        "dashboard/srane_overview.html",
        {
            "form": form,
            "columns": [(column, sort_links[column.key]) for column in selection.columns],
            "sort_links": sort_links,
            "rows": rows,
            "page": page,
            "query": query,
            "progress_query": _progress_query(request),
            "figures": figures,
            "department_choices": srane.department_choices(request.access),
            "states_minutes": srane.STATES_CACHE_SECONDS // 60 if selection.needs_states else 0,
        },
    )


def _progress_query(request) -> str:
    params = request.GET.copy()
    for name in list(params):
        if name not in PROGRESS_FILTERS:
            params.pop(name)
    return params.urlencode()


@requires(caps.SRANE)
@require_GET
def srane_progress(request):
    """The progress of the year per area and per département, as charts and tables."""
    form = srane.SraneFilterForm(request.GET, access=request.access, columns=list(srane_columns))
    filters = {name: value for name, value in form.filters().items() if name in PROGRESS_FILTERS}
    selection = srane.select(request.access, filters)
    progress = srane.scope_progress(
        selection, _scope_departments(request, filters), request.school_year
    )
    return render(
        request,
        "dashboard/srane_progress.html",
        {
            "form": form,
            "progress": progress,
            "column_chart": srane_exports.column_chart(progress),
            "department_chart": srane_exports.department_chart(progress),
            "query": _progress_query(request),
            "department_choices": srane.department_choices(request.access),
            "minutes": srane.STATES_CACHE_SECONDS // 60,
        },
    )


def _export(request, extension: str):
    _form, _filters, selection = _selection(request)
    rows = srane.all_rows(selection, request.school_year)
    if extension == "csv":
        content = srane_exports.table_csv(rows, selection.columns)
        content_type = "text/csv; charset=utf-8"
    else:
        content = srane_exports.table_xlsx(rows, selection.columns, request.school_year)
        content_type = srane_exports.XLSX_TYPE
    response = HttpResponse(content, content_type=content_type)
    name = srane_exports.download_name(request.school_year, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(caps.SRANE)
@require_GET
def srane_export_csv(request):
    return _export(request, "csv")


@requires(caps.SRANE)
@require_GET
def srane_export_xlsx(request):
    return _export(request, "xlsx")


def _summary_department(request, raw: str) -> str:
    """The département asked for, in the scope; the only one of a département SRANE."""
    departments = request.access.srane_departments
    if not raw and len(departments) == 1:
        return departments[0]
    if raw and raw not in departments:
        raise Http404
    return raw


@requires(caps.SRANE)
@require_GET
def srane_summary(request):
    """The PDF summary of a département when it is ready; otherwise the page that asks for it,
    then waits for it."""
    department = _summary_department(request, request.GET.get("departement", ""))
    state, error = "", ""
    if department:
        state, path, error = srane_exports.pdf_state(department, request.school_year)
        if state == "ready":
            return FileResponse(
                default_storage.open(path, "rb"),
                as_attachment=True,
                filename=srane_exports.pdf_name(department, request.school_year),
                content_type="application/pdf",
            )
    return render(
        request,
        "dashboard/srane_summary.html",
        {
            "department": department,
            "department_choices": srane.department_choices(request.access),
            "state": state,
            "error": error,
            "waiting": state == "missing" and request.GET.get("attente") == "1",
        },
    )


@requires(caps.SRANE)
@require_POST
def srane_summary_request(request):
    from .tasks import render_srane_summary

    department = _summary_department(request, request.POST.get("departement", ""))
    if not department:
        messages.error(request, _("Choisissez le département de la synthèse."))
        return redirect("dashboard:srane_summary")
    state, path, _error = srane_exports.pdf_state(department, request.school_year)
    if state == "failed":
        srane_exports.forget_failure(path)
    if state != "ready":
        render_srane_summary.delay(department, request.school_year.pk)
    return redirect(f"{reverse('dashboard:srane_summary')}?departement={department}&attente=1")


@requires(caps.SRANE)
@require_GET
def srane_establishment(request, uai):
    """One establishment of the scope: the state of every area, with its detail and link, and
    the figures of its département. Aggregates only: no pupil, no personal data beyond the
    RRUPN's name the table already shows."""
    establishment = request.establishment
    columns = list(srane_columns)
    statuses = [
        (column, column.values([establishment], request.school_year).get(establishment.pk))
        for column in columns
    ]
    states = [srane.state_of(status) for _column, status in statuses]
    figures = [
        (figure, figure.values((establishment.department,), request.school_year))
        for figure in srane_figures
    ]
    return render(
        request,
        "dashboard/srane_establishment.html",
        {
            "statuses": [
                (column, status, srane.STATE_LABELS[state])
                for (column, status), state in zip(statuses, states, strict=True)
            ],
            "done": states.count(srane.DONE),
            "todo": states.count(srane.TODO),
            "figures": figures,
            "back": request.GET.get("retour", ""),
        },
    )
