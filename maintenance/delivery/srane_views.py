"""The SRANE's GLPI channels: address, version and whether the channel's secrets are set (the
application token, or the OAuth client of the API v2)."""

from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rrupn.access import capabilities as caps
from rrupn.access.capabilities import requires

from ..models import Channel, ChannelKind
from . import services
from .secrets import field_named, secret_rows


@requires(caps.SRANE)
@require_GET
def channels(request):
    glpi = list(Channel.objects.filter(kind=ChannelKind.GLPI).order_by("name"))
    rows = secret_rows(glpi)
    return render(
        request,
        "maintenance/delivery/srane_channels.html",
        {"rows": rows, "can_edit": request.access.is_academie},
    )


@requires(caps.SRANE)
@require_POST
def channel_token(request, channel_id):
    # The channels serve several départements: the académie's SRANE holds their tokens.
    if not request.access.is_academie:
        return HttpResponseForbidden(_("Réservé au SRANE académique."))
    channel = get_object_or_404(Channel, pk=channel_id, kind=ChannelKind.GLPI)
    field = field_named(channel, request.POST.get("name", "app_token"), school=False)
    try:
        if field is None:
            raise services.DeliveryRefused(_("Ce secret ne sert pas à ce canal GLPI."))
        services.secret_set(
            channel=channel,
            establishment=None,
            name=field.name,
            value=request.POST.get("token", ""),
            user=request.user,
            label=field.label,
        )
    except services.DeliveryRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(what)s enregistré pour %(c)s.") % {"what": field.saved, "c": channel}
        )
    return redirect(reverse("maintenance_srane:delivery_channels"))
