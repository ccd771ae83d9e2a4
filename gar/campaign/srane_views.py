"""The SRANE's campaign page: progress school by school, reminders, the due date."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from rrupn.access import capabilities as caps
from rrupn.access.capabilities import requires
from rrupn.establishments.models import Department, Establishment

from . import services
from .forms import DueDateForm
from .selectors import campaign_of, days_left, school_lines


def _scope(request, chosen: str):
    """The establishments of the SRANE's scope, narrowed to one département on request."""
    departments = request.access.srane_departments
    if chosen not in departments:
        chosen = ""
    establishments = Establishment.objects.filter(
        department__in=(chosen,) if chosen else departments
    ).order_by("name")
    return establishments, chosen


def _back(department: str) -> str:
    url = reverse("gar_srane:campaign")
    return f"{url}?departement={department}" if department else url


def _due_form(campaign) -> DueDateForm:
    return DueDateForm(
        initial={"due_on": campaign.due_on, "reminder_every_days": campaign.reminder_every_days},
        action=reverse("gar_srane:campaign_due_date"),
    )


def _page(request, due_form=None, status=200):
    establishments, chosen = _scope(request, request.GET.get("departement", ""))
    current = campaign_of(request.school_year)
    lines = school_lines(current, list(establishments))
    page = Paginator(lines, 100).get_page(request.GET.get("page"))
    academie = request.access.is_academie
    return render(
        request,
        "gar/campaign/srane.html",
        {
            "campaign": current,
            "days_left": days_left(current),
            "page": page,
            "late_count": sum(line.late for line in lines),
            "complete_count": sum(line.progress.complete for line in lines),
            "school_count": len(lines),
            "department": chosen,
            "department_choices": [
                (value, label)
                for value, label in Department.choices
                if value in request.access.srane_departments
            ],
            "due_form": (due_form or _due_form(current)) if academie else None,
        },
        status=status,
    )


@requires(caps.SRANE)
@require_GET
def campaign(request):
    return _page(request)


@requires(caps.SRANE)
@require_POST
def campaign_due_date(request):
    form = DueDateForm(request.POST, action=reverse("gar_srane:campaign_due_date"))
    if not form.is_valid():
        return _page(request, due_form=form, status=400)
    try:
        updated = services.campaign_set_due_date(
            school_year=request.school_year,
            due_on=form.cleaned_data["due_on"],
            reminder_every_days=form.cleaned_data["reminder_every_days"],
            user=request.user,
            is_academie=request.access.is_academie,
        )
    except services.CampaignError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Date limite de la campagne GAR : %(date)s.")
            % {"date": updated.due_on.strftime("%d/%m/%Y")},
        )
    return redirect(reverse("gar_srane:campaign"))


@requires(caps.SRANE)
@require_POST
def campaign_remind_late(request):
    establishments, chosen = _scope(request, request.POST.get("departement", ""))
    report = services.campaign_remind_late(
        school_year=request.school_year, establishments=establishments, user=request.user
    )
    if report.sent:
        messages.success(
            request,
            ngettext(
                "%(count)s établissement en retard relancé.",
                "%(count)s établissements en retard relancés.",
                len(report.sent),
            )
            % {"count": len(report.sent)},
        )
    if report.recent:
        messages.info(
            request,
            ngettext(
                "%(count)s établissement déjà relancé aujourd'hui.",
                "%(count)s établissements déjà relancés aujourd'hui.",
                len(report.recent),
            )
            % {"count": len(report.recent)},
        )
    if report.unreachable:
        messages.warning(
            request,
            _("Personne à relancer (ni responsable, ni RRUPN, ni chef d'établissement) : %(names)s")
            % {"names": ", ".join(report.unreachable)},
        )
    if not (report.sent or report.recent or report.unreachable):
        messages.info(request, _("Aucun établissement en retard : personne à relancer."))
    return redirect(_back(chosen))


@requires(caps.SRANE)
@require_POST
def campaign_remind(request, uai):
    establishment = request.establishment  # in the SRANE's scope, else 404 (middleware)
    try:
        services.campaign_remind_school(
            school_year=request.school_year, establishment=establishment, user=request.user
        )
    except services.CampaignError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s relancé.") % {"name": establishment.name})
    department = request.POST.get("departement", "")
    return redirect(_back(department if department in request.access.srane_departments else ""))
