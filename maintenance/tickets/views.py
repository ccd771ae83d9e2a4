from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from maintenance.models import (
    OPEN_STATUSES,
    Channel,
    ChannelKind,
    DeliveryStatus,
    LyceeGlpiRight,
    Ticket,
    TicketStatus,
)
from rrupn.access import capabilities as caps
from rrupn.access.capabilities import DIRECTION, requires, roles_grant
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import Department

from . import selectors, services
from .forms import (
    FollowupForm,
    ForwardForm,
    Level1Form,
    MarkSentForm,
    ProgressForm,
    TicketForm,
)


def _ticket(request, ticket_id) -> Ticket:
    """An incident of the current establishment this person sees, or 404."""
    tickets = selectors.visible_tickets(request.establishment, request.user, request.roles)
    return get_object_or_404(
        tickets.select_related("category", "channel", "reporter", "establishment"), pk=ticket_id
    )


def _detail_url(ticket) -> str:
    return reverse("maintenance:tickets_detail", args=[ticket.establishment.uai, ticket.pk])


@requires("tickets.report")
@require_GET
def ticket_list(request, uai):
    status = request.GET.get("etat", "")
    status = status if status in {"open", *TicketStatus.values} else ""
    channel = request.GET.get("canal", "")
    tickets = selectors.ticket_list(
        request.establishment, request.user, request.roles, status=status, channel=channel
    )
    page = Paginator(tickets, 50).get_page(request.GET.get("page"))
    query = urlencode(
        {key: value for key, value in (("etat", status), ("canal", channel)) if value}
    )
    can_handle = roles_grant(request.roles, "tickets.handle")
    return render(
        request,
        "maintenance/tickets/list.html",
        {
            "tickets": [(t, selectors.age_days(t.created_at)) for t in page.object_list],
            "page": page,
            "query": query,
            "to_forward": list(selectors.to_forward(request.establishment)) if can_handle else [],
            "status": status,
            "channel": channel,
            "status_choices": TicketStatus.choices,
            "channels": Channel.objects.order_by("name"),
            "open_statuses": [str(s) for s in OPEN_STATUSES],
        },
    )


def _form_page(request, form, ticket=None):
    return render(request, "maintenance/tickets/form.html", {"form": form, "ticket": ticket})


def _saved(request, ticket, submitted: bool):
    if not submitted:
        messages.success(
            request, _("Incident %(ref)s enregistré en brouillon.") % {"ref": ticket.reference}
        )
    elif ticket.status == TicketStatus.TO_RRUPN:
        messages.success(
            request, _("Incident %(ref)s signalé au RRUPN.") % {"ref": ticket.reference}
        )
    elif ticket.status == TicketStatus.AWAITING_HEAD:
        messages.success(
            request,
            _(
                "Incident %(ref)s enregistré : il attend le chef d'établissement, "
                "seul à pouvoir saisir sur le GLPI de la Région tant que le RRUPN n'en a pas les "
                "droits."
            )
            % {"ref": ticket.reference},
        )
    else:
        messages.success(
            request,
            _("Incident %(ref)s confié à : %(channel)s.")
            % {"ref": ticket.reference, "channel": ticket.channel},
        )
    return redirect(_detail_url(ticket))


@requires("tickets.report")
@require_http_methods(["GET", "POST"])
def ticket_create(request, uai):
    form = TicketForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        submit = "brouillon" not in request.POST
        try:
            ticket = services.ticket_report(
                establishment=request.establishment,
                user=request.user,
                roles=request.roles,
                data=form.to_data(),
                submit=submit,
            )
        except services.TicketError as exc:
            form.add_error(None, str(exc))
        else:
            return _saved(request, ticket, submit)
    return _form_page(request, form)


@requires("tickets.report")
@require_http_methods(["GET", "POST"])
def ticket_edit(request, uai, ticket_id):
    ticket = _ticket(request, ticket_id)
    if ticket.status != TicketStatus.DRAFT or ticket.reporter_id != request.user.pk:
        raise Http404
    already = ticket.attachments.count()
    if request.method == "GET":
        initial = {
            name: getattr(ticket, name)
            for name in ("category", "title", "description", "room", "equipment", "urgency")
        }
        return _form_page(request, TicketForm(initial=initial, already_attached=already), ticket)
    form = TicketForm(request.POST, request.FILES, already_attached=already)
    if form.is_valid():
        submit = "brouillon" not in request.POST
        try:
            services.ticket_update_draft(
                ticket=ticket,
                user=request.user,
                roles=request.roles,
                data=form.to_data(),
                submit=submit,
            )
        except services.TicketError as exc:
            form.add_error(None, str(exc))
        else:
            return _saved(request, ticket, submit)
    return _form_page(request, form, ticket)


def _history(ticket):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Ticket), object_id=str(ticket.pk)
    ).select_related("actor")


