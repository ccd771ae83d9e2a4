"""Reads of the assignment pages: licences used against licences available, and coverage.

Licences are counted per public (nbLicenceEleve…) or globally (nbLicenceGlobale, RG1); ILLIMITE
never limits. "Used" here means assigned in the portal; the GAR's own assignment report (the
used_* counts imported by the subscriptions part) is shown next to it, never mixed in.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy

from gar.models import UNLIMITED, GarAssignment, GarSubscription, Public
from rrupn.accounts.models import Role, RoleAssignment, User
from rrupn.establishments.models import Division, DivisionKind

# publicCible → (licence count field, GAR report count field, words for a message)
PUBLIC_FIELDS = {
    Public.ELEVE: ("licences_eleve", "used_eleve", gettext_lazy("licences élèves")),
    Public.ENSEIGNANT: (
        "licences_enseignant",
        "used_enseignant",
        gettext_lazy("licences enseignants"),
    ),
    Public.DOCUMENTALISTE: (
        "licences_doc",
        "used_doc",
        gettext_lazy("licences professeurs documentalistes"),
    ),
    Public.AUTRE_PERSONNEL: (
        "licences_autre",
        "used_autre",
        gettext_lazy("licences autres personnels"),
    ),
}
GLOBAL_WORDS = gettext_lazy("licences (tous publics)")


def parse_count(value: str) -> int | None:
    """A licence count as a number; None for ILLIMITE; an empty count gives no licence."""
    if value == UNLIMITED:
        return None
    return int(value) if value.isdigit() else 0


@dataclass(frozen=True)
class Pool:
    """The licences of one public, or of every public when the count is global."""

    public: str | None  # None: nbLicenceGlobale
    label: str
    words: str
    available: int | None  # None: ILLIMITE
    used: int
    reported: int | None = None  # the GAR assignment report's count, once imported

    @property
    def unlimited(self) -> bool:
        return self.available is None

    @property
    def left(self) -> int | None:
        return None if self.available is None else self.available - self.used

    @property
    def percent(self) -> int | None:
        if not self.available:
            return None
        return min(100, (100 * self.used) // self.available)


def is_global(subscription) -> bool:
    return bool(subscription.licences_global)


def pools(subscription, used_by_public: dict[str, int]) -> list[Pool]:
    reported = subscription.report_imported_at is not None

    def report(publics):
        if not reported:
            return None
        return sum(getattr(subscription, PUBLIC_FIELDS[p][1]) for p in publics)

    if is_global(subscription):
        return [
            Pool(
                None,
                gettext_lazy("Tous publics"),
                GLOBAL_WORDS,
                parse_count(subscription.licences_global),
                sum(used_by_public.values()),
                report(Public.values),
            )
        ]
    return [
        Pool(
            public,
            Public(public).label,
            PUBLIC_FIELDS[public][2],
            parse_count(getattr(subscription, PUBLIC_FIELDS[public][0])),
            used_by_public.get(public, 0),
            report([public]),
        )
        for public in Public.values
        if public in subscription.publics or used_by_public.get(public)
    ]


def pool_for(subscription, public, used_by_public) -> Pool:
    found = pools(subscription, used_by_public)
    if is_global(subscription):
        return found[0]
    return next(
        (pool for pool in found if pool.public == public),
        Pool(public, Public(public).label, PUBLIC_FIELDS[public][2], 0, 0),
    )


def used_by_public(subscription_ids) -> dict[int, dict[str, int]]:
    """{subscription id: {public: licences assigned}} in one query."""
    rows = (
        GarAssignment.objects.filter(subscription_id__in=subscription_ids)
        .values("subscription_id", "public")
        .annotate(n=Sum("licences"))
        .order_by()
    )
    used: dict[int, dict[str, int]] = {}
    for row in rows:
        used.setdefault(row["subscription_id"], {})[row["public"]] = row["n"]
    return used


@dataclass(frozen=True)
class Coverage:
    subscription: GarSubscription
    pools: list[Pool]
    assignments: int

    @property
    def assigned(self) -> bool:
        return self.assignments > 0


def subscriptions_of(establishment, school_year):
    return GarSubscription.objects.filter(
        establishment=establishment, school_year=school_year
    ).select_related("resource")


def coverage_of(subscriptions) -> list[Coverage]:
    """Licences and assignment count of each subscription, in two queries for any number."""
    subscriptions = list(subscriptions.annotate(assignment_count=Count("assignments")))
    used = used_by_public([s.pk for s in subscriptions])
    return [Coverage(s, pools(s, used.get(s.pk, {})), s.assignment_count) for s in subscriptions]


@dataclass(frozen=True)
class SchoolCoverage:
    total: int = 0
    assigned: int = 0

    @property
    def percent(self) -> int | None:
        return None if not self.total else (100 * self.assigned) // self.total


def school_coverage(establishment_ids, school_year) -> dict[int, SchoolCoverage]:
    """{establishment id: share of the year's subscriptions with at least one assignment}."""
    rows = (
        GarSubscription.objects.filter(
            establishment_id__in=establishment_ids, school_year=school_year
        )
        .values("establishment_id")
        .annotate(
            total=Count("pk", distinct=True),
            assigned=Count("pk", filter=Q(assignments__isnull=False), distinct=True),
        )
        .order_by()
    )
    return {row["establishment_id"]: SchoolCoverage(row["total"], row["assigned"]) for row in rows}


def teachers_of(establishment, school_year):
    """The people holding a teacher role in the school this year (permanent or yearly)."""
    role_holders = RoleAssignment.objects.active(school_year).filter(
        establishment=establishment, role=Role.TEACHER
    )
    return User.objects.filter(pk__in=role_holders.values("user_id"), is_active=True).order_by(
        "last_name", "first_name"
    )


def divisions_of(establishment, school_year):
    return Division.objects.filter(establishment=establishment, school_year=school_year)


def pupils_in_classes(establishment, school_year) -> int:
    """Pupils of the school's classes (groups draw from the classes: not counted twice)."""
    total = divisions_of(establishment, school_year).filter(kind=DivisionKind.DIVISION)
    return total.aggregate(n=Sum("pupil_count"))["n"] or 0
