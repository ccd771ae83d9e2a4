"""The school screens: the RRUPN dashboard ("where am I in my school year?") and the head's
approval inbox (everything waiting on the head, oldest first, decided from the list)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from rrupn.access.capabilities import DIRECTION, requires, roles_grant
from rrupn.accounts.models import Role

from . import school_selectors as selectors
from .registry import WAITING_ON_RRUPN
from .school_selectors import role_labels

PILOTS = DIRECTION | {Role.RRUPN}


@requires("dashboard.view")
@require_GET
def establishment_dashboard(request, uai):
    establishment, year, access = request.establishment, request.school_year, request.access
    today, now = timezone.localdate(), timezone.now()
    rows = selectors.checklist_rows(establishment, year, today)
    waiting_head = selectors.head_inbox(request)
    waiting_rrupn = selectors.waiting_entries(
        establishment, year, request.user, request.roles, WAITING_ON_RRUPN
    )
    # The entries name people and letters: the RRUPN and the direction read them, the rest of
    # the staff sees how many items wait, per kind.
    rrupn_details = bool(PILOTS & request.roles)
    schools = access.establishments  # loaded once per request by the access middleware
    roles_by_pk = {est.pk: access.establishment_roles(est.uai)[1] for est in schools}
    handled = [est for est in schools if roles_grant(roles_by_pk[est.pk], "tickets.handle")]
    ages = selectors.open_tickets_by_age([est.pk for est in handled], now)
    others = [est for est in schools if est.pk != establishment.pk]
    next_meeting = selectors.next_meetings([est.pk for est in others], now) if others else {}
    return render(
        request,
        "dashboard/establishment.html",
        {
            "rows": rows,
            # The actions (sign the letter, compose the commission…) are the RRUPN's and the
            # direction's: other staff read the states, without links their pages would refuse.
            "checklist_links": rrupn_details,
            "counts": selectors.level_counts(rows),
            "due_soon_days": selectors.DUE_SOON_DAYS,
            "waiting_head": selectors.wait_groups(waiting_head),
            "waiting_head_total": len(waiting_head),
            "waiting_rrupn": waiting_rrupn if rrupn_details else [],
            "waiting_rrupn_groups": [] if rrupn_details else selectors.wait_groups(waiting_rrupn),
            "meetings": selectors.upcoming_meetings([est.pk for est in schools], now),
            "several": len(schools) > 1,
            "brackets": [selectors.bracket_label(*b) for b in selectors.AGE_BRACKETS],
            "ticket_ages": [(est, ages[est.pk]) for est in handled],
            "oldest_tickets": selectors.oldest_open_tickets([est.pk for est in handled]),
            "others": [
                (
                    est,
                    role_labels(roles_by_pk[est.pk]),
                    ages.get(est.pk),
                    next_meeting.get(est.pk),
                )
                for est in others
            ],
        },
    )


@requires("inbox.view")
@require_GET
def approval_inbox(request, uai):
    entries = selectors.head_inbox(request)
    return render(
        request,
        "dashboard/inbox.html",
        {"entries": entries, "total": len(entries), "back": request.get_full_path()},
    )
