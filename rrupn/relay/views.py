"""The relay's pages: the SRANE's announcements (list with read counts, form, who has read,
CSV), the RRUPN's list and "mark as read", and the SRANE contacts page."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rrupn.access import capabilities as caps
from rrupn.access.capabilities import requires
from rrupn.dashboard.redirects import redirect_next
from rrupn.establishments.models import Department
from rrupn.spreadsheet import BOM, safe_cell

from . import selectors, services
from .forms import AnnouncementForm
from .models import SraneContact

PER_PAGE = 20


# --- SRANE -------------------------------------------------------------------------------


def _managed(request, announcement_id):
    """An announcement this SRANE person manages, or 404 (another département's does not
    exist for them)."""
    return get_object_or_404(selectors.managed_by(request.access), pk=announcement_id)


@requires(caps.SRANE)
@require_GET
def srane_list(request):
    page = Paginator(
        selectors.managed_by(request.access)
        .select_related("author")
        .order_by("-published_at", "-pk"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    counts = selectors.read_counts(page.object_list, request.school_year)
    now = timezone.now()
    rows = [(a, a.state(now), *counts[a.pk]) for a in page.object_list]
    return render(request, "relay/srane_list.html", {"page": page, "rows": rows})


def _save(request, announcement=None):
    label = _("Enregistrer") if announcement else _("Publier l’annonce")
    options = {"access": request.access, "submit_label": label, "with_email": not announcement}
    if request.method == "POST":
        form = AnnouncementForm(request.POST, **options)
    elif announcement is not None:
        form = AnnouncementForm(initial=AnnouncementForm.initial_from(announcement), **options)
    else:
        form = AnnouncementForm(**options)
    if request.method == "POST" and form.is_valid():
        try:
            if announcement is None:
                announcement = services.announcement_publish(
                    access=request.access,
                    user=request.user,
                    data=form.to_data(),
                    email=form.cleaned_data.get("email", False),
                )
                messages.success(request, _("Annonce publiée."))
            else:
                services.announcement_update(
                    announcement=announcement,
                    access=request.access,
                    user=request.user,
                    data=form.to_data(),
                )
                messages.success(request, _("Annonce modifiée."))
        except services.RelayError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("relay_srane:detail", announcement_id=announcement.pk)
    return render(request, "relay/form.html", {"form": form, "announcement": announcement})


@requires(caps.SRANE)
@require_http_methods(["GET", "POST"])
def srane_create(request):
    return _save(request)


@requires(caps.SRANE)
@require_http_methods(["GET", "POST"])
def srane_edit(request, announcement_id):
    announcement = _managed(request, announcement_id)
    if announcement.archived_at:
        messages.error(request, _("Cette annonce est retirée : elle ne peut plus être modifiée."))
        return redirect("relay_srane:detail", announcement_id=announcement.pk)
    return _save(request, announcement)


@requires(caps.SRANE)
@require_POST
def srane_archive(request, announcement_id):
    announcement = _managed(request, announcement_id)
    try:
        services.announcement_archive(
            announcement=announcement, access=request.access, user=request.user
        )
    except services.RelayError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("« %(title)s » est retirée : les RRUPN ne la voient plus.")
            % {"title": announcement.title},
        )
    return redirect("relay_srane:detail", announcement_id=announcement.pk)


@requires(caps.SRANE)
@require_GET
def srane_detail(request, announcement_id):
    announcement = _managed(request, announcement_id)
    rows = selectors.read_rows(announcement, request.school_year)
    readers = {row.user.pk for row in rows if row.read_at}
    return render(
        request,
        "relay/srane_detail.html",
        {
            "announcement": announcement,
            "state": announcement.state(),
            "rows": rows,
            "read_count": len(readers),
            "audience_count": len({row.user.pk for row in rows}),
        },
    )


@requires(caps.SRANE)
@require_GET
def srane_reads_csv(request, announcement_id):
    announcement = _managed(request, announcement_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="annonce-{announcement.pk}-lectures.csv"'
    )
    response.write(BOM)
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [_("Département"), _("UAI"), _("Établissement"), _("RRUPN"), _("Courriel"), _("Lue le")]
    )
    for row in selectors.read_rows(announcement, request.school_year):
        read_at = timezone.localtime(row.read_at).strftime("%d/%m/%Y %H:%M") if row.read_at else ""
        writer.writerow(
            [
                safe_cell(cell)
                for cell in (
                    row.establishment.department,
                    row.establishment.uai,
                    row.establishment.name,
                    row.user.get_full_name() or row.user.email,
                    row.user.email,
                    read_at or _("non lue"),
                )
            ]
        )
    return response


# --- RRUPN -------------------------------------------------------------------------------


@requires("relay.read")
@require_GET
def rrupn_list(request, uai):
    departments = selectors.rrupn_departments(request.access)
    page = Paginator(selectors.visible_to(request.user, departments), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "relay/list.html", {"page": page})


@requires("relay.read")
@require_POST
def mark_read(request, uai, announcement_id):
    departments = selectors.rrupn_departments(request.access)
    announcement = get_object_or_404(
        selectors.visible_to(request.user, departments), pk=announcement_id
    )
    services.announcement_mark_read(announcement=announcement, user=request.user)
    messages.success(
        request, _("« %(title)s » est marquée comme lue.") % {"title": announcement.title}
    )
    return redirect_next(request, "relay:list", uai=uai)


# --- Everybody ---------------------------------------------------------------------------


@requires(caps.AUTHENTICATED)
@require_GET
def contacts(request):
    """The SRANE team per département: for anybody with a role or a SRANE scope."""
    access = request.access
    if not (access.establishments or access.srane_departments):
        raise PermissionDenied
    by_department = {value: [] for value in ["", *Department.values]}
    for contact in SraneContact.objects.all():
        by_department[contact.department].append(contact)
    sections = [(_("Toute l’académie"), by_department[""])] + [
        (label, by_department[value]) for value, label in Department.choices
    ]
    return render(
        request,
        "relay/contacts.html",
        {"sections": sections, "empty": not any(c for _l, c in sections)},
    )
