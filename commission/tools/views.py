"""The recommended tools catalogue: a school sees its own ENT's column, or every column."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from rrupn.access.capabilities import SRANE, requires

from .selectors import catalogue_for, comparison, edits_reference_data


@requires("commission.view")
@require_GET
def tools_catalogue(request, uai):
    ent = request.establishment.ent
    return render(
        request,
        "commission/tools/catalogue.html",
        {
            "ent": ent,
            "sections": catalogue_for(ent),
            "can_edit": edits_reference_data(request),
        },
    )


@requires("commission.view")
@require_GET
def tools_comparison(request, uai):
    columns, sections = comparison(request.establishment.ent_id)
    return render(
        request,
        "commission/tools/comparison.html",
        {
            "columns": columns,
            "sections": sections,
            "ent": request.establishment.ent,
            "can_edit": edits_reference_data(request),
        },
    )


@requires(SRANE)
@require_GET
def tools_srane(request):
    columns, sections = comparison(has_own=False)
    return render(
        request,
        "commission/tools/srane.html",
        {"columns": columns, "sections": sections, "can_edit": edits_reference_data(request)},
    )
