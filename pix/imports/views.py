"""Upload a Pix Orga export → preview of what will change → confirm (issue 7, part 3)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pix.models import Campaign, CampaignKind
from rrupn.access.capabilities import requires
from rrupn.establishments.services import RowError

from . import pending, services
from .forms import UploadForm


def _expected_campaign(request):
    """The campaign whose page sent the person here (?campagne=), if any."""
    wanted = request.GET.get("campagne", "")
    if not wanted.isdigit():
        return None
    return (
        Campaign.objects.filter(establishment=request.establishment, pk=int(wanted))
        .select_related("school_year")
        .first()
    )


@requires("pix.import")
@require_http_methods(["GET", "POST"])
def imports_upload(request, uai):
    expected = _expected_campaign(request)
    bound = request.method == "POST"
    form = UploadForm(request.POST if bound else None, request.FILES if bound else None)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["fichier"]
        plan = services.preview(request.establishment, data)
        errors = plan.errors
        if not errors and expected and plan.export.code != expected.code:
            errors = [
                RowError(
                    2,
                    "Code",
                    _(
                        "ce fichier est l’export de la campagne %(code)s, pas de la campagne "
                        "%(expected)s : vérifiez le fichier téléchargé de Pix Orga"
                    )
                    % {"code": plan.export.code or "?", "expected": expected.code},
                )
            ]
        if not errors:
            token = pending.keep(request, data, form.file_name)
            return redirect("pix:imports_preview", request.establishment.uai, token)
    return render(
        request,
        "pix/imports/upload.html",
        {"form": form, "errors": errors, "expected": expected},
    )


@requires("pix.import")
@require_http_methods(["GET", "POST"])
def imports_preview(request, uai, token):
    loaded = pending.load(request, token)
    if loaded is None:
        messages.error(
            request,
            _("Le fichier déposé n’est plus disponible : déposez-le de nouveau."),
        )
        return redirect("pix:imports_upload", request.establishment.uai)
    data, meta = loaded
    if request.method == "POST":
        try:
            outcome = services.apply(
                request.establishment,
                data,
                file_name=meta["name"],
                user=request.user,
                record_name=True,
            )
        except services.ImportRefused as refused:
            pending.discard(request, token)
            return render(
                request,
                "pix/imports/upload.html",
                {"form": UploadForm(), "errors": refused.errors, "expected": None},
            )
        pending.discard(request, token)
        counts = outcome.plan.counts()
        messages.success(
            request,
            _(
                "Import terminé — élèves ajoutés : %(created)s, mis à jour : %(updated)s, "
                "inchangés : %(unchanged)s."
            )
            % counts,
        )
        return redirect("pix:campaigns_detail", request.establishment.uai, outcome.campaign.pk)
    plan = services.preview(request.establishment, data)
    if plan.errors:  # the campaign changed since the upload (its type, its identifier)
        pending.discard(request, token)
        return render(
            request,
            "pix/imports/upload.html",
            {"form": UploadForm(), "errors": plan.errors, "expected": None},
        )
    return render(
        request,
        "pix/imports/preview.html",
        {
            "plan": plan,
            "export": plan.export,
            "counts": plan.counts(),
            "file_name": meta["name"],
            "profiles": plan.export.kind == CampaignKind.PROFILES,
        },
    )
