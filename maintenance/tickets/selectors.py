"""Reads the incident pages and the three screens share (a constant number of queries)."""

from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.db.models import Case, Count, IntegerField, Min, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from maintenance.models import (
    OPEN_STATUSES,
    Delivery,
    DeliveryStatus,
    Ticket,
    TicketStatus,
)
from rrupn.access.capabilities import roles_grant


def visible_tickets(establishment, user, roles):
    """The school's incidents this person sees: all but others' drafts for those who handle
    incidents, their own otherwise."""
    tickets = Ticket.objects.filter(establishment=establishment)
    if roles_grant(roles, "tickets.handle"):
        return tickets.filter(~Q(status=TicketStatus.DRAFT) | Q(reporter=user))
    return tickets.filter(reporter=user)


def ticket_list(establishment, user, roles, *, status: str = "", channel: str = ""):
    """Open first, then the most recent; with what the list shows, in one query."""
    tickets = visible_tickets(establishment, user, roles).select_related(
        "category", "channel", "reporter"
    )
    if status == "open":
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif status:
        tickets = tickets.filter(status=status)
    if channel:
        tickets = tickets.filter(channel__code=channel)
    return tickets.annotate(
        is_open=Case(
            When(status__in=OPEN_STATUSES, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("is_open", "-created_at")


def to_forward(establishment, statuses=(TicketStatus.TO_RRUPN,)):
    return (
        Ticket.objects.filter(establishment=establishment, status__in=statuses)
        .select_related("category", "channel", "reporter")
        .order_by("created_at")
    )


def age_days(since) -> int:
    return (timezone.now() - since).days


@dataclass(frozen=True)
class OpenCount:
    count: int
    oldest: object  # datetime or None
    to_forward: int = 0  # teachers' reports waiting for the RRUPN

    @property
    def oldest_days(self) -> int | None:
        return age_days(self.oldest) if self.oldest else None


def open_counts(establishment_ids) -> dict[int, OpenCount]:
    rows = (
        Ticket.objects.filter(establishment_id__in=establishment_ids, status__in=OPEN_STATUSES)
        .values("establishment_id")
        .annotate(
            count=Count("pk"),
            oldest=Min("created_at"),
            to_forward=Count("pk", filter=Q(status=TicketStatus.TO_RRUPN)),
        )
        .order_by()
    )
    found = {
        row["establishment_id"]: OpenCount(row["count"], row["oldest"], row["to_forward"])
        for row in rows
    }
    return {pk: found.get(pk, OpenCount(0, None)) for pk in establishment_ids}


@dataclass
class CollectiviteLine:
    name: str
    open_count: int = 0
    oldest: object = None
    resolved_count: int = 0
    median_resolution: timedelta | None = None
    failed_deliveries: int = 0

    @property
    def oldest_days(self) -> int | None:
        return age_days(self.oldest) if self.oldest else None

    @property
    def median_days(self) -> str:
        if self.median_resolution is None:
            return "—"
        days = self.median_resolution.total_seconds() / 86400
        return f"{days:.1f}".replace(".", ",")


def by_collectivite(departments) -> list[CollectiviteLine]:
    """Open incidents, age of the oldest, median time to resolution and failed deliveries per
    collectivité of the SRANE's scope: three queries whatever the number of schools."""
    scope = Q(establishment__department__in=departments)
    lines: dict = {}

    def line(key, name):
        return lines.setdefault(key, CollectiviteLine(name=name or _("Sans collectivité")))

    open_rows = (
        Ticket.objects.filter(scope, status__in=OPEN_STATUSES)
        .values("establishment__collectivite_id", "establishment__collectivite__name")
        .annotate(count=Count("pk"), oldest=Min("created_at"))
        .order_by()
    )
    for row in open_rows:
        item = line(row["establishment__collectivite_id"], row["establishment__collectivite__name"])
        item.open_count, item.oldest = row["count"], row["oldest"]
    # Durations are read as pairs (no portable SQL median): two datetimes per resolved ticket.
    durations: dict = {}
    resolved = Ticket.objects.filter(scope, resolved_at__isnull=False).values_list(
        "establishment__collectivite_id",
        "establishment__collectivite__name",
        "created_at",
        "resolved_at",
    )
    for key, name, created_at, resolved_at in resolved:
        line(key, name)
        durations.setdefault(key, []).append(resolved_at - created_at)
    for key, values in durations.items():
        lines[key].resolved_count = len(values)
        lines[key].median_resolution = median(values)
    failed_rows = (
        Delivery.objects.filter(
            Q(ticket__establishment__department__in=departments), status=DeliveryStatus.FAILED
        )
        .values(
            "ticket__establishment__collectivite_id", "ticket__establishment__collectivite__name"
        )
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in failed_rows:
        key = row["ticket__establishment__collectivite_id"]
        line(key, row["ticket__establishment__collectivite__name"]).failed_deliveries = row["count"]
    return sorted(lines.values(), key=lambda item: str(item.name))


def handoff_text(ticket) -> str:
    """The ready-to-paste text of a hand-off channel."""
    est = ticket.establishment
    rows = [
        (_("Établissement"), f"{est.name} ({est.commune})"),
        (_("UAI"), est.uai),
        (_("Signalé par"), f"{ticket.reporter} <{ticket.reporter.email}>"),
        (_("Catégorie"), str(ticket.category)),
        (_("Salle"), ticket.room or "—"),
        (_("Matériel"), ticket.equipment or "—"),
        (_("Urgence"), ticket.get_urgency_display()),
        (_("Référence du portail"), ticket.reference),
    ]
    lines = [f"{ticket.title}", ""] + [f"{label} : {value}" for label, value in rows]
    return "\n".join([*lines, "", _("Description :"), ticket.description])
