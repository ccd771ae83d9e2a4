"""Follow-up pages of a school: one campaign (counts, heatmap, pupils to act on and their CSV),
a class's history over the years, the 6e attestations, the classes' teaching teams."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pix.access import request_pupil_scope
from pix.models import Campaign, CampaignKind
from rrupn.access.capabilities import requires, roles_grant
from rrupn.accounts.models import Role, RoleAssignment, User
from rrupn.establishments.models import Division, DivisionKind, SchoolYear
from rrupn.spreadsheet import BOM, safe_cell

from . import selectors, services
from .forms import TeamForm


def _campaign(request, campaign_id):
    return get_object_or_404(
        Campaign.objects.select_related("school_year", "owner"),
        establishment=request.establishment,
        pk=campaign_id,
    )


@requires("pix.view")
@require_GET
def followup_campaign(request, uai, campaign_id):
    campaign = _campaign(request, campaign_id)
    scope = request_pupil_scope(request, campaign.school_year)
    lines, summaries = selectors.campaign_lines(campaign, scope)
    totals = selectors.DivisionLine(code="")
    for line in lines:
        for attr in ("participants", "started", "completed", "shared", "certifiable"):
            setattr(totals, attr, getattr(totals, attr) + getattr(line, attr))
        totals.not_started += line.not_started
        totals.not_shared += line.not_shared
        totals.pupil_count += line.pupil_count
        totals.known_absent += line.known_absent
    return render(
        request,
        "pix/followup/campaign.html",
        {
            "campaign": campaign,
            "lines": lines,
            "totals": totals,
            "profiles": campaign.kind == CampaignKind.PROFILES,
            "heatmap": selectors.campaign_heatmap(campaign, summaries),
            "any_pupils_visible": any(line.pupils_visible for line in lines),
            "hidden_codes": [
                line.code or "—"
                for line in lines
                if not line.pupils_visible and (line.not_started or line.not_shared)
            ],
            "can_export": roles_grant(request.roles, "pix.pupils") and not scope.nothing,
        },
    )


CSV_HEADER = ["Classe", "Nom", "Prénom", "Situation", "Progression (%)"]


@requires("pix.pupils")
@require_GET
def followup_campaign_export(request, uai, campaign_id):
    """The pupils to act on (not started, not shared) of the classes the person may see."""
    campaign = _campaign(request, campaign_id)
    scope = request_pupil_scope(request, campaign.school_year)
    if scope.nothing:
        raise PermissionDenied(_("Vous n’êtes dans l’équipe pédagogique d’aucune classe."))
    lines, _summaries = selectors.campaign_lines(campaign, scope)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for line in lines:
        for pupil in line.pupils:
            progression = pupil.progression_percent
            writer.writerow(
                safe_cell(value)
                for value in (
                    pupil.division_code,
                    pupil.last_name,
                    pupil.first_name,
                    pupil.status_label,
                    "" if progression is None else progression,
                )
            )
    response = HttpResponse((BOM + out.getvalue()).encode("utf-8"), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="pix-eleves-a-relancer-{campaign.code}.csv"'
    )
    return response


@requires("pix.view")
@require_GET
def followup_divisions(request, uai):
    """The class codes with Pix results, each leading to its history."""
    return render(
        request,
        "pix/followup/divisions.html",
        {"codes": selectors.known_codes(request.establishment)},
    )


@requires("pix.view")
@require_GET
def followup_division(request, uai, code):
    """Every campaign of one class code over the years (anonymous summaries: kept after purge)."""
    history = selectors.division_history(request.establishment, code)
    assessments = [s for s in history if s.campaign.kind == CampaignKind.ASSESSMENT]
    collections = [s for s in history if s.campaign.kind == CampaignKind.PROFILES]

    def label(summary):
        return f"{summary.campaign.school_year.label} — {summary.campaign.name}"

    heatmaps = [
        (kind, selectors.heatmap(kind, [(label(s), s.competences) for s in rows], total=False))
        for kind, rows in (
            (CampaignKind.ASSESSMENT, assessments),
            (CampaignKind.PROFILES, collections),
        )
        if rows
    ]
    return render(
        request,
        "pix/followup/division.html",
        {
            "code": code,
            "history": [
                (summary, selectors.percent(summary.shared, summary.participants))
                for summary in history
            ],
            "heatmaps": heatmaps,
        },
    )


def _year(request):
    """The school year asked for (?annee=2025), else the current one."""
    raw = request.GET.get("annee", "")
    if raw.isdigit():
        year = SchoolYear.objects.filter(start_year=int(raw)).first()
        if year is not None:
            return year
    return request.school_year


@requires("pix.view")
@require_GET
def followup_sixth(request, uai):
    year = _year(request)
    lines = selectors.sixth_lines(request.establishment, year)
    attestations = sum(line.attestations for line in lines)
    known = [line for line in lines if line.pupils]
    pupils = sum(line.pupils for line in known)
    return render(
        request,
        "pix/followup/sixth.html",
        {
            "year": year,
            "lines": lines,
            "attestations": attestations,
            "pupils": pupils,
            "attestations_percent": selectors.percent(
                sum(line.attestations for line in known), pupils
            ),
            "parcours": selectors.parcours_by_role(),
        },
    )


def _teachers(request):
    ids = (
        RoleAssignment.objects.active(request.school_year)
        .filter(establishment=request.establishment, role=Role.TEACHER)
        .values("user_id")
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name")


def _year_divisions(request):
    return Division.objects.filter(
        establishment=request.establishment, school_year=request.school_year
    ).order_by("kind", "code")


@requires("pix.manage")
@require_GET
def followup_teams(request, uai):
    divisions = _year_divisions(request).prefetch_related("teachers")
    return render(
        request,
        "pix/followup/teams.html",
        {"divisions": divisions, "classes_kind": DivisionKind.DIVISION},
    )


@requires("pix.manage")
@require_http_methods(["GET", "POST"])
def followup_team_edit(request, uai, division_id):
    division = get_object_or_404(_year_divisions(request), pk=division_id)
    form = TeamForm(
        request.POST if request.method == "POST" else None,
        teachers=_teachers(request),
        initial={"teachers": list(division.teachers.all())},
    )
    if request.method == "POST" and form.is_valid():
        changed = services.team_set(
            division=division, teachers=list(form.cleaned_data["teachers"]), user=request.user
        )
        if changed:
            messages.success(
                request,
                _("Équipe pédagogique de %(code)s enregistrée.") % {"code": division.code},
            )
        else:
            messages.info(
                request, _("Équipe pédagogique de %(code)s inchangée.") % {"code": division.code}
            )
        return redirect("pix:followup_teams", uai=request.establishment.uai)
    return render(
        request,
        "pix/followup/team_form.html",
        {"division": division, "form": form},
        status=400 if request.method == "POST" else 200,
    )
