"""Reads of the commission pages: composition, gaps, staff to choose from, terms."""

import datetime
import unicodedata

from django.utils import timezone

from rrupn.accounts.models import Role, RoleAssignment, User

from ..models import (
    OPEN_ACTION_STATUSES,
    RECOMMENDED_CATEGORIES,
    Action,
    Commission,
    CommissionMember,
    Meeting,
    MemberCategory,
)

TEACHING_ROLES = (Role.TEACHER, Role.DOCUMENTALISTE)


def commission_of(establishment, school_year) -> Commission | None:
    return (
        Commission.objects.filter(establishment=establishment, school_year=school_year)
        .select_related("validated_by", "school_year", "establishment")
        .first()
    )


def members_of(commission):
    return CommissionMember.objects.filter(commission=commission).select_related("user")


def in_guide_order(members) -> list:
    """Members in the order of the guide's categories (direction first), then by name."""
    rank = {value: index for index, value in enumerate(MemberCategory.values)}
    return sorted(members, key=lambda m: (rank.get(m.category, len(rank)), str(m).casefold()))


def staff_of(establishment, school_year):
    """People holding any role in the establishment this year: who may become a member."""
    ids = RoleAssignment.objects.active(school_year).filter(establishment=establishment)
    return User.objects.filter(pk__in=ids.values("user_id"), is_active=True).order_by(
        "last_name", "first_name"
    )


def folded(text: str) -> str:
    """ "Éducation musicale " and "education MUSICALE" are the same discipline."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def disciplines_taught(establishment, school_year) -> list[str]:
    """Disciplines of the teachers and documentalistes of the school this year, one spelling
    each."""
    ids = (
        RoleAssignment.objects.active(school_year)
        .filter(establishment=establishment, role__in=TEACHING_ROLES)
        .values("user_id")
    )
    names = (
        User.objects.filter(pk__in=ids, is_active=True)
        .exclude(discipline="")
        .order_by("discipline")
        .values_list("discipline", flat=True)
        .distinct()
    )
    by_key: dict[str, str] = {}
    for name in names:
        key, kept = folded(name), by_key.get(folded(name))
        # "Éducation musicale" rather than "education musicale": keep a written-out spelling.
        if kept is None or (kept.casefold() == kept and name.strip().casefold() != name.strip()):
            by_key[key] = name.strip()
    return sorted(by_key.values(), key=folded)


def missing_categories(members) -> list[MemberCategory]:
    present = {m.category for m in members}
    return [c for c in RECOMMENDED_CATEGORIES if c not in present]


def disciplines_without_referent(taught: list[str], members) -> list[str]:
    covered = {
        folded(m.discipline)
        for m in members
        if m.category == MemberCategory.DISCIPLINE_REFERENT and m.discipline
    }
    return [d for d in taught if folded(d) not in covered]


def term_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The term of a day: September–December, January–March, April–August."""
    if day.month >= 9:
        return datetime.date(day.year, 9, 1), datetime.date(day.year, 12, 31)
    if day.month <= 3:
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 3, 31)
    return datetime.date(day.year, 4, 1), datetime.date(day.year, 8, 31)


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def meetings_of(commission):
    return Meeting.objects.filter(commission=commission).order_by("-starts_at")


def open_actions(commission):
    return (
        Action.objects.filter(commission=commission, status__in=OPEN_ACTION_STATUSES)
        .select_related("owner__user", "meeting")
        .order_by("due_on", "pk")
    )


def validation_was_cleared(commission) -> bool:
    """Did a change of members lift the head's validation, with no new submission since?"""
    from django.contrib.contenttypes.models import ContentType

    from rrupn.audit.models import AuditEntry

    if commission.validated_at or commission.submitted_at:
        return False
    last = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Commission),
            object_id=str(commission.pk),
            action__in=("commission.validation_cleared", "commission.submitted"),
        )
        .order_by("-pk")
        .values_list("action", flat=True)
        .first()
    )
    return last == "commission.validation_cleared"
