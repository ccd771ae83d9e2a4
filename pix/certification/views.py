"""Certification sessions (décret 2019-919) and the readiness of the classes that sit it.

Every staff member reads them ("pix.view": counts only, no pupil name); the direction and the
RRUPN plan, change and delete sessions ("pix.manage").
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rrupn.access.capabilities import requires
from rrupn.establishments.models import SchoolYear

from ..crcn import SCORE_BANDS
from . import selectors, services
from .forms import SessionForm


def _to_list(request):
    return redirect("pix:certification_sessions", uai=request.establishment.uai)


def _session(request, session_id):
    """A session of the current school and school year, or 404 (earlier years are read-only)."""
    return get_object_or_404(
        selectors.sessions_of(request.establishment).filter(school_year=request.school_year),
        pk=session_id,
    )


def _chosen_year(request):
    years = list(
        SchoolYear.objects.filter(
            pk__in=selectors.sessions_of(request.establishment).values("school_year")
        )
    )
    current = request.school_year
    if current.pk not in {year.pk for year in years}:
        years.append(current)
    years.sort(key=lambda year: -year.start_year)
    wanted = request.GET.get("annee", "")
    chosen = next((year for year in years if str(year.start_year) == wanted), current)
    return chosen, years


@requires("pix.view")
@require_GET
def sessions(request, uai):
    year, years = _chosen_year(request)
    rows = list(selectors.sessions_of_year(request.establishment, year))
    bands = [(key, label) for key, label, _low, _high in SCORE_BANDS]
    for session in rows:
        session.bands_display = [
            (label, session.score_bands[key])
            for key, label in bands
            if session.score_bands.get(key)
        ]
    return render(
        request,
        "pix/certification/sessions.html",
        {
            "sessions": rows,
            "year": year,
            "years": years,
            "is_current": year.pk == request.school_year.pk,
        },
    )


@requires("pix.manage")
@require_http_methods(["GET", "POST"])
def session_create(request, uai):
    establishment, year = request.establishment, request.school_year
    form = SessionForm(request.POST or None, establishment=establishment, school_year=year)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                establishment=establishment,
                school_year=year,
                user=request.user,
                roles=request.roles,
                data=form.to_data(),
            )
        except services.CertificationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Session de certification enregistrée : %(s)s.") % {"s": session}
            )
            return _to_list(request)
    return render(request, "pix/certification/form.html", {"form": form, "session": None})


@requires("pix.manage")
@require_http_methods(["GET", "POST"])
def session_edit(request, uai, session_id):
    session = _session(request, session_id)
    establishment, year = request.establishment, request.school_year
    if request.method == "POST":
        form = SessionForm(request.POST, establishment=establishment, school_year=year)
        if form.is_valid():
            try:
                services.session_update(
                    session=session, user=request.user, roles=request.roles, data=form.to_data()
                )
            except services.CertificationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("Session de certification enregistrée : %(s)s.") % {"s": session}
                )
                return _to_list(request)
    else:
        form = SessionForm(establishment=establishment, school_year=year, session=session)
    return render(request, "pix/certification/form.html", {"form": form, "session": session})


@requires("pix.manage")
@require_http_methods(["GET", "POST"])
def session_delete(request, uai, session_id):
    session = _session(request, session_id)
    if request.method == "POST":
        label = str(session)
        try:
            services.session_delete(session=session, user=request.user, roles=request.roles)
        except services.CertificationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Session de certification supprimée : %(s)s.") % {"s": label}
            )
        return _to_list(request)
    return render(request, "pix/certification/delete.html", {"session": session})


@requires("pix.view")
@require_GET
def readiness(request, uai):
    return render(
        request,
        "pix/certification/readiness.html",
        {"levels": selectors.readiness(request.establishment, request.school_year)},
    )
