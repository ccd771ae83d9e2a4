"""`{% relay_dashboard_block %}`: the SRANE's announcements on the RRUPN dashboard.

A tag rather than a dashboard view change: the dashboard keeps not knowing the relay's models.
Shown to the RRUPN of the current school only (see RelayConfig.ready); it lists the
announcements of every département where the person is RRUPN."""

from django import template

from rrupn.access.capabilities import roles_grant

from .. import selectors

register = template.Library()


@register.inclusion_tag("relay/partials/dashboard_block.html", takes_context=True)
def relay_dashboard_block(context):
    request = context["request"]
    if not roles_grant(getattr(request, "roles", ()), "relay.read"):
        return {"show": False}
    block = selectors.dashboard_block(request.user, selectors.rrupn_departments(request.access))
    return {
        "show": True,
        "request": request,
        "current_establishment": request.establishment,
        "csrf_token": context.get("csrf_token"),
        **block,
    }
