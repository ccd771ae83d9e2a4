"""Reads of the start-of-year campaign: due date, progress per school, who is late, who to remind.

Every function works on a batch of establishments in a fixed number of queries, so the SRANE
pages cost the same at 1 and at 11 000 schools.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from gar.models import (
    CampaignReminder,
    DesignationState,
    GarCampaign,
    GarSubscription,
    RespAffectation,
    default_due_date,
)
from rrupn.accounts.models import Role, RoleAssignment, User


def campaign_of(school_year) -> GarCampaign:
    """The year's campaign; an unsaved one with the default due date until the SRANE sets it."""
    campaign = GarCampaign.objects.filter(school_year=school_year).first()
    if campaign is None:
        campaign = GarCampaign(school_year=school_year, due_on=default_due_date(school_year))
    return campaign


@dataclass(frozen=True)
class Progress:
    """Where one school stands: subscriptions marked done, responsables designated."""

    total: int = 0
    done: int = 0
    designated: int = 0
    proposed: int = 0

    @property
    def complete(self) -> bool:
        return self.designated > 0 and self.done == self.total

    @property
    def percent(self) -> int | None:
        # No subscription entered: nothing to measure (national resources have no row).
        return None if self.total == 0 else (100 * self.done) // self.total


def subscription_counts(establishment_ids, school_year) -> dict[int, dict]:
    """{establishment id: {"total": n, "done": n}} for the schools with subscriptions."""
    rows = (
        GarSubscription.objects.filter(
            establishment_id__in=establishment_ids, school_year=school_year
        )
        .values("establishment_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False)))
        .order_by()
    )
    return {row.pop("establishment_id"): row for row in rows}


def designation_counts(establishment_ids, school_year) -> dict[int, dict]:
    """{establishment id: {"designated": n, "proposed": n}} for the schools with designations."""
    rows = (
        RespAffectation.objects.filter(
            establishment_id__in=establishment_ids, school_year=school_year
        )
        .values("establishment_id")
        .annotate(
            designated=Count("pk", filter=Q(state=DesignationState.DESIGNATED)),
            proposed=Count("pk", filter=Q(state=DesignationState.PROPOSED)),
        )
        .order_by()
    )
    return {row.pop("establishment_id"): row for row in rows}


def progress_by_establishment(establishment_ids, school_year) -> dict[int, Progress]:
    """{establishment id: Progress} in two queries."""
    subscriptions = subscription_counts(establishment_ids, school_year)
    designations = designation_counts(establishment_ids, school_year)
    return {
        pk: Progress(**subscriptions.get(pk, {}), **designations.get(pk, {}))
        for pk in establishment_ids
    }


def is_late(campaign: GarCampaign, progress: Progress, today: datetime.date | None = None) -> bool:
    return (today or timezone.localdate()) > campaign.due_on and not progress.complete


def days_left(campaign: GarCampaign, today: datetime.date | None = None) -> int:
    """Days before the due date (0 on the day itself, negative once past)."""
    return (campaign.due_on - (today or timezone.localdate())).days


def last_reminders(campaign: GarCampaign, establishment_ids) -> dict[int, datetime.datetime]:
    if campaign.pk is None:
        return {}
    rows = (
        CampaignReminder.objects.filter(campaign=campaign, establishment_id__in=establishment_ids)
        .values("establishment_id")
        .annotate(last=Max("sent_at"))
        .order_by()
    )
    return {row["establishment_id"]: row["last"] for row in rows}


def reminder_recipients(establishment_ids, school_year) -> dict[int, list[str]]:
    """The designated responsables' addresses, else the RRUPN's and the head's."""
    designated: dict[int, list[str]] = {}
    rows = (
        RespAffectation.objects.filter(
            establishment_id__in=establishment_ids,
            school_year=school_year,
            state=DesignationState.DESIGNATED,
        )
        .order_by("user__email")
        .values_list("establishment_id", "user__email")
    )
    for establishment_id, email in rows:
        designated.setdefault(establishment_id, []).append(email)
    fallback: dict[int, list[str]] = {}
    rows = (
        RoleAssignment.objects.active(school_year)
        .filter(establishment_id__in=establishment_ids, role__in=[Role.RRUPN, Role.HEAD])
        .order_by("role", "user__email")
        .values_list("establishment_id", "user__email")
    )
    for establishment_id, email in rows:
        addresses = fallback.setdefault(establishment_id, [])
        if email not in addresses:
            addresses.append(email)
    return {pk: designated.get(pk) or fallback.get(pk, []) for pk in establishment_ids}


@dataclass(frozen=True)
class SchoolLine:
    """One school on the SRANE campaign page."""

    establishment: object
    progress: Progress
    late: bool
    last_reminder: datetime.datetime | None


def school_lines(campaign: GarCampaign, establishments, today=None) -> list[SchoolLine]:
    """Late schools first, the least advanced first, then by name."""
    ids = [est.pk for est in establishments]
    progress = progress_by_establishment(ids, campaign.school_year)
    reminders = last_reminders(campaign, ids)
    lines = [
        SchoolLine(
            establishment=est,
            progress=progress[est.pk],
            late=is_late(campaign, progress[est.pk], today),
            last_reminder=reminders.get(est.pk),
        )
        for est in establishments
    ]
    return sorted(
        lines,
        key=lambda line: (
            not line.late,
            line.progress.complete,
            line.progress.percent if line.progress.percent is not None else -1,
            line.establishment.name,
        ),
    )


def subscriptions_of_year(establishment, school_year):
    """The school's subscriptions of the year, with how many assignments each one has."""
    return (
        GarSubscription.objects.filter(establishment=establishment, school_year=school_year)
        .select_related("resource", "done_by")
        .annotate(assignment_count=Count("assignments"))
        .order_by("resource__title", "id_abonnement")
    )


def designations_of(establishment, school_year):
    """Live designations first (designated, then proposed), then refused and withdrawn ones."""
    return (
        RespAffectation.objects.filter(establishment=establishment, school_year=school_year)
        .select_related("user", "proposed_by", "decided_by")
        .order_by("created_at")
    )


def waiting_designations(establishment, school_year):
    return designations_of(establishment, school_year).filter(state=DesignationState.PROPOSED)


def staff_of(establishment, school_year):
    """The people with a role in the school this year: (queryset, {user id: roles})."""
    roles_by_user: dict[int, set[str]] = {}
    rows = (
        RoleAssignment.objects.active(school_year)
        .filter(establishment=establishment)
        .values_list("user_id", "role")
    )
    for user_id, role in rows:
        roles_by_user.setdefault(user_id, set()).add(role)
    return User.objects.filter(pk__in=list(roles_by_user)), roles_by_user