def _detail(request, ticket, **forms):
    uai = request.establishment.uai
    handles = roles_grant(request.roles, "tickets.handle")
    all_deliveries = list(ticket.deliveries.select_related("channel"))
    deliveries = [d for d in all_deliveries if d.followup_id is None]
    followup_delivery = {d.followup_id: d for d in all_deliveries if d.followup_id}
    followups = [
        (f, followup_delivery.get(f.pk)) for f in ticket.followups.select_related("author")
    ]
    can_followup = handles and ticket.status != TicketStatus.DRAFT
    if can_followup and "followup_form" not in forms:
        forms["followup_form"] = FollowupForm(
            action=reverse("maintenance:tickets_followup", args=[uai, ticket.pk])
        )
    manual = next((d for d in deliveries if d.status == DeliveryStatus.WAITING_MANUAL), None)
    can_forward = handles and (
        ticket.status == TicketStatus.TO_RRUPN
        or (ticket.status == TicketStatus.AWAITING_HEAD and DIRECTION & set(request.roles))
    )
    can_level1 = handles and ticket.status in services.LEVEL1_FROM
    if can_forward and "forward_form" not in forms:
        forms["forward_form"] = ForwardForm(
            action=reverse("maintenance:tickets_forward", args=[uai, ticket.pk])
        )
    if handles and manual and "mark_sent_form" not in forms:
        forms["mark_sent_form"] = MarkSentForm(
            action=reverse("maintenance:tickets_mark_sent", args=[uai, ticket.pk])
        )
    if can_level1 and "level1_form" not in forms:
        forms["level1_form"] = Level1Form(
            action=reverse("maintenance:tickets_level1", args=[uai, ticket.pk])
        )
    progress_steps = services.progress_steps(ticket) if handles else []
    if progress_steps and "progress_form" not in forms:
        forms["progress_form"] = ProgressForm(
            action=reverse("maintenance:tickets_progress", args=[uai, ticket.pk])
        )
    step_labels = {
        TicketStatus.ACKNOWLEDGED: _("Pris en compte"),
        TicketStatus.IN_PROGRESS: _("En cours"),
        TicketStatus.CLOSED: _("Clos"),
    }
    return render(
        request,
        "maintenance/tickets/detail.html",
        {
            "ticket": ticket,
            "handles": handles,
            "age": selectors.age_days(ticket.created_at),
            "attachments": list(ticket.attachments.all()),
            "deliveries": deliveries,
            "followups": followups,
            "followup_form": forms.get("followup_form") if can_followup else None,
            "manual_delivery": manual if handles else None,
            "handoff_text": selectors.handoff_text(ticket) if manual and handles else "",
            "level1_notes": list(ticket.level1_notes.select_related("author")),
            "history": _history(ticket),
            "is_draft_author": ticket.status == TicketStatus.DRAFT
            and ticket.reporter_id == request.user.pk,
            "forward_form": forms.get("forward_form") if can_forward else None,
            "mark_sent_form": forms.get("mark_sent_form") if handles and manual else None,
            "level1_form": forms.get("level1_form") if can_level1 else None,
            "is_handoff": ticket.channel_id and ticket.channel.kind == ChannelKind.HANDOFF,
            "progress_form": forms.get("progress_form") if progress_steps else None,
            "progress_steps": [
                (step, step_labels[step]) for step in progress_steps if step in step_labels
            ],
            "progress_can_resolve": TicketStatus.RESOLVED in progress_steps,
        },
    )


@requires("tickets.report")
@require_GET
def ticket_detail(request, uai, ticket_id):
    return _detail(request, _ticket(request, ticket_id))


def _run(request, ticket, action, success: str):
    try:
        action()
    except services.TicketError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(_detail_url(ticket))


@requires("tickets.report")
@require_POST
def ticket_submit(request, uai, ticket_id):
    ticket = _ticket(request, ticket_id)
    try:
        services.ticket_submit(ticket=ticket, user=request.user, roles=request.roles)
    except services.TicketError as exc:
        messages.error(request, str(exc))
        return redirect(_detail_url(ticket))
    return _saved(request, ticket, True)


@requires("tickets.handle")
@require_POST
def ticket_forward(request, uai, ticket_id):
    ticket = _ticket(request, ticket_id)
    form = ForwardForm(request.POST, action=request.path)
    if not form.is_valid():
        return _detail(request, ticket, forward_form=form)
    try:
        services.ticket_forward(
            ticket=ticket,
            user=request.user,
            roles=request.roles,
            comment=form.cleaned_data["comment"],
        )
    except services.TicketError as exc:
        messages.error(request, str(exc))
        return redirect(_detail_url(ticket))
    return _saved(request, ticket, True)


@requires("tickets.handle")
@require_POST
def ticket_mark_sent(request, uai, ticket_id):
    ticket = _ticket(request, ticket_id)
    form = MarkSentForm(request.POST, action=request.path)
    if not form.is_valid():
        return _detail(request, ticket, mark_sent_form=form)
    data = form.cleaned_data
    return _run(
        request,
        ticket,
        lambda: services.ticket_mark_sent(
            ticket=ticket,
            user=request.user,
            external_ref=data["external_ref"],
            external_url=data["external_url"],
        ),
        _("Incident %(ref)s marqué comme transmis (%(external_ref)s).")
        % {"ref": ticket.reference, "external_ref": data["external_ref"]},
    )


