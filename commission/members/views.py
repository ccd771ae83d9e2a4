"""Pages of the commission: composition, meetings (attendance, minutes, PDF), actions."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rrupn.access.capabilities import requires, roles_grant
from rrupn.dashboard.redirects import safe_next

from ..models import Action, ActionStatus, CommissionMember, Meeting, MemberCategory
from . import selectors, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    AttendanceForm,
    CommissionForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
)


def _commission_or_home(request):
    """The commission of the current year, or None after sending the person home."""
    commission = selectors.commission_of(request.establishment, request.school_year)
    if commission is None:
        messages.info(request, _("Créez d'abord la commission numérique de l'année."))
    return commission


def _home(request):
    return redirect("commission:home", uai=request.establishment.uai)


def _warn_if_unvalidated(request, was_validated: bool) -> None:
    if was_validated:
        messages.warning(
            request,
            _(
                "La composition avait été validée : ce changement lève la validation. "
                "Soumettez-la de nouveau au chef d'établissement."
            ),
        )


def _revision(request) -> int:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return 0


@requires("commission.view")
@require_GET
def home(request, uai):
    commission = selectors.commission_of(request.establishment, request.school_year)
    context = {
        "commission": commission,
        "can_manage": roles_grant(request.roles, "commission.manage"),
    }
    if commission is None:
        form = CommissionForm(initial={"modality": "ad_hoc"})
        form.helper.form_action = reverse("commission:commission_create", args=[uai])
        context["form"] = form
        return render(request, "commission/members/home.html", context)
    members = list(selectors.members_of(commission))
    taught = selectors.disciplines_taught(request.establishment, request.school_year)
    labels = dict(MemberCategory.choices)
    by_category = [
        (labels[value], [m for m in members if m.category == value])
        for value in MemberCategory.values
        if any(m.category == value for m in members)
    ]
    meetings = list(selectors.meetings_of(commission)[:5])
    context.update(
        members=members,
        by_category=by_category,
        missing=selectors.missing_categories(members),
        uncovered=selectors.disciplines_without_referent(taught, members),
        taught=taught,
        meetings=meetings,
        now=timezone.now(),
        open_actions=selectors.open_actions(commission).count(),
        can_validate=roles_grant(request.roles, "commission.validate"),
        validation_cleared=selectors.validation_was_cleared(commission),
    )
    return render(request, "commission/members/home.html", context)


@requires("commission.manage")
@require_POST
def commission_create(request, uai):
    form = CommissionForm(request.POST)
    if form.is_valid():
        try:
            services.commission_create(
                establishment=request.establishment,
                school_year=request.school_year,
                user=request.user,
                modality=form.cleaned_data["modality"],
            )
        except services.CommissionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Commission numérique créée : ajoutez ses membres."))
    else:
        messages.error(request, _("Choisissez la modalité de la commission."))
    return _home(request)


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def member_add(request, uai):
    commission = _commission_or_home(request)
    if commission is None:
        return _home(request)
    staff = selectors.staff_of(request.establishment, request.school_year)
    was_validated = commission.is_validated
    if request.method == "POST":
        form = MemberForm(request.POST, staff=staff)
        if form.is_valid():
            try:
                member = services.member_add(
                    commission=commission,
                    user=request.user,
                    revision=form.cleaned_data["revision"],
                    data=form.to_data(),
                )
            except services.CommissionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("%(member)s ajouté(e) à la commission.") % {"member": member}
                )
                _warn_if_unvalidated(request, was_validated)
                return _home(request)
    else:
        form = MemberForm(staff=staff, initial={"revision": commission.revision})
    return render(
        request, "commission/members/member_form.html", {"form": form, "commission": commission}
    )


@requires("commission.manage")
@require_POST
def member_remove(request, uai, member_id):
    commission = _commission_or_home(request)
    if commission is None:
        return _home(request)
    member = get_object_or_404(CommissionMember, pk=member_id, commission=commission)
    was_validated = commission.is_validated
    try:
        services.member_remove(
            commission=commission, member=member, user=request.user, revision=_revision(request)
        )
    except services.CommissionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(member)s retiré(e) de la commission.") % {"member": member})
        _warn_if_unvalidated(request, was_validated)
    return _home(request)


@requires("commission.manage")
@require_POST
def composition_submit(request, uai):
    commission = _commission_or_home(request)
    if commission is not None:
        try:
            services.composition_submit(
                commission=commission, user=request.user, revision=_revision(request)
            )
        except services.CommissionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Composition soumise : elle attend la validation du chef d'établissement."),
            )
    return _home(request)


@requires("commission.validate")
@require_POST
def composition_validate(request, uai):
    commission = _commission_or_home(request)
    if commission is not None:
        try:
            services.composition_validate(
                commission=commission,
                user=request.user,
                roles=request.roles,
                revision=_revision(request),
            )
        except services.CommissionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Composition de la commission validée."))
    back = safe_next(request)  # e.g. the head's inbox, where the decision was taken
    return redirect(back) if back else _home(request)


# --- Meetings ----------------------------------------------------------------------------------


def _meeting(request, meeting_id) -> Meeting:
    """A meeting of a commission of the current establishment, or 404."""
    return get_object_or_404(
        Meeting.objects.select_related("commission__establishment", "commission__school_year"),
        pk=meeting_id,
        commission__establishment=request.establishment,
    )


def _meeting_page(meeting):
    return redirect(
        "commission:meeting_detail", uai=meeting.commission.establishment.uai, meeting_id=meeting.pk
    )


@requires("commission.view")
@require_GET
def meeting_list(request, uai):
    commission = selectors.commission_of(request.establishment, request.school_year)
    meetings = []
    if commission is not None:
        meetings = list(selectors.meetings_of(commission).prefetch_related("agenda"))
    return render(
        request,
        "commission/members/meeting_list.html",
        {
            "commission": commission,
            "meetings": meetings,
            "now": timezone.now(),
            "can_manage": roles_grant(request.roles, "commission.manage"),
        },
    )


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def meeting_create(request, uai):
    commission = _commission_or_home(request)
    if commission is None:
        return _home(request)
    form = MeetingForm(request.POST or None, submit="Créer la réunion")
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                commission=commission, user=request.user, data=form.to_data()
            )
        except services.CommissionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Réunion enregistrée."))
            return _meeting_page(meeting)
    return render(request, "commission/members/meeting_form.html", {"form": form, "meeting": None})


@requires("commission.manage")
@require_http_methods(["GET", "POST"])
def meeting_edit(request, uai, meeting_id):
    meeting = _meeting(request, meeting_id)
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                services.meeting_update(
                    meeting=meeting,
                    user=request.user,
                    revision=form.cleaned_data["revision"] or 0,
                    data=form.to_data(),
                )
            except services.CommissionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Réunion modifiée."))
                return _meeting_page(meeting)
    else:
        form = MeetingForm(initial=MeetingForm.initial_from(meeting))
    return render(
        request, "commission/members/meeting_form.html", {"form": form, "meeting": meeting}
    )


def _attendance_form(meeting, members, data=None):
    recorded = {a.member_id: a.presence for a in meeting.attendance.all()}
    return AttendanceForm(
        data, members=members, recorded=recorded, initial={"revision": meeting.revision}
    )


@requires("commission.view")
@require_GET
def meeting_detail(request, uai, meeting_id):
    meeting = _meeting(request, meeting_id)
    commission = meeting.commission
    members = selectors.in_guide_order(selectors.members_of(commission))
    attendance = {a.member_id: a for a in meeting.attendance.all()}
    can_manage = roles_grant(request.roles, "commission.manage")
    forms = {}
    if can_manage:
        forms = {
            "attendance_form": _attendance_form(meeting, members),
            "minutes_form": MinutesForm(
                initial={"minutes": meeting.minutes, "revision": meeting.revision}
            ),
            "action_form": ActionForm(members=selectors.members_of(commission)),
        }
        for name, url_name in (
            ("attendance_form", "meeting_attendance"),
            ("minutes_form", "meeting_minutes"),
            ("action_form", "meeting_action_create"),
        ):
            forms[name].helper.form_action = reverse(
                f"commission:{url_name}", args=[uai, meeting.pk]
            )
    return render(
        request,
        "commission/members/meeting_detail.html",
        {
            "meeting": meeting,
            "commission": commission,
            "agenda": list(meeting.agenda.all()),
            "attendance_rows": [(m, attendance.get(m.pk)) for m in members],
            "decisions": list(meeting.decisions.select_related("owner__user")),
            "open_actions": list(selectors.open_actions(commission)),
            "is_past": meeting.starts_at <= timezone.now(),
            "pdf_current": _pdf_current(meeting),
            "can_manage": can_manage,
            "attendance_form": None,
            "status_choices": ActionStatus.choices,
            **forms,
        },
    )


def _pdf_current(meeting) -> bool:
    return bool(
        meeting.minutes_pdf_status == "ready"
        and meeting.minutes_pdf_revision == meeting.revision
        and meeting.minutes_pdf
    )


@requires("commission.manage")
@require_POST
def meeting_attendance(request, uai, meeting_id):
    meeting = _meeting(request, meeting_id)
    members = selectors.in_guide_order(selectors.members_of(meeting.commission))
    form = _attendance_form(meeting, members, request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Indiquez pour chaque membre : présent, excusé ou absent. Rien n'a été enregistré."),
        )
        return _meeting_page(meeting)
    try:
        services.attendance_record(
            meeting=meeting,
            user=request.user,
            revision=form.cleaned_data["revision"],
            presences=form.presences(),
        )
    except services.CommissionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Présences enregistrées."))
    return _meeting_page(meeting)


@requires("commission.manage")
@require_POST
def meeting_minutes(request, uai, meeting_id):
    meeting = _meeting(request, meeting_id)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Compte rendu trop long (50 000 caractères au plus)."))
        return _meeting_page(meeting)
    try:
        services.minutes_save(
            meeting=meeting,
            user=request.user,
            revision=form.cleaned_data["revision"],
            minutes=form.cleaned_data["minutes"],
        )
    except services.CommissionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Compte rendu enregistré."))
    return _meeting_page(meeting)


@requires("commission.manage")
@require_POST
def meeting_invite(request, uai, meeting_id):
    meeting = _meeting(request, meeting_id)
    try:
        recipients = services.invitation_send(meeting=meeting, user=request.user)
    except services.CommissionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            ngettext(
                "Invitation envoyée à %(count)s membre(s), avec le fichier agenda (.ics).",
                "Invitation envoyée à %(count)s membre(s), avec le fichier agenda (.ics).",
                len(recipients),
            )
            % {"count": len(recipients)},
        )
    return _meeting_page(meeting)


@requires("commission.manage")
@require_POST
def meeting_action_create(request, uai, meeting_id):
    meeting = _meeting(request, meeting_id)
    form = ActionForm(request.POST, members=selectors.members_of(meeting.commission))
    if not form.is_valid():
        errors = [e for field in form.errors.values() for e in field]
        messages.error(request, " ".join(str(e) for e in errors))
        return _meeting_page(meeting)
    try:
        services.action_create(
            commission=meeting.commission,
            meeting=meeting,
            user=request.user,
            **form.cleaned_data,
        )
    except services.CommissionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Action ajoutée aux décisions de la réunion."))
    return _meeting_page(meeting)


@requires("commission.view")
@require_GET
def meeting_minutes_pdf(request, uai, meeting_id):
    meeting = _meeting(request, meeting_id)
    if not _pdf_current(meeting):
        messages.info(request, _("Le PDF du compte rendu n'est pas encore prêt."))
        return _meeting_page(meeting)
    day = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")
    return FileResponse(
        meeting.minutes_pdf.open("rb"),
        as_attachment=True,
        filename=f"compte-rendu-commission-{day}.pdf",
        content_type="application/pdf",
    )


@requires("commission.manage")
@require_POST
def meeting_minutes_pdf_request(request, uai, meeting_id):
    meeting = _meeting(request, meeting_id)
    if meeting.minutes_pdf_status == "pending":
        messages.info(request, _("Le PDF est déjà en cours de production."))
    elif _pdf_current(meeting):
        messages.info(request, _("Le PDF est à jour."))
    else:
        try:
            services.minutes_pdf_request(meeting=meeting, user=request.user)
        except services.CommissionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Export PDF du compte rendu lancé."))
    return _meeting_page(meeting)


# --- Actions -----------------------------------------------------------------------------------


@requires("commission.view")
@require_GET
def action_list(request, uai):
    commission = selectors.commission_of(request.establishment, request.school_year)
    actions = []
    if commission is not None:
        actions = list(
            Action.objects.filter(commission=commission).select_related("owner__user", "meeting")
        )
    return render(
        request,
        "commission/members/action_list.html",
        {
            "commission": commission,
            "actions": actions,
            "status_choices": ActionStatus.choices,
            "today": timezone.localdate(),
            "can_manage": roles_grant(request.roles, "commission.manage"),
        },
    )


@requires("commission.manage")
@require_POST
def action_status(request, uai, action_id):
    action = get_object_or_404(
        Action.objects.select_related("commission__establishment"),
        pk=action_id,
        commission__establishment=request.establishment,
    )
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("État inconnu."))
    else:
        try:
            services.action_set_status(action=action, user=request.user, **form.cleaned_data)
        except services.CommissionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Action « %(title)s » : %(status)s.")
                % {"title": action.title, "status": action.get_status_display().lower()},
            )
    back = request.POST.get("back", "")
    if (
        back.isdigit()
        and Meeting.objects.filter(
            pk=back, commission__establishment=request.establishment
        ).exists()
    ):
        return redirect("commission:meeting_detail", uai=uai, meeting_id=int(back))
    return redirect("commission:action_list", uai=uai)
