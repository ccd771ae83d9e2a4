"""Deliveries of the school (with "échec — réessayer") and the head's GLPI credentials (user
token, or the school's GLPI account for the API v2)."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rrupn.access.capabilities import requires
from rrupn.dashboard.redirects import redirect_next

from ..models import (
    Channel,
    ChannelKind,
    Delivery,
    RoutingRule,
    school_group_of,
)
from . import services
from .secrets import field_named, secret_rows


@requires("tickets.handle")
def delivery_list(request, uai):
    deliveries = (
        Delivery.objects.filter(ticket__establishment=request.establishment)
        .select_related("ticket", "channel")
        .order_by("-created_at")[:100]
    )
    return render(request, "maintenance/delivery/list.html", {"deliveries": deliveries})


@requires("tickets.handle")
@require_POST
def delivery_retry(request, uai, delivery_id):
    delivery = get_object_or_404(
        Delivery.objects.select_related("ticket__establishment"),
        pk=delivery_id,
        ticket__establishment=request.establishment,
    )
    try:
        services.delivery_retry(delivery=delivery, user=request.user)
    except services.DeliveryRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Nouvel essai d’envoi de %(ref)s lancé.") % {"ref": delivery.ticket.reference},
        )
    # From the ticket page, back to it (its form sends `next`); from the outbox, the outbox.
    return redirect_next(
        request, reverse("maintenance:delivery_list", args=[request.establishment.uai])
    )


def glpi_channels_of(establishment):
    """The GLPI channels the routing rules can send this school's incidents to."""
    rules = RoutingRule.objects.filter(
        Q(school_group="") | Q(school_group=school_group_of(establishment.kind)),
        Q(department="") | Q(department=establishment.department),
        channel__kind=ChannelKind.GLPI,
    )
    return Channel.objects.filter(pk__in=rules.values("channel")).order_by("name")


@requires("tickets.credentials")
def credentials(request, uai):
    establishment = request.establishment
    channels = list(glpi_channels_of(establishment))
    if request.method == "POST":
        channel = next((c for c in channels if str(c.pk) == request.POST.get("channel")), None)
        field = channel and field_named(
            channel, request.POST.get("name", "user_token"), school=True
        )
        if channel is None:
            messages.error(request, _("Ce canal GLPI ne dessert pas votre établissement."))
        elif field is None:
            messages.error(request, _("Ce secret ne sert pas à ce canal GLPI."))
        else:
            try:
                services.secret_set(
                    channel=channel,
                    establishment=establishment,
                    name=field.name,
                    value=request.POST.get("token", ""),
                    user=request.user,
                    label=field.label,
                )
            except services.DeliveryRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    _("%(what)s enregistré pour %(channel)s.")
                    % {"what": field.saved, "channel": channel},
                )
                return redirect(reverse("maintenance:delivery_credentials", args=[uai]))
    rows = secret_rows(channels, establishment=establishment)
    return render(request, "maintenance/delivery/credentials.html", {"rows": rows})
