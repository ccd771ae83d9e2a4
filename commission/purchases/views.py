from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commission.models import PurchaseProposal, PurchaseState
from rrupn.access.capabilities import requires, roles_grant
from rrupn.audit.models import AuditEntry
from rrupn.dashboard.redirects import redirect_next

from . import services
from .forms import DecisionForm, PurchaseForm
from .selectors import budget_of, proposals_of


def _proposal(request, purchase_id) -> PurchaseProposal:
    """A proposal of the current establishment, or 404."""
    return get_object_or_404(proposals_of(request.establishment), pk=purchase_id)


def _detail_url(proposal) -> str:
    return reverse("commission:purchase_detail", args=[proposal.establishment.uai, proposal.pk])


@requires("purchases.view")
@require_GET
def purchase_list(request, uai):
    year = request.school_year
    proposals = proposals_of(request.establishment).filter(school_year=year)
    return render(
        request,
        "commission/purchases/list.html",
        {
            "proposals": proposals,
            "budget": budget_of(request.establishment, year),
            "can_propose": roles_grant(request.roles, "purchases.propose"),
            "can_decide": roles_grant(request.roles, "purchases.decide"),
        },
    )


@requires("purchases.propose")
@require_http_methods(["GET", "POST"])
def purchase_create(request, uai):
    form = PurchaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.purchase_propose(
                establishment=request.establishment,
                school_year=request.school_year,
                user=request.user,
                roles=request.roles,
                data=form.to_data(),
            )
        except services.PurchaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Proposition d'achat enregistrée : la direction la voit dans ses validations."),
            )
            return redirect(_detail_url(proposal))
    return render(request, "commission/purchases/form.html", {"form": form})


def _detail(request, proposal, decision_form=None):
    history = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PurchaseProposal),
        object_id=str(proposal.pk),
    ).select_related("actor")
    can_decide = (
        roles_grant(request.roles, "purchases.decide") and proposal.state == PurchaseState.PROPOSED
    )
    if can_decide and decision_form is None:
        decision_form = DecisionForm(
            action=reverse(
                "commission:purchase_decide", args=[request.establishment.uai, proposal.pk]
            )
        )
    return render(
        request,
        "commission/purchases/detail.html",
        {
            "proposal": proposal,
            "history": history,
            "decision_form": decision_form if can_decide else None,
        },
    )


@requires("purchases.view")
@require_GET
def purchase_detail(request, uai, purchase_id):
    return _detail(request, _proposal(request, purchase_id))


@requires("purchases.decide")
@require_POST
def purchase_decide(request, uai, purchase_id):
    proposal = _proposal(request, purchase_id)
    form = DecisionForm(request.POST, action=request.path)
    if not form.is_valid():
        return _detail(request, proposal, form)
    try:
        services.purchase_decide(
            proposal=proposal,
            user=request.user,
            roles=request.roles,
            approve=form.approve,
            comment=form.cleaned_data["comment"],
        )
    except services.PurchaseError as exc:
        messages.error(request, str(exc))
    else:
        if form.approve:
            text = _("Proposition d'achat acceptée : son auteur est prévenu.")
        else:
            text = _("Proposition d'achat refusée : son auteur est prévenu.")
        messages.success(request, text)
    return redirect_next(request, _detail_url(proposal))
