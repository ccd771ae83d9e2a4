"""The RGPD register: every staff member reads it, the direction and the RRUPN keep it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rrupn.access.capabilities import requires

from . import services
from .forms import ActivityForm, SuggestionForm
from .selectors import activities_of, data_controllers, dpd_contact
from .suggestions import SUGGESTIONS, suggestion_initial


def _register_context(request) -> dict:
    establishment = request.establishment
    return {
        "activities": activities_of(establishment),
        "controllers": data_controllers(establishment, request.school_year),
        "dpd": dpd_contact(),
    }


def _to_register(request):
    return redirect("commission:rgpd_register", uai=request.establishment.uai)


def _activity(request, activity_id):
    return get_object_or_404(activities_of(request.establishment), pk=activity_id)


@requires("commission.view")
@require_GET
def rgpd_register(request, uai):
    context = _register_context(request)
    context["suggestion_form"] = SuggestionForm(
        action=reverse("commission:rgpd_create", args=[uai])
    )
    return render(request, "commission/rgpd/register.html", context)


@requires("commission.view")
@require_GET
def rgpd_print(request, uai):
    context = _register_context(request)
    context["printed_on"] = timezone.localdate()
    return render(request, "commission/rgpd/print.html", context)


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def rgpd_create(request, uai):
    if request.method == "POST":
        form = ActivityForm(request.POST)
        if form.is_valid():
            try:
                activity = services.activity_create(
                    establishment=request.establishment,
                    user=request.user,
                    roles=request.roles,
                    data=form.to_data(),
                )
            except services.RegisterError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Traitement « %(name)s » ajouté au registre.") % {"name": activity.name},
                )
                return _to_register(request)
        suggestion = None
    else:
        key = request.GET.get("modele", "")
        initial = suggestion_initial(key, request.establishment)
        if key and initial is None:
            messages.error(request, _("Ce modèle de traitement n'existe pas."))
        suggestion = SUGGESTIONS[key][0] if initial else None
        form = ActivityForm(initial=initial or {})
    return render(
        request,
        "commission/rgpd/form.html",
        {"form": form, "activity": None, "suggestion": suggestion},
    )


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def rgpd_edit(request, uai, activity_id):
    activity = _activity(request, activity_id)
    if request.method == "POST":
        form = ActivityForm(request.POST, activity=activity)
        if form.is_valid():
            try:
                services.activity_update(
                    activity=activity,
                    user=request.user,
                    roles=request.roles,
                    version=form.cleaned_data["version"],
                    data=form.to_data(),
                )
            except services.RegisterError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("Traitement « %(name)s » enregistré.") % {"name": activity.name}
                )
                return _to_register(request)
    else:
        form = ActivityForm(activity=activity)
    return render(request, "commission/rgpd/form.html", {"form": form, "activity": activity})


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def rgpd_delete(request, uai, activity_id):
    activity = _activity(request, activity_id)
    if request.method == "POST":
        try:
            services.activity_delete(activity=activity, user=request.user, roles=request.roles)
        except services.RegisterError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Traitement « %(name)s » retiré du registre.") % {"name": activity.name},
            )
        return _to_register(request)
    return render(request, "commission/rgpd/delete.html", {"activity": activity})
