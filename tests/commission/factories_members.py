"""A commission with members, a meeting, an action: building blocks of the members/meetings tests."""

import datetime

from django.utils import timezone

from commission.models import Action, Commission, CommissionMember, Meeting, MemberCategory
from rrupn.accounts.models import Role
from rrupn.establishments.models import SchoolYear

from ..factories import RoleAssignmentFactory, UserFactory


def staff(school, role=Role.TEACHER, discipline="", **names):
    user = UserFactory(discipline=discipline, **names)
    RoleAssignmentFactory(user=user, establishment=school, role=role)
    return user


def commission(school, **extra) -> Commission:
    return Commission.objects.create(
        establishment=school, school_year=SchoolYear.current(), **extra
    )


def member(com, user=None, category=MemberCategory.OTHER, **extra) -> CommissionMember:
    if user is None and "outsider_name" not in extra:
        user = staff(com.establishment)
    return CommissionMember.objects.create(commission=com, user=user, category=category, **extra)


def meeting(com, *, days=7, **extra) -> Meeting:
    """A meeting `days` from now (negative: held in the past)."""
    creator = extra.pop("created_by", None) or staff(com.establishment, Role.RRUPN)
    return Meeting.objects.create(
        commission=com,
        starts_at=extra.pop("starts_at", None) or timezone.now() + datetime.timedelta(days=days),
        place=extra.pop("place", "Salle du conseil"),
        created_by=creator,
        **extra,
    )


def action(com, owner=None, **extra) -> Action:
    return Action.objects.create(
        commission=com, owner=owner or member(com), title=extra.pop("title", "Former"), **extra
    )
