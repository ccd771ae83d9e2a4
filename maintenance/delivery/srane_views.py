"""The SRANE's GLPI channels: address and whether the application token is set."""

from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rrupn.access import capabilities as caps
from rrupn.access.capabilities import requires

from ..models import Channel, ChannelCredential, ChannelKind
from . import services


@requires(caps.SRANE)
@require_GET
def channels(request):
    glpi = list(Channel.objects.filter(kind=ChannelKind.GLPI).order_by("name"))
    saved = dict(
        ChannelCredential.objects.filter(
            establishment=None, name="app_token", channel__in=glpi
        ).values_list("channel_id", "updated_at")
    )
    rows = [(channel, saved.get(channel.pk)) for channel in glpi]
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
    try:
        services.secret_set(
            channel=channel,
            establishment=None,
            name="app_token",
            value=request.POST.get("token", ""),
            user=request.user,
        )
    except services.DeliveryRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Jeton d’application enregistré pour %(c)s.") % {"c": channel})
    return redirect(reverse("maintenance_srane:delivery_channels"))
