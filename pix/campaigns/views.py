"""The Pix home page (the school's campaigns over the years) and campaigns by hand."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pix.models import Campaign
from rrupn.access.capabilities import requires, roles_grant

from . import selectors, services
from .forms import CampaignForm


def _campaign(request, campaign_id) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("school_year", "owner"),
        establishment=request.establishment,
        pk=campaign_id,
    )


def _optional_url(name, *args) -> str:
    """A page of another Pix part, or "" while that part has not added it."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@requires("pix.view")
@require_GET
def campaigns_list(request, uai):
    years = selectors.campaign_years(request.establishment)
    wanted = request.GET.get("annee", "")
    year = next((y for y in years if str(y.start_year) == wanted), None)
    return render(
        request,
        "pix/campaigns/list.html",
        {
            "campaigns": selectors.campaign_rows(request.establishment, year),
            "years": years,
            "year": year,
            "can_import": roles_grant(request.roles, "pix.import"),
        },
    )


@requires("pix.view")
@require_GET
def campaigns_detail(request, uai, campaign_id):
    campaign = _campaign(request, campaign_id)
    return render(
        request,
        "pix/campaigns/detail.html",
        {
            "campaign": campaign,
            "divisions": list(campaign.divisions.order_by("code")),
            "imports": selectors.campaign_imports(campaign),
            "can_import": roles_grant(request.roles, "pix.import"),
            "followup_url": _optional_url("pix:followup_campaign", uai, campaign.pk),
        },
    )


def _form_page(request, campaign=None):
    form = CampaignForm(
        request.POST or None,
        instance=campaign,
        establishment=request.establishment,
        school_year=request.school_year,
    )
    if request.method == "POST" and form.is_valid():
        saved = services.campaign_save(form, establishment=request.establishment, user=request.user)
        messages.success(
            request,
            _("Campagne modifiée.") if campaign else _("Campagne créée."),
        )
        return redirect("pix:campaigns_detail", request.establishment.uai, saved.pk)
    return render(request, "pix/campaigns/form.html", {"form": form, "campaign": campaign})


@requires("pix.import")
@require_http_methods(["GET", "POST"])
def campaigns_create(request, uai):
    return _form_page(request)


@requires("pix.import")
@require_http_methods(["GET", "POST"])
def campaigns_edit(request, uai, campaign_id):
    return _form_page(request, _campaign(request, campaign_id))
