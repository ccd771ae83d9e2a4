"""Reads of the school screens (RRUPN dashboard, head's inbox, header count).

Every function runs a fixed number of queries, whatever the number of rows or of the person's
establishments: the per-school parts are batch queries over the establishments' ids.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rrupn.access.capabilities import roles_grant
from rrupn.accounts.models import Role

from .models import ChecklistDeadline
from .registry import WAITING_ON_HEAD, checklist, inbox

# An item not done whose deadline is this close (or that has no deadline) shows amber.
DUE_SOON_DAYS = 30


def role_labels(roles) -> list[str]:
    """The person's roles, most powerful first, as the header and the pages show them."""
    return [str(label) for value, label in Role.choices if value in roles]


# --- deadlines ---------------------------------------------------------------------------------


def _shift_one_year(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def checklist_deadlines(school_year) -> dict[str, datetime.date]:
    """{item key: due date} for the year, from the reference data (one query).

    A year the SRANE has not given any date yet reuses the previous year's, one year later.
    An item whose app owns its date (the GAR campaign's) takes that one.
    """
    start = school_year.start_year
    rows = list(
        ChecklistDeadline.objects.filter(
            school_year__start_year__in=(start, start - 1)
        ).values_list("school_year__start_year", "item_key", "due_on")
    )
    deadlines = {key: due for year, key, due in rows if year == start}
    if not deadlines:
        deadlines = {key: _shift_one_year(due) for year, key, due in rows if year == start - 1}
    for item in checklist:
        if item.deadline is not None:
            deadlines[item.key] = item.deadline(school_year)
    return deadlines


# --- checklist ---------------------------------------------------------------------------------

DONE, LATE, SOON, LATER, INFO = "done", "late", "soon", "later", "info"

LEVELS = {
    # level: (text, DSFR badge modifier: a coloured badge with its own icon)
    DONE: (gettext_lazy("Fait"), "success"),
    LATE: (gettext_lazy("En retard"), "error"),
    SOON: (gettext_lazy("Échéance proche"), "warning"),
    LATER: (gettext_lazy("À venir"), "info"),
    INFO: (gettext_lazy("Pour suivi"), ""),
}


def checklist_level(done, due_on, today, soon_days=DUE_SOON_DAYS) -> str:
    """Green (done), red (overdue), amber (due within `soon_days` or no deadline), blue (a later
    deadline); INFO for a figure with nothing to do (done is None)."""
    if done is True:
        return DONE
    if done is None:
        return INFO
    if due_on is None:
        return SOON
    if today > due_on:
        return LATE
    if (due_on - today).days <= soon_days:
        return SOON
    return LATER


@dataclass(frozen=True)
class ChecklistRow:
    item: object
    status: object
    due_on: datetime.date | None
    level: str

    @property
    def level_text(self) -> str:
        text = LEVELS[self.level][0]
        if self.level == SOON and self.due_on is None:
            return _("À faire, sans échéance")
        return str(text)

    @property
    def badge(self) -> str:
        return LEVELS[self.level][1]

    @property
    def action_label(self) -> str:
        if self.status.action:
            return str(self.status.action)
        if self.item.action and self.level != DONE:
            return str(self.item.action)
        return _("Voir") if self.level in (DONE, INFO) else _("Faire le nécessaire")


def checklist_rows(establishment, school_year, today, deadlines=None) -> list[ChecklistRow]:
    if deadlines is None:
        deadlines = checklist_deadlines(school_year)
    rows = []
    for item in checklist:
        status = item.status(establishment, school_year)
        due_on = deadlines.get(item.key)
        rows.append(ChecklistRow(item, status, due_on, checklist_level(status.done, due_on, today)))
    return rows


def level_counts(rows) -> dict[str, int]:
    counts = {level: 0 for level in LEVELS}
    for row in rows:
        counts[row.level] += 1
    return counts


# --- what waits on whom ------------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingEntry:
    source: object
    entry: object
    approve: object = None  # InboxAction the person may take, else None
    send_back: object = None


def _oldest_first(pairs):
    def key(pair):
        since = pair[1].waiting_since
        if since is None:
            return (1, 0.0)
        if isinstance(since, datetime.datetime):
            return (0, since.timestamp())
        return (0, datetime.datetime.combine(since, datetime.time()).timestamp())

    return sorted(pairs, key=key)


def waiting_entries(establishment, school_year, user, roles, waiting_on=WAITING_ON_HEAD):
    """Everything waiting on the head (or the RRUPN) in the school, oldest first, each with the
    decisions this person may take from the list."""
    pairs = []
    for source in inbox:
        if source.waiting_on != waiting_on:
            continue
        pairs.extend((source, entry) for entry in source.entries(establishment, school_year, user))

    def allowed(action):
        if action is None or (action.capability and not roles_grant(roles, action.capability)):
            return None
        return action

    return [
        WaitingEntry(source, entry, allowed(entry.approve), allowed(entry.send_back))
        for source, entry in _oldest_first(pairs)
    ]


def head_inbox(request) -> list[WaitingEntry]:
    """The current school's head inbox, computed once per request (header count and page)."""
    cached = getattr(request, "_head_inbox", None)
    if cached is None:
        cached = waiting_entries(
            request.establishment, request.school_year, request.user, request.roles
        )
        request._head_inbox = cached
    return cached


@dataclass(frozen=True)
class WaitGroup:
    label: str
    count: int
    oldest: object


def wait_groups(entries) -> list[WaitGroup]:
    groups: dict = {}
    for waiting in entries:
        source, since = waiting.source, waiting.entry.waiting_since
        label, count, oldest = groups.get(source.key, (source.label, 0, None))
        if since is not None and (oldest is None or _as_dt(since) < _as_dt(oldest)):
            oldest = since
        groups[source.key] = (label, count + 1, oldest)
    return [WaitGroup(label, count, oldest) for label, count, oldest in groups.values()]


def _as_dt(value):
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time()))


