"""The SRANE's Pix page: per school of the scope and across it, aggregates only.

Reads the anonymous per-class summaries (`DivisionSummary`) and class headcounts, never a
participation: no pupil name can reach this page.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rrupn.access import capabilities as caps
from rrupn.access.capabilities import requires
from rrupn.establishments.models import Department, Establishment

from . import selectors


def _scope(request):
    departments = request.access.srane_departments
    chosen = request.GET.get("departement", "")
    if chosen not in departments:
        chosen = ""
    establishments = Establishment.objects.filter(
        department__in=(chosen,) if chosen else departments
    ).order_by("name", "uai")
    return establishments, chosen


@requires(caps.SRANE)
@require_GET
def overview(request):
    establishments, chosen = _scope(request)
    page = Paginator(establishments, 100).get_page(request.GET.get("page"))
    schools = list(page.object_list)
    figures = selectors.school_figures([est.pk for est in schools], request.school_year)
    return render(
        request,
        "pix/followup/srane_overview.html",
        {
            "page": page,
            "rows": [(est, figures[est.pk]) for est in schools],
            "total": selectors.scope_figures(establishments, request.school_year),
            "school_count": page.paginator.count,
            "department": chosen,
            "department_choices": [
                (value, label)
                for value, label in Department.choices
                if value in request.access.srane_departments
            ],
        },
    )
