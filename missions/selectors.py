"""Reads the mission pages share."""

from django.db.models import Q

from rrupn.accounts.models import Role, RoleAssignment

from .models import IN_FORCE_STATES, MissionLetter

HEAD_SIDE = frozenset({Role.HEAD, Role.DIRECTION})


def is_head_side(roles) -> bool:
    return bool(HEAD_SIDE & set(roles))


def letters_visible_to(establishment, user, roles):
    """Head and direction see every letter of the school; others only letters naming them."""
    letters = MissionLetter.objects.filter(establishment=establishment).select_related(
        "school_year", "rrupn", "head", "imp_rate", "establishment"
    )
    if is_head_side(roles):
        return letters
    return letters.filter(Q(rrupn=user) | Q(created_by=user))


def staff_of(establishment, school_year):
    """People holding any role in the establishment this year: who may be designated RRUPN."""
    from rrupn.accounts.models import User

    ids = RoleAssignment.objects.active(school_year).filter(establishment=establishment)
    return User.objects.filter(pk__in=ids.values("user_id"), is_active=True).order_by(
        "last_name", "first_name"
    )


def head_side_emails(establishment, school_year) -> list[str]:
    return sorted(
        RoleAssignment.objects.active(school_year)
        .filter(establishment=establishment, role__in=HEAD_SIDE, user__is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )


def letter_in_force(establishment, school_year):
    return (
        MissionLetter.objects.filter(
            establishment=establishment, school_year=school_year, state__in=IN_FORCE_STATES
        )
        .select_related("rrupn")
        .first()
    )
