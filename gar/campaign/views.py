"""The school's campaign checklist and its responsables d'affectation page."""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gar.models import DesignationState, GarSubscription, RespAffectation
from rrupn.access.capabilities import requires, roles_grant
from rrupn.accounts.models import Role
from rrupn.dashboard.redirects import redirect_next

from . import responsables as designations
from . import services
from .forms import DesignationDecisionForm, DesignationForm
from .selectors import (
    campaign_of,
    days_left,
    designations_of,
    is_late,
    last_reminders,
    progress_by_establishment,
    staff_of,
    subscriptions_of_year,
)

# Lycée connecté exports at most this many responsables to the GAR (sso_gar.md §C).
LYCEE_CONNECTE_EXPORT_LIMIT = 15
ENT_PROCEDURES = {"lycee-connecte": "lycee_connecte", "ent-creuse": "ent_creuse"}


def _campaign_url(request) -> str:
    return reverse("gar:campaign", args=[request.establishment.uai])


def _responsables_url(request) -> str:
    return reverse("gar:campaign_responsables", args=[request.establishment.uai])


@requires("gar.view")
@require_GET
def campaign(request, uai):
    establishment, year = request.establishment, request.school_year
    current = campaign_of(year)
    progress = progress_by_establishment([establishment.pk], year)[establishment.pk]
    left = days_left(current)
    return render(
        request,
        "gar/campaign/checklist.html",
        {
            "campaign": current,
            "progress": progress,
            "late": is_late(current, progress),
            "days_left": left,
            "late_by": max(-left, 0),
            "subscriptions": subscriptions_of_year(establishment, year),
            "last_reminder": last_reminders(current, [establishment.pk]).get(establishment.pk),
            "can_mark": roles_grant(request.roles, "gar.assign"),
        },
    )


@requires("gar.assign")
@require_POST
def campaign_done(request, uai, subscription_id):
    subscription = get_object_or_404(
        GarSubscription.objects.select_related("resource"),
        establishment=request.establishment,
        school_year=request.school_year,
        pk=subscription_id,
    )
    done = request.POST.get("done") == "1"
    try:
        services.subscription_mark_done(
            subscription=subscription, user=request.user, roles=request.roles, done=done
        )
    except services.CampaignError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            (
                _("« %(resource)s » : affectations marquées faites.")
                if done
                else _("« %(resource)s » : de nouveau à faire.")
            )
            % {"resource": subscription.resource},
        )
    return redirect(_campaign_url(request) + f"#abonnement-{subscription.pk}")


# --- responsables d'affectation ---------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    designation: RespAffectation
    can_withdraw: bool
    can_confirm: bool
    decision_form: DesignationDecisionForm | None


def _rows(request, live) -> list[Row]:
    user, roles = request.user, request.roles
    direction = roles_grant(roles, "gar.designate")
    rows = []
    for designation in live:
        own = designation.user_id == user.pk
        waiting = designation.state == DesignationState.PROPOSED
        rows.append(
            Row(
                designation=designation,
                can_withdraw=direction or own,
                can_confirm=designation.state == DesignationState.DESIGNATED
                and designation.done_in_ent_at is None
                and (own or direction or Role.ADMIN_ENT in roles),
                decision_form=DesignationDecisionForm(prefix=f"d{designation.pk}")
                if waiting and direction
                else None,
            )
        )
    return rows


def _responsables(request, form=None, status=200):
    establishment, year = request.establishment, request.school_year
    all_designations = list(designations_of(establishment, year))
    live = [d for d in all_designations if d.state in designations.LIVE]
    staff, roles_by_user = staff_of(establishment, year)
    can_choose = roles_grant(request.roles, "gar.designate") or roles_grant(
        request.roles, "gar.assign"
    )
    action = reverse("gar:campaign_designate", args=[establishment.uai])
    if can_choose and form is None:
        form = DesignationForm(staff=staff, roles_by_user=roles_by_user, action=action)
    designated = [d for d in live if d.state == DesignationState.DESIGNATED]
    ent = establishment.ent
    procedure = ENT_PROCEDURES.get(ent.code, "other") if ent else "edugar"
    mine = next((d for d in live if d.user_id == request.user.pk), None)
    return render(
        request,
        "gar/campaign/responsables.html",
        {
            "rows": _rows(request, live),
            "past": [d for d in all_designations if d.state not in designations.LIVE],
            "designated_count": len(designated),
            "form": form if can_choose else None,
            "designate_action": action,
            "mine": mine,
            "i_am_eligible": designations.is_eligible(request.roles),
            "ent": ent,
            "procedure": procedure,
            "export_limit": LYCEE_CONNECTE_EXPORT_LIMIT,
            "over_limit": procedure == "lycee_connecte"
            and len(designated) > LYCEE_CONNECTE_EXPORT_LIMIT,
        },
        status=status,
    )


