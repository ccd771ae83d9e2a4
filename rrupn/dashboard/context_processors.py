"""The header's school context: the person's roles here and, for the direction, how many
items wait in their approval inbox (computed at most once per request, only if shown)."""

from functools import partial

from rrupn.access.capabilities import roles_grant

from .school_selectors import head_inbox, role_labels


def _inbox_count(request) -> int:
    return len(head_inbox(request))


def school_header(request):
    establishment = getattr(request, "establishment", None)
    roles = getattr(request, "roles", frozenset())
    if establishment is None or not roles:
        return {"current_roles": (), "inbox_waiting": 0}
    context = {"current_roles": partial(role_labels, roles), "inbox_waiting": 0}
    if roles_grant(roles, "inbox.view"):
        # A callable: the template calls it when it renders the count, not before.
        context["inbox_waiting"] = partial(_inbox_count, request)
    return context
