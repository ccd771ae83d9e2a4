"""Pages of the digital project: axes, indicators, their dated values and charts."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rrupn.access.capabilities import requires

from ..models import Indicator, ProjectAxis
from . import services
from .chart import day_label, number_label
from .forms import AxisForm, IndicatorForm, ValueForm
from .selectors import indicator_view, project_axes


def _axis(request, axis_id) -> ProjectAxis:
    return get_object_or_404(ProjectAxis, pk=axis_id, establishment=request.establishment)


def _indicator(request, indicator_id) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("axis__establishment"),
        pk=indicator_id,
        axis__establishment=request.establishment,
    )


def _to_project(request):
    return redirect("commission:project", uai=request.establishment.uai)


@requires("commission.view")
@require_GET
def project_page(request, uai):
    return render(
        request,
        "commission/project/page.html",
        {"axes": project_axes(request.establishment)},
    )


def _form_page(request, form, *, title, axis=None, indicator=None):
    return render(
        request,
        "commission/project/form.html",
        {"form": form, "title": title, "axis": axis, "indicator": indicator},
    )


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def axis_create(request, uai):
    form = AxisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            axis = services.axis_create(
                establishment=request.establishment,
                user=request.user,
                title=form.cleaned_data["title"],
                order=form.cleaned_data["order"] or 0,
            )
        except services.ProjectError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Axe « %(title)s » ajouté au projet numérique.") % {"title": axis.title},
            )
            return _to_project(request)
    return _form_page(request, form, title=_("Nouvel axe du projet numérique"))


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def axis_edit(request, uai, axis_id):
    axis = _axis(request, axis_id)
    form = AxisForm(request.POST or None, initial={"title": axis.title, "order": axis.order})
    if request.method == "POST" and form.is_valid():
        try:
            services.axis_update(
                axis=axis,
                user=request.user,
                title=form.cleaned_data["title"],
                order=form.cleaned_data["order"] or 0,
            )
        except services.ProjectError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Axe enregistré."))
            return _to_project(request)
    return _form_page(
        request, form, title=_("Modifier l’axe « %(axis)s »") % {"axis": axis.title}, axis=axis
    )


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def indicator_create(request, uai, axis_id):
    axis = _axis(request, axis_id)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(axis=axis, user=request.user, **form.cleaned_data)
        except services.ProjectError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Indicateur « %(name)s » ajouté.") % {"name": indicator.name}
            )
            return _to_project(request)
    return _form_page(
        request,
        form,
        title=_("Nouvel indicateur — axe « %(axis)s »") % {"axis": axis.title},
        axis=axis,
    )


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def indicator_edit(request, uai, indicator_id):
    indicator = _indicator(request, indicator_id)
    initial = {"name": indicator.name, "unit": indicator.unit, "target": indicator.target}
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(indicator=indicator, user=request.user, **form.cleaned_data)
        except services.ProjectError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Indicateur enregistré."))
            return _to_project(request)
    return _form_page(
        request,
        form,
        title=_("Modifier l’indicateur « %(name)s »") % {"name": indicator.name},
        axis=indicator.axis,
        indicator=indicator,
    )


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def value_add(request, uai, indicator_id):
    indicator = _indicator(request, indicator_id)
    form = ValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row, replaced = services.value_record(
                indicator=indicator,
                user=request.user,
                measured_on=data["measured_on"],
                value=data["value"],
                replace=data["replace"],
            )
        except services.ProjectError as exc:
            form.add_error(None, str(exc))
        else:
            if replaced:
                text = _("Valeur %(value)s corrigée au %(day)s.")
            else:
                text = _("Valeur %(value)s enregistrée au %(day)s.")
            messages.success(
                request,
                text % {"value": number_label(row.value), "day": day_label(row.measured_on)},
            )
            return redirect("commission:project_values", uai=uai, indicator_id=indicator.pk)
    indicator = (
        Indicator.objects.select_related("axis").prefetch_related("values").get(pk=indicator.pk)
    )
    return render(
        request,
        "commission/project/values.html",
        {"form": form, "item": indicator_view(indicator), "axis": indicator.axis},
    )
