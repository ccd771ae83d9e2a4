from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from gar.models import AssignmentType, Public, TargetKind
from rrupn.access.capabilities import requires, roles_grant

from . import selectors, services
from .forms import DivisionsForm, TeachersForm


def _subscriptions(request):
    return selectors.subscriptions_of(request.establishment, request.school_year)


def _subscription(request, subscription_id):
    """A subscription of the current establishment and school year, or 404."""
    return get_object_or_404(_subscriptions(request), pk=subscription_id)


def _detail_url(request, subscription) -> str:
    return reverse("gar:assignments_detail", args=[request.establishment.uai, subscription.pk])


@requires("gar.view")
@require_GET
def assignment_list(request, uai):
    coverage = selectors.coverage_of(_subscriptions(request))
    school = selectors.SchoolCoverage(len(coverage), sum(1 for c in coverage if c.assigned))
    return render(
        request,
        "gar/assignments/list.html",
        {
            "coverage": coverage,
            "school": school,
            "can_assign": roles_grant(request.roles, "gar.assign"),
            # What the last copy could not bring over, shown once.
            "not_copied": request.session.pop("gar_copy_not_copied", []),
        },
    )


def _detail(request, subscription, divisions_form=None, teachers_form=None):
    uai = request.establishment.uai
    assignments = list(
        subscription.assignments.select_related("division", "teacher").order_by(
            "target_kind", "division__code", "teacher__last_name", "teacher__first_name"
        )
    )
    used = selectors.used_by_public([subscription.pk]).get(subscription.pk, {})
    can_assign = roles_grant(request.roles, "gar.assign")
    individual = subscription.assignment_type == AssignmentType.INDIV
    context = {
        "subscription": subscription,
        "pools": selectors.pools(subscription, used),
        "assignments": assignments,
        "can_assign": can_assign,
        "individual": individual,
        "divisions_form": None,
        "teachers_form": None,
        "whole_school": False,
        "establishment_size": 0,
    }
    if can_assign and individual and Public.ELEVE in subscription.publics:
        context["divisions_form"] = divisions_form or DivisionsForm(
            divisions=_free_divisions(request, subscription),
            action=reverse("gar:assignments_divisions", args=[uai, subscription.pk]),
        )
    if can_assign and individual and Public.ENSEIGNANT in subscription.publics:
        context["teachers_form"] = teachers_form or TeachersForm(
            teachers=_free_teachers(request, subscription),
            action=reverse("gar:assignments_teachers", args=[uai, subscription.pk]),
        )
    if can_assign and not individual:
        context["whole_school"] = not any(
            a.target_kind == TargetKind.ESTABLISHMENT for a in assignments
        )
        context["establishment_size"] = services.establishment_size(subscription)
    return render(request, "gar/assignments/detail.html", context)


def _free_divisions(request, subscription):
    """The classes and groups of the year not yet given this subscription."""
    return (
        selectors.divisions_of(request.establishment, request.school_year)
        .exclude(gar_assignments__subscription=subscription)
        .order_by("kind", "code")
    )


def _free_teachers(request, subscription):
    return selectors.teachers_of(request.establishment, request.school_year).exclude(
        pk__in=subscription.assignments.filter(teacher__isnull=False).values("teacher_id")
    )


@requires("gar.view")
@require_GET
def assignment_detail(request, uai, subscription_id):
    return _detail(request, _subscription(request, subscription_id))


@requires("gar.assign")
@require_POST
def assign_divisions(request, uai, subscription_id):
    subscription = _subscription(request, subscription_id)
    form = DivisionsForm(
        request.POST, divisions=_free_divisions(request, subscription), action=request.path
    )
    if form.is_valid():
        try:
            made = services.assign_divisions(
                subscription=subscription,
                divisions=form.cleaned_data["divisions"],
                user=request.user,
            )
        except services.AssignmentError as exc:
            form.add_error(None, str(exc))
        else:
            licences = sum(a.licences for a in made)
            messages.success(
                request,
                ngettext(
                    "Affecté à %(divisions)s : %(count)s licence(s) élève(s) utilisée(s).",
                    "Affecté à %(divisions)s : %(count)s licence(s) élève(s) utilisée(s).",
                    licences,
                )
                % {"divisions": ", ".join(a.division.code for a in made), "count": licences},
            )
            return redirect(_detail_url(request, subscription))
    return _detail(request, subscription, divisions_form=form)


@requires("gar.assign")
@require_POST
def assign_teachers(request, uai, subscription_id):
    subscription = _subscription(request, subscription_id)
    form = TeachersForm(
        request.POST, teachers=_free_teachers(request, subscription), action=request.path
    )
    if form.is_valid():
        try:
            made = services.assign_teachers(
                subscription=subscription,
                teachers=form.cleaned_data["teachers"],
                user=request.user,
            )
        except services.AssignmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                ngettext(
                    "Affecté à %(count)s enseignant(s).",
                    "Affecté à %(count)s enseignant(s).",
                    len(made),
                )
                % {"count": len(made)},
            )
            return redirect(_detail_url(request, subscription))
    return _detail(request, subscription, teachers_form=form)


@requires("gar.assign")
@require_POST
def assign_establishment(request, uai, subscription_id):
    subscription = _subscription(request, subscription_id)
    try:
        services.assign_establishment(subscription=subscription, user=request.user)
    except services.AssignmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Abonnement affecté à tout l'établissement."))
    return redirect(_detail_url(request, subscription))


@requires("gar.assign")
@require_POST
def assignment_remove(request, uai, subscription_id, assignment_id):
    subscription = _subscription(request, subscription_id)
    assignment = get_object_or_404(subscription.assignments, pk=assignment_id)
    services.assignment_remove(assignment=assignment, user=request.user)
    messages.success(request, _("Affectation retirée : ses licences sont de nouveau disponibles."))
    return redirect(_detail_url(request, subscription))


@requires("gar.assign")
@require_POST
def assignment_copy(request, uai):
    report = services.copy_last_year(
        establishment=request.establishment, school_year=request.school_year, user=request.user
    )
    if not report.subscriptions:
        messages.info(
            request,
            _(
                "Aucune ressource de cette année n'avait d'affectation l'an dernier : "
                "rien à copier."
            ),
        )
    elif report.already:
        messages.success(
            request,
            _("Affectations de l'an dernier — copiées : %(copied)s, déjà présentes : %(already)s.")
            % {"copied": len(report.copied), "already": report.already},
        )
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s affectation de l'an dernier copiée.",
                "%(count)s affectations de l'an dernier copiées.",
                len(report.copied),
            )
            % {"count": len(report.copied)},
        )
    if report.not_copied:
        request.session["gar_copy_not_copied"] = report.not_copied
    return redirect("gar:assignments_list", uai=request.establishment.uai)
