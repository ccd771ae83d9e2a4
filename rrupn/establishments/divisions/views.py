from django.contrib import messages
from django.db.models import Prefetch, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from rrupn.access.capabilities import requires, roles_grant
from rrupn.establishments.models import Division, DivisionKind

from . import importers, services
from .forms import DivisionForm, ImportForm


def _divisions(request):
    return services.divisions_of(request.establishment, request.school_year)


def _classes(request, exclude=None):
    classes = _divisions(request).filter(kind=DivisionKind.DIVISION).order_by("code")
    return classes.exclude(pk=exclude.pk) if exclude else classes


@requires("gar.view")
@require_GET
def division_list(request, uai):
    divisions = _divisions(request).prefetch_related(
        Prefetch("divisions", queryset=Division.objects.order_by("code"))
    )
    pupils = divisions.filter(kind=DivisionKind.DIVISION).aggregate(n=Sum("pupil_count"))["n"]
    return render(
        request,
        "divisions/list.html",
        {
            "divisions": divisions,
            "pupils": pupils or 0,
            "can_manage": roles_grant(request.roles, "divisions.manage"),
        },
    )


def _form_page(request, division=None):
    initial = None
    if division is not None:
        initial = {
            "code": division.code,
            "kind": division.kind,
            "label": division.label,
            "level": division.level,
            "pupil_count": division.pupil_count,
            "members": list(division.divisions.all()),
        }
    form = DivisionForm(
        request.POST or None, initial=initial, classes=_classes(request, exclude=division)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.division_save(
                establishment=request.establishment,
                school_year=request.school_year,
                user=request.user,
                data=form.to_data(),
                division=division,
            )
        except services.DivisionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(kind)s %(code)s enregistré(e).")
                % {"kind": saved.get_kind_display(), "code": saved.code},
            )
            return redirect("divisions:list", uai=request.establishment.uai)
    return render(request, "divisions/form.html", {"form": form, "division": division})


@requires("divisions.manage")
@require_http_methods(["GET", "POST"])
def division_create(request, uai):
    return _form_page(request)


@requires("divisions.manage")
@require_http_methods(["GET", "POST"])
def division_edit(request, uai, division_id):
    return _form_page(request, get_object_or_404(_divisions(request), pk=division_id))


@requires("divisions.manage")
@require_http_methods(["GET", "POST"])
def division_import(request, uai):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = parsed = None
    if request.method == "POST" and form.is_valid():
        text = importers.decode(form.cleaned_data["file"].read())
        parse = (
            importers.parse_ent_export
            if form.cleaned_data["source"] == ImportForm.ENT
            else importers.parse_divisions_csv
        )
        parsed = parse(text)
        result = services.divisions_import(
            establishment=request.establishment,
            school_year=request.school_year,
            user=request.user,
            parsed=parsed,
        )
        if not result.errors:
            messages.success(
                request,
                _(
                    "Import terminé — classes et groupes créés : %(created)s, mis à jour : "
                    "%(updated)s, inchangés : %(unchanged)s."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            if parsed.pupils_without_class:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s élève(s) de l'export sans classe : non comptés.",
                        "%(count)s élève(s) de l'export sans classe : non comptés.",
                        parsed.pupils_without_class,
                    )
                    % {"count": parsed.pupils_without_class},
                )
            return redirect("divisions:list", uai=request.establishment.uai)
    return render(
        request, "divisions/import.html", {"form": form, "result": result, "parsed": parsed}
    )