@requires("tickets.handle")
@require_POST
def ticket_level1(request, uai, ticket_id):
    ticket = _ticket(request, ticket_id)
    form = Level1Form(request.POST, action=request.path)
    if not form.is_valid():
        return _detail(request, ticket, level1_form=form)
    data = form.cleaned_data
    return _run(
        request,
        ticket,
        lambda: services.ticket_resolve_level1(
            ticket=ticket,
            user=request.user,
            done_on=data["done_on"],
            minutes_spent=data["minutes_spent"],
            note=data["note"],
        ),
        _("Incident %(ref)s résolu par une intervention de niveau 1.") % {"ref": ticket.reference},
    )


@requires("tickets.handle")
@require_POST
def ticket_progress(request, uai, ticket_id):
    """The collectivité's progress on a ticket sent by e-mail or by hand."""
    ticket = _ticket(request, ticket_id)
    form = ProgressForm(request.POST, action=request.path)
    if not form.is_valid():
        if "step" in form.errors:
            messages.error(request, form.errors["step"][0])
            return redirect(_detail_url(ticket))
        return _detail(request, ticket, progress_form=form)
    data = form.cleaned_data
    done = {
        TicketStatus.ACKNOWLEDGED: _("Incident %(ref)s noté comme pris en compte."),
        TicketStatus.IN_PROGRESS: _("Incident %(ref)s noté comme en cours de traitement."),
        TicketStatus.RESOLVED: _("Incident %(ref)s noté comme résolu par la collectivité."),
        TicketStatus.CLOSED: _("Incident %(ref)s noté comme clos."),
    }
    return _run(
        request,
        ticket,
        lambda: services.ticket_record_progress(
            ticket=ticket,
            user=request.user,
            roles=request.roles,
            step=data["step"],
            resolved_on=data["resolved_on"],
            comment=data["comment"],
        ),
        done[data["step"]] % {"ref": ticket.reference},
    )


@requires("tickets.handle")
@require_POST
def ticket_followup(request, uai, ticket_id):
    ticket = _ticket(request, ticket_id)
    form = FollowupForm(request.POST, action=request.path)
    if not form.is_valid():
        return _detail(request, ticket, followup_form=form)
    try:
        services.ticket_followup_add(
            ticket=ticket,
            user=request.user,
            roles=request.roles,
            content=form.cleaned_data["content"],
        )
    except services.TicketError as exc:
        messages.error(request, str(exc))
        return redirect(_detail_url(ticket))
    messages.success(request, _("Suivi ajouté à l'incident %(ref)s.") % {"ref": ticket.reference})
    return redirect(_detail_url(ticket) + "#suivis")


@requires("tickets.report")
@require_GET
def ticket_attachment(request, uai, ticket_id, attachment_id):
    ticket = _ticket(request, ticket_id)
    attachment = get_object_or_404(ticket.attachments, pk=attachment_id)
    try:
        with attachment.file.open("rb") as handle:
            content = handle.read()  # 5 Mo at most: read whole, no file left open
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type=attachment.content_type)
    disposition = "attachment" if attachment.content_type == "application/pdf" else "inline"
    response.headers["Content-Disposition"] = content_disposition_header(
        disposition == "attachment", attachment.original_name
    )
    return response


@requires("tickets.credentials")
@require_http_methods(["GET", "POST"])
def glpi_right(request, uai):
    establishment = request.establishment
    if request.method == "POST":
        if request.POST.get("droits") == "oui":
            services.glpi_right_grant(establishment=establishment, user=request.user)
            messages.success(
                request,
                _("C'est noté : le RRUPN saisit désormais ses incidents sur le GLPI de la Région."),
            )
        else:
            services.glpi_right_revoke(establishment=establishment, user=request.user)
            messages.success(request, _("C'est noté : ses incidents passeront par vous."))
        return redirect(reverse("maintenance:tickets_glpi_right", args=[establishment.uai]))
    right = (
        LyceeGlpiRight.objects.filter(establishment=establishment)
        .select_related("granted_by")
        .first()
    )
    return render(
        request,
        "maintenance/tickets/glpi_right.html",
        {"right": right, "waiting": list(selectors.to_forward(establishment, ["awaiting_head"]))},
    )


@requires(caps.SRANE)
@require_GET
def srane_by_collectivite(request):
    scope = request.access.srane_departments
    chosen = request.GET.get("departement", "")
    chosen = chosen if chosen in scope else ""
    return render(
        request,
        "maintenance/tickets/srane.html",
        {
            "lines": selectors.by_collectivite((chosen,) if chosen else scope),
            "department": chosen,
            "department_choices": [
                (value, label) for value, label in Department.choices if value in scope
            ],
        },
    )
