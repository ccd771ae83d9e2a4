"""The header's school context: the person's roles here and, for the direction, how many
items wait in their approval inbox (computed at most once per request, only if shown).

Outside a school's pages (profile, SRANE views) the count still shows: one link per school
where the person approves, with what waits there."""

from dataclasses import dataclass
from functools import partial

from rrupn.access.capabilities import roles_grant
from rrupn.establishments.models import SchoolYear

from .school_selectors import head_inbox, role_labels, waiting_entries


@dataclass(frozen=True)
class AwayInbox:
    establishment: object
    waiting: int


def _inbox_count(request) -> int:
    return len(head_inbox(request))


def _away_inboxes(request) -> list[AwayInbox]:
    access = getattr(request, "access", None)
    if access is None or not request.user.is_authenticated:
        return []
    approving = [
        (establishment, roles)
        for establishment, roles in (
            access.establishment_roles(e.uai) for e in access.establishments
        )
        if roles_grant(roles, "inbox.view")
    ]
    if not approving:
        return []
    year = getattr(request, "school_year", None) or SchoolYear.current()
    return [
        AwayInbox(establishment, len(waiting_entries(establishment, year, request.user, roles)))
        for establishment, roles in approving
    ]


def school_header(request):
    establishment = getattr(request, "establishment", None)
    roles = getattr(request, "roles", frozenset())
    if establishment is None or not roles:
        # A callable: computed only when the header renders it (not for JSON or file views).
        return {
            "current_roles": (),
            "inbox_waiting": 0,
            "away_inboxes": partial(_away_inboxes, request),
        }
    context = {"current_roles": partial(role_labels, roles), "inbox_waiting": 0, "away_inboxes": ()}
    if roles_grant(roles, "inbox.view"):
        # A callable: the template calls it when it renders the count, not before.
        context["inbox_waiting"] = partial(_inbox_count, request)
    return context