# --- meetings and tickets across the person's schools ------------------------------------------


def upcoming_meetings(establishment_ids, now=None, limit=5) -> list:
    from commission.models import Meeting

    now = now or timezone.now()
    return list(
        Meeting.objects.filter(
            commission__establishment_id__in=establishment_ids, starts_at__gte=now
        )
        .select_related("commission__establishment")
        .order_by("starts_at")[:limit]
    )


def next_meetings(establishment_ids, now=None) -> dict[int, datetime.datetime]:
    from commission.models import Meeting

    now = now or timezone.now()
    rows = (
        Meeting.objects.filter(
            commission__establishment_id__in=establishment_ids, starts_at__gte=now
        )
        .values("commission__establishment_id")
        .annotate(next=Min("starts_at"))
        .order_by()
    )
    return {row["commission__establishment_id"]: row["next"] for row in rows}


# Age brackets of open tickets, in days: (lower bound inclusive, upper bound exclusive or None).
AGE_BRACKETS = ((0, 7), (7, 30), (30, None))


def bracket_label(lower, upper) -> str:
    if lower == 0:
        return _("Moins de %(n)s jours") % {"n": upper}
    if upper is None:
        return _("%(n)s jours et plus") % {"n": lower}
    return _("De %(low)s à %(high)s jours") % {"low": lower, "high": upper - 1}


@dataclass
class TicketAges:
    establishment_id: int
    counts: list  # one count per AGE_BRACKETS entry
    to_forward: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts)


def open_tickets_by_age(establishment_ids, now=None) -> dict[int, TicketAges]:
    """Open incidents per school and age bracket, in one grouped query."""
    from maintenance.models import OPEN_STATUSES, Ticket, TicketStatus

    now = now or timezone.now()
    aggregates = {"to_forward": Count("pk", filter=Q(status=TicketStatus.TO_RRUPN))}
    for index, (lower, upper) in enumerate(AGE_BRACKETS):
        window = Q(created_at__lte=now - datetime.timedelta(days=lower))
        if upper is not None:
            window &= Q(created_at__gt=now - datetime.timedelta(days=upper))
        aggregates[f"b{index}"] = Count("pk", filter=window)
    rows = (
        Ticket.objects.filter(establishment_id__in=establishment_ids, status__in=OPEN_STATUSES)
        .values("establishment_id")
        .annotate(**aggregates)
        .order_by()
    )
    found = {
        row["establishment_id"]: TicketAges(
            row["establishment_id"],
            [row[f"b{i}"] for i in range(len(AGE_BRACKETS))],
            row["to_forward"],
        )
        for row in rows
    }
    return {pk: found.get(pk, TicketAges(pk, [0] * len(AGE_BRACKETS))) for pk in establishment_ids}


def oldest_open_tickets(establishment_ids, limit=5) -> list:
    from maintenance.models import OPEN_STATUSES, Ticket

    return list(
        Ticket.objects.filter(establishment_id__in=establishment_ids, status__in=OPEN_STATUSES)
        .select_related("establishment")
        .only(
            "pk",
            "title",
            "status",
            "created_at",
            "establishment__uai",
            "establishment__name",
        )
        .order_by("created_at")[:limit]
    )
