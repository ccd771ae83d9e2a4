"""Training pages: the school's needs and actions, and the SRANE's needs across schools."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rrupn.access import capabilities as caps
from rrupn.access.capabilities import requires
from rrupn.establishments.models import Department

from ..models import Priority, TrainingAction, TrainingKind, TrainingNeed
from . import selectors, services
from .forms import ActionForm, NeedForm


def _to_training(request):
    return redirect("commission:training", uai=request.establishment.uai)


def _need(request, need_id) -> TrainingNeed:
    return get_object_or_404(TrainingNeed, pk=need_id, establishment=request.establishment)


def _action(request, action_id) -> TrainingAction:
    return get_object_or_404(
        TrainingAction.objects.select_related("establishment", "school_year"),
        pk=action_id,
        establishment=request.establishment,
    )


@requires("commission.view")
@require_GET
def training_page(request, uai):
    establishment, year = request.establishment, request.school_year
    needs = selectors.school_needs(establishment, year)
    return render(
        request,
        "commission/training/page.html",
        {
            "needs": needs,
            "staff_total": sum(need.staff_count for need in needs),
            "actions": selectors.school_actions(establishment, year),
            "kinds": TrainingKind,
        },
    )


def _form_page(request, form, *, title, template="commission/training/form.html"):
    return render(request, template, {"form": form, "title": title})


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def need_create(request, uai):
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_create(
                establishment=request.establishment,
                school_year=request.school_year,
                user=request.user,
                data=form.to_data(),
            )
        except services.TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Besoin de formation enregistré."))
            return _to_training(request)
    return _form_page(request, form, title=_("Nouveau besoin de formation"))


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def need_edit(request, uai, need_id):
    need = _need(request, need_id)
    form = NeedForm(request.POST or None, initial=NeedForm.initial_from(need))
    if request.method == "POST" and form.is_valid():
        try:
            services.need_update(need=need, user=request.user, data=form.to_data())
        except services.TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Besoin de formation enregistré."))
            return _to_training(request)
    return _form_page(request, form, title=_("Modifier le besoin de formation"))


def _action_form(request, *, school_year, initial):
    needs = selectors.needs_of(request.establishment, school_year).select_related("topic")
    return ActionForm(request.POST or None, initial=initial, needs=needs)


def _initial_for_new_action(request) -> dict:
    """`?type=fil` picks the kind, `?besoin=<id>` the need answered and its topic."""
    kind = request.GET.get("type", TrainingKind.CAFE)
    initial = {
        "kind": kind if kind in TrainingKind.values else TrainingKind.CAFE,
        "duration_minutes": 30,
    }
    need_id = request.GET.get("besoin", "")
    if need_id.isdigit():
        need = (
            selectors.needs_of(request.establishment, request.school_year)
            .filter(pk=need_id)
            .select_related("topic")
            .first()
        )
        if need is not None:
            initial.update(need=need.pk, topic=need.topic_id, title=str(need.topic))
    return initial


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def action_create(request, uai):
    form = _action_form(
        request, school_year=request.school_year, initial=_initial_for_new_action(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                establishment=request.establishment,
                school_year=request.school_year,
                user=request.user,
                data=form.to_data(),
            )
        except services.TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(kind)s « %(title)s » enregistré(e).")
                % {"kind": action.get_kind_display(), "title": action.title},
            )
            return _to_training(request)
    return _form_page(request, form, title=_("Nouvelle action de formation"))


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def action_edit(request, uai, training_action_id):
    action = _action(request, training_action_id)
    form = _action_form(
        request, school_year=action.school_year, initial=ActionForm.initial_from(action)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(action=action, user=request.user, data=form.to_data())
        except services.TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Action de formation enregistrée."))
            return _to_training(request)
    return _form_page(request, form, title=_("Modifier « %(title)s »") % {"title": action.title})


@requires(caps.SRANE)
@require_GET
def srane_needs(request):
    """Needs across the schools of the scope, by topic, to plan FIL: aggregates only."""
    scope = request.access.srane_departments
    chosen = request.GET.get("departement", "")
    departments = (chosen,) if chosen in scope else scope
    chosen = chosen if chosen in scope else ""
    year = request.school_year

    def by_priority(row) -> list[int]:
        return [row[f"staff_{value}"] for value in Priority.values]

    totals = selectors.needs_totals(departments, year)
    return render(
        request,
        "commission/training/srane_needs.html",
        {
            "rows": [
                (row, by_priority(row)) for row in selectors.needs_by_topic(departments, year)
            ],
            "totals": totals,
            "total_by_priority": by_priority(totals),
            "priorities": Priority.labels,
            "department": chosen,
            "department_choices": [(v, label) for v, label in Department.choices if v in scope],
        },
    )
