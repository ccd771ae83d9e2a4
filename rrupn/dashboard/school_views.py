"""The school screens: the RRUPN dashboard and the head's approval inbox."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from rrupn.access.capabilities import requires

from .registry import checklist, inbox


@requires("dashboard.view")
@require_GET
def establishment_dashboard(request, uai):
    establishment, year = request.establishment, request.school_year
    items = [(item, item.status(establishment, year)) for item in checklist]
    return render(
        request,
        "dashboard/establishment.html",
        {"items": items, "inbox_count": None},
    )


@requires("inbox.view")
@require_GET
def approval_inbox(request, uai):
    sections = []
    for source in inbox:
        entries = source.entries(request.establishment, request.school_year, request.user)
        sections.append((source, entries))
    total = sum(len(entries) for _source, entries in sections)
    return render(request, "dashboard/inbox.html", {"sections": sections, "total": total})
