"""Reads of the relay: who an announcement is for, what a RRUPN sees, who has read what.

Every function runs a fixed number of queries whatever the number of announcements, reads
and RRUPN (the dashboard block and the SRANE pages count on it)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from rrupn.accounts.models import Role, RoleAssignment

from .models import Announcement, AnnouncementRead

DASHBOARD_SIZE = 5


def rrupn_departments(access) -> tuple[str, ...]:
    """The départements where this person holds a current RRUPN role (permanent or of this
    school year), from the roles the access middleware already loaded: no query."""
    return tuple(
        sorted(
            {
                est.department
                for est in access.establishments
                if Role.RRUPN in access.establishment_roles(est.uai)[1]
            }
        )
    )


def visible_to(user, departments):
    """The live announcements addressed to these départements (or to all), each with `is_read`
    for this person; unread first, then newest first. A person RRUPN in two départements gets
    each announcement once."""
    if not departments:
        return Announcement.objects.none()
    read = AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=user)
    return (
        Announcement.objects.live()
        .for_departments(departments)
        .annotate(is_read=Exists(read))
        .order_by("is_read", "-published_at", "-pk")
    )


def dashboard_block(user, departments) -> dict:
    """The newest announcements of the dashboard (unread first) and the unread count."""
    announcements = visible_to(user, departments)
    shown = list(announcements[:DASHBOARD_SIZE])
    unread = announcements.filter(is_read=False).count() if shown else 0
    return {"announcements": shown, "unread": unread}


def managed_by(access):
    """The announcements a SRANE person manages: all for the académie SRANE, those of their
    département(s) for a département SRANE (académie-wide ones are the académie's)."""
    if access.is_academie:
        return Announcement.objects.all()
    return Announcement.objects.filter(department__in=list(access.srane_departments))


def _rrupn_rows(departments, school_year):
    """Current RRUPN roles in establishments of these départements, person and school loaded."""
    return (
        RoleAssignment.objects.active(school_year)
        .filter(role=Role.RRUPN, establishment__department__in=list(departments))
        .select_related("user", "establishment")
        .order_by("establishment__department", "establishment__name", "user__last_name", "pk")
    )


def audience_members(announcement, school_year):
    """The distinct people an announcement is for: [(user, first establishment)]."""
    members = {}
    for row in _rrupn_rows(announcement.departments, school_year):
        if row.user.is_active:
            members.setdefault(row.user_id, (row.user, row.establishment))
    return list(members.values())


def read_counts(announcements, school_year) -> dict:
    """{announcement pk: (read by, audience size)} for a page of announcements: two queries."""
    announcements = list(announcements)
    if not announcements:
        return {}
    departments = {d for a in announcements for d in a.departments}
    users_by_department = defaultdict(set)
    pairs = (
        RoleAssignment.objects.active(school_year)
        .filter(
            role=Role.RRUPN,
            establishment__department__in=list(departments),
            user__is_active=True,
        )
        .values_list("establishment__department", "user_id")
        .distinct()
    )
    for department, user_id in pairs:
        users_by_department[department].add(user_id)
    readers = defaultdict(set)
    for announcement_id, user_id in AnnouncementRead.objects.filter(
        announcement__in=announcements
    ).values_list("announcement_id", "user_id"):
        readers[announcement_id].add(user_id)
    counts = {}
    for a in announcements:
        audience = set().union(*(users_by_department[d] for d in a.departments))
        counts[a.pk] = (len(readers[a.pk] & audience), len(audience))
    return counts


@dataclass(frozen=True)
class ReadRow:
    establishment: object
    user: object
    read_at: object  # None: not read


def read_rows(announcement, school_year) -> list[ReadRow]:
    """One row per RRUPN role of the audience (a person RRUPN in two schools shows in both),
    not read first, then by département and school: two queries."""
    read_at = dict(
        AnnouncementRead.objects.filter(announcement=announcement).values_list("user_id", "read_at")
    )
    rows = [
        ReadRow(row.establishment, row.user, read_at.get(row.user_id))
        for row in _rrupn_rows(announcement.departments, school_year)
        if row.user.is_active
    ]
    return sorted(rows, key=lambda r: r.read_at is not None)  # stable: keeps the school order
