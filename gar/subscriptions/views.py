"""Catalogue and subscriptions: the school's resources, manual entry, both CSV imports."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gar.models import GarResource, GarSubscription, Origin
from rrupn.access.capabilities import SRANE, requires, roles_grant
from rrupn.establishments.models import SchoolYear

from . import importers, services
from .forms import CsvUploadForm, SubscriptionForm
from .selectors import (
    edits_catalogue,
    resources_for,
    srane_catalogue,
    subscription_rows,
    years_with_subscriptions,
)


def _list_url(request) -> str:
    return reverse("gar:subscriptions_list", args=[request.establishment.uai])


@requires("gar.view")
@require_GET
def catalogue(request, uai):
    return render(
        request,
        "gar/subscriptions/catalogue.html",
        {
            "entries": resources_for(request.establishment, request.school_year),
            "can_subscribe": roles_grant(request.roles, "gar.subscriptions"),
        },
    )


def _chosen_year(request, years) -> SchoolYear:
    wanted = request.GET.get("annee", "")
    return next((y for y in years if str(y.start_year) == wanted), request.school_year)


@requires("gar.subscriptions")
@require_GET
def subscription_list(request, uai):
    years = years_with_subscriptions(request.establishment)
    year = _chosen_year(request, years)
    return render(
        request,
        "gar/subscriptions/list.html",
        {
            "subscriptions": subscription_rows(request.establishment, year),
            "years": years,
            "year": year,
            "is_current": year.pk == request.school_year.pk,
        },
    )


def _save(request, form, subscription=None):
    try:
        return services.subscription_save(
            establishment=request.establishment,
            school_year=subscription.school_year if subscription else request.school_year,
            user=request.user,
            resource=form.cleaned_data["idRessource"],
            data=form.gar_data(),
            subscription=subscription,
            revision=form.cleaned_data.get("revision") if subscription else None,
        )
    except services.SubscriptionError as exc:
        form.add_rule_errors(exc.errors)
        return None


@requires("gar.subscriptions")
@require_http_methods(["GET", "POST"])
def subscription_create(request, uai):
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _save(request, form):
        messages.success(request, _("Abonnement enregistré."))
        return redirect(_list_url(request))
    return render(request, "gar/subscriptions/form.html", {"form": form, "subscription": None})


@requires("gar.subscriptions")
@require_http_methods(["GET", "POST"])
def subscription_edit(request, uai, subscription_id):
    subscription = get_object_or_404(
        GarSubscription.objects.filter(establishment=request.establishment).select_related(
            "resource", "school_year"
        ),
        pk=subscription_id,
    )
    initial = {
        **services.gar_values(subscription),
        "idRessource": subscription.resource,
        "revision": subscription.revision,
    }
    form = SubscriptionForm(
        request.POST or None, initial=initial, submit_label=_("Enregistrer les modifications")
    )
    # Its resource stays selectable even if the SRANE took it off the catalogue since.
    form.fields["idRessource"].queryset |= GarResource.objects.filter(pk=subscription.resource_id)
    if request.method == "POST" and form.is_valid() and _save(request, form, subscription):
        messages.success(request, _("Abonnement modifié."))
        return redirect(_list_url(request) + f"?annee={subscription.school_year.start_year}")
    return render(
        request, "gar/subscriptions/form.html", {"form": form, "subscription": subscription}
    )


def _import_page(request, *, kind):
    """Both imports: the same upload, checks and result page; `kind` picks the file."""
    is_report = kind == "rapport"
    form = CsvUploadForm(
        request.POST or None,
        request.FILES or None,
        form_id=f"import-{kind}",
        submit_label=_("Importer le rapport") if is_report else _("Importer les abonnements"),
    )
    result = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["fichier"]
        if is_report:
            result = services.assignment_report_import(
                establishment=request.establishment, user=request.user, text=text
            )
        else:
            result = services.subscriptions_import(
                establishment=request.establishment,
                school_year=request.school_year,
                user=request.user,
                text=text,
            )
        if not result.errors:
            messages.success(request, _result_message(result, is_report))
            return redirect(_list_url(request))
    return render(
        request,
        "gar/subscriptions/report_import.html" if is_report else "gar/subscriptions/import.html",
        {
            "form": form,
            "result": result,
            "columns": importers.SUBSCRIPTION_COLUMNS,
            "required": importers.SUBSCRIPTION_REQUIRED,
            "report_columns": importers.REPORT_COLUMNS,
            "sample": importers.sample_subscriptions_csv(),
        },
    )


def _result_message(result, is_report) -> str:
    if is_report:
        # Several counts in one sentence: "label : n" reads right whatever each count is.
        return _(
            "Rapport d'affectation importé — abonnements mis à jour : %(updated)s, "
            "inchangés : %(unchanged)s."
        ) % {"updated": result.updated, "unchanged": result.unchanged}
    return _(
        "Import terminé — abonnements créés : %(created)s, modifiés : %(updated)s, "
        "inchangés : %(unchanged)s."
    ) % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


@requires("gar.subscriptions")
@require_http_methods(["GET", "POST"])
def subscription_import(request, uai):
    return _import_page(request, kind="abonnements")


@requires("gar.subscriptions")
@require_http_methods(["GET", "POST"])
def report_import(request, uai):
    return _import_page(request, kind="rapport")


@requires("gar.subscriptions")
@require_GET
def import_sample(request, uai):
    response = HttpResponse(
        "\ufeff" + importers.sample_subscriptions_csv(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="abonnements-gar-modele.csv"'
    return response


@requires(SRANE)
@require_GET
def srane_catalogue_page(request):
    origin = request.GET.get("origine", "")
    return render(
        request,
        "gar/subscriptions/srane_catalogue.html",
        {
            "resources": srane_catalogue(
                departments=request.access.srane_departments,
                school_year=request.school_year,
                origin=origin,
            ),
            "origins": Origin.choices,
            "origin": origin,
            "can_edit": edits_catalogue(request),
        },
    )
