from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from maintenance.models import EquipmentNeed, EquipmentState
from rrupn.access.capabilities import requires, roles_grant
from rrupn.audit.models import AuditEntry
from rrupn.audit.services import audit_record
from rrupn.dashboard.redirects import redirect_next

from . import export, services
from .forms import DecisionForm, NeedForm


def _need(request, equipment_need_id) -> EquipmentNeed:
    """A need of the current establishment, or 404."""
    return get_object_or_404(services.needs_of(request.establishment), pk=equipment_need_id)


def _detail_url(need) -> str:
    return reverse("maintenance:equipment_detail", args=[need.establishment.uai, need.pk])


@requires("equipment.propose")
@require_GET
def equipment_list(request, uai):
    year = request.school_year
    return render(
        request,
        "maintenance/equipment/list.html",
        {
            "needs": services.needs_of(request.establishment).filter(school_year=year),
            "totals": services.totals_of(request.establishment, year),
            "can_decide": roles_grant(request.roles, "equipment.validate"),
        },
    )


@requires("equipment.propose")
@require_http_methods(["GET", "POST"])
def equipment_create(request, uai):
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_propose(
                establishment=request.establishment,
                school_year=request.school_year,
                user=request.user,
                roles=request.roles,
                data=form.to_data(),
            )
        except services.EquipmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Besoin enregistré : la direction le voit dans ses validations.")
            )
            return redirect(_detail_url(need))
    return render(request, "maintenance/equipment/form.html", {"form": form})


def _detail(request, need, decision_form=None):
    history = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(EquipmentNeed), object_id=str(need.pk)
    ).select_related("actor")
    can_decide = (
        roles_grant(request.roles, "equipment.validate") and need.state == EquipmentState.PROPOSED
    )
    if can_decide and decision_form is None:
        decision_form = DecisionForm(
            action=reverse(
                "maintenance:equipment_decide", args=[request.establishment.uai, need.pk]
            )
        )
    return render(
        request,
        "maintenance/equipment/detail.html",
        {"need": need, "history": history, "decision_form": decision_form if can_decide else None},
    )


@requires("equipment.propose")
@require_GET
def equipment_detail(request, uai, equipment_need_id):
    return _detail(request, _need(request, equipment_need_id))


@requires("equipment.validate")
@require_POST
def equipment_decide(request, uai, equipment_need_id):
    need = _need(request, equipment_need_id)
    form = DecisionForm(request.POST, action=request.path)
    if not form.is_valid():
        return _detail(request, need, form)
    try:
        services.need_decide(
            need=need,
            user=request.user,
            roles=request.roles,
            validate=form.validate,
            comment=form.cleaned_data["comment"],
        )
    except services.EquipmentError as exc:
        messages.error(request, str(exc))
    else:
        if form.validate:
            text = _("Besoin validé : son auteur est prévenu.")
        else:
            text = _("Besoin refusé : son auteur est prévenu.")
        messages.success(request, text)
    return redirect_next(request, _detail_url(need))


# --- export to the collectivité -----------------------------------------------------------------


@requires("equipment.propose")
@require_GET
def equipment_export_csv(request, uai):
    establishment, year = request.establishment, request.school_year
    response = HttpResponse(
        export.needs_csv(establishment, year), content_type="text/csv; charset=utf-8"
    )
    name = export.download_name(establishment, year, "csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires("equipment.propose")
@require_GET
def equipment_export_pdf(request, uai):
    """The PDF when it is ready; otherwise a page that asks for it, then waits for it."""
    establishment, year = request.establishment, request.school_year
    state, path, error = export.pdf_state(establishment, year)
    if state == "ready":
        return FileResponse(
            default_storage.open(path, "rb"),
            as_attachment=True,
            filename=export.download_name(establishment, year, "pdf"),
            content_type="application/pdf",
        )
    return render(
        request,
        "maintenance/equipment/pdf_wait.html",
        {
            "state": state,
            "error": error,
            "waiting": state == "missing" and request.GET.get("attente") == "1",
            "has_needs": services.has_validated(establishment, year),
        },
    )


@requires("equipment.propose")
@require_POST
def equipment_export_pdf_request(request, uai):
    from .tasks import render_needs_pdf

    establishment, year = request.establishment, request.school_year
    target = reverse("maintenance:equipment_export_pdf", args=[establishment.uai])
    if not services.has_validated(establishment, year):
        messages.error(request, _("Aucun besoin validé cette année : il n'y a rien à exporter."))
        return redirect(reverse("maintenance:equipment_list", args=[establishment.uai]))
    state, path, _error = export.pdf_state(establishment, year)
    if state == "failed":
        export.forget_failure(path)
    if state != "ready":
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action="equipment.export_requested",
                establishment=establishment,
                summary=f"Export PDF des besoins d'équipement {year.label} demandé",
            )
            render_needs_pdf.delay(establishment.pk, year.pk)  # after commit
    return redirect(f"{target}?attente=1")
