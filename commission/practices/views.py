from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commission.models import RemarkablePractice
from rrupn.access import capabilities as caps
from rrupn.access.capabilities import requires, roles_grant
from rrupn.establishments.models import Department

from . import services
from .forms import PracticeForm
from .selectors import practices_of, shared_disciplines, shared_practices, staff_of

PER_PAGE = 20


def _practice(request, practice_id) -> RemarkablePractice:
    """A practice of the current establishment, or 404."""
    return get_object_or_404(practices_of(request.establishment), pk=practice_id)


def _to_list(request):
    return redirect("commission:practice_list", uai=request.establishment.uai)


@requires("commission.view")
@require_GET
def practice_list(request, uai):
    page = Paginator(
        practices_of(request.establishment).order_by("-created_at", "-pk"), PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "commission/practices/list.html",
        {"page": page, "can_manage": roles_grant(request.roles, "commission.manage")},
    )


def _save(request, practice=None):
    year = practice.school_year if practice else request.school_year
    staff = staff_of(request.establishment, year)
    label = "Enregistrer" if practice else "Enregistrer la pratique"
    if request.method == "POST":
        form = PracticeForm(request.POST, staff=staff, submit_label=label)
    elif practice is not None:
        form = PracticeForm(
            initial=PracticeForm.initial_from(practice), staff=staff, submit_label=label
        )
    else:
        initial = {"author": request.user.pk, "discipline": request.user.discipline}
        form = PracticeForm(initial=initial, staff=staff, submit_label=label)
    if request.method == "POST" and form.is_valid():
        try:
            if practice is None:
                services.practice_create(
                    establishment=request.establishment,
                    school_year=year,
                    user=request.user,
                    roles=request.roles,
                    data=form.to_data(),
                )
            else:
                services.practice_update(
                    practice=practice, user=request.user, roles=request.roles, data=form.to_data()
                )
        except services.PracticeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Pratique remarquable enregistrée."))
            return _to_list(request)
    return render(request, "commission/practices/form.html", {"form": form, "practice": practice})


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def practice_create(request, uai):
    return _save(request)


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def practice_edit(request, uai, practice_id):
    return _save(request, _practice(request, practice_id))


@requires("commission.manage")
@require_POST
def practice_share(request, uai, practice_id):
    practice = _practice(request, practice_id)
    try:
        services.practice_share(practice=practice, user=request.user, roles=request.roles)
    except services.PracticeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("« %(title)s » est partagée avec le SRANE.") % {"title": practice.title}
        )
    return _to_list(request)


@requires("commission.manage")
@require_POST
def practice_unshare(request, uai, practice_id):
    practice = _practice(request, practice_id)
    try:
        services.practice_unshare(practice=practice, user=request.user, roles=request.roles)
    except services.PracticeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("« %(title)s » n'est plus partagée avec le SRANE.") % {"title": practice.title},
        )
    return _to_list(request)


@requires(caps.SRANE)
@require_GET
def practice_feed(request):
    """Practices shared by the schools in this person's scope, newest first."""
    departments = request.access.srane_departments
    department = request.GET.get("departement", "")
    if department not in departments:
        department = ""
    disciplines = shared_disciplines((department,) if department else departments)
    discipline = request.GET.get("discipline", "")
    if discipline.casefold() not in {d.casefold() for d in disciplines}:
        discipline = ""
    practices = shared_practices(departments, department=department, discipline=discipline)
    page = Paginator(practices, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "commission/practices/srane_feed.html",
        {
            "page": page,
            "department": department,
            "discipline": discipline,
            "disciplines": disciplines,
            "department_choices": [
                (value, label) for value, label in Department.choices if value in departments
            ],
        },
    )