@requires("gar.view")
@require_GET
def responsables(request, uai):
    return _responsables(request)


@requires("gar.view")
@require_POST
def designate(request, uai):
    establishment, year = request.establishment, request.school_year
    staff, roles_by_user = staff_of(establishment, year)
    form = DesignationForm(
        request.POST,
        staff=staff,
        roles_by_user=roles_by_user,
        action=reverse("gar:campaign_designate", args=[uai]),
    )
    if not form.is_valid():
        if not (
            roles_grant(request.roles, "gar.designate") or roles_grant(request.roles, "gar.assign")
        ):
            messages.error(request, _("Choisissez une personne de l'établissement."))
            return redirect(_responsables_url(request))
        return _responsables(request, form, status=400)
    try:
        designation = designations.responsable_designate(
            establishment=establishment,
            school_year=year,
            person=form.cleaned_data["person"],
            user=request.user,
            roles=request.roles,
        )
    except designations.DesignationError as exc:
        messages.error(request, str(exc))
    else:
        if designation.state == DesignationState.DESIGNATED:
            messages.success(
                request,
                _(
                    "%(user)s est responsable d'affectation GAR pour l'année : "
                    "reste à le faire dans l'ENT (procédure ci-dessous)."
                )
                % {"user": designation.user},
            )
        else:
            messages.success(
                request,
                _(
                    "Désignation de %(user)s proposée : le chef d'établissement la "
                    "voit dans ses validations."
                )
                % {"user": designation.user},
            )
    return redirect(_responsables_url(request))


def _designation(request, designation_id) -> RespAffectation:
    return get_object_or_404(
        RespAffectation.objects.select_related("user", "establishment", "school_year"),
        establishment=request.establishment,
        pk=designation_id,
    )


@requires("gar.designate")
@require_POST
def decide(request, uai, designation_id):
    designation = _designation(request, designation_id)
    form = DesignationDecisionForm(request.POST, prefix=f"d{designation.pk}")
    if not form.is_valid():
        messages.error(request, _("Choisissez « Accepter » ou « Refuser »."))
        return redirect_next(request, _responsables_url(request))
    try:
        designations.responsable_decide(
            designation=designation,
            user=request.user,
            roles=request.roles,
            approve=form.approve,
            comment=form.cleaned_data["comment"],
        )
    except designations.DesignationError as exc:
        messages.error(request, str(exc))
    else:
        if form.approve:
            text = _("Désignation de %(user)s acceptée.")
        else:
            text = _("Désignation de %(user)s refusée.")
        messages.success(request, text % {"user": designation.user})
    return redirect_next(request, _responsables_url(request))


@requires("gar.view")
@require_POST
def withdraw(request, uai, designation_id):
    designation = _designation(request, designation_id)
    try:
        designations.responsable_withdraw(
            designation=designation, user=request.user, roles=request.roles
        )
    except designations.DesignationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Désignation de %(user)s retirée.") % {"user": designation.user}
        )
    return redirect(_responsables_url(request))


@requires("gar.view")
@require_POST
def ent_done(request, uai, designation_id):
    designation = _designation(request, designation_id)
    try:
        designations.responsable_confirm_ent(
            designation=designation, user=request.user, roles=request.roles
        )
    except designations.DesignationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("C'est fait dans l'ENT pour %(user)s.") % {"user": designation.user}
        )
    return redirect(_responsables_url(request))
