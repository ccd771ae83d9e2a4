"""Reads the practice pages and the SRANE feed share."""

from commission.models import RemarkablePractice
from rrupn.accounts.models import RoleAssignment, User


def practices_of(establishment):
    return RemarkablePractice.objects.filter(establishment=establishment).select_related(
        "author", "school_year"
    )


def staff_of(establishment, school_year):
    """The school's staff this year: who may be named as a practice's author (never pupils)."""
    holders = RoleAssignment.objects.active(school_year).filter(establishment=establishment)
    return User.objects.filter(pk__in=holders.values("user_id"), is_active=True).order_by(
        "last_name", "first_name"
    )


def shared_practices(departments, *, department="", discipline=""):
    """The SRANE feed: practices shared by the schools of these départements, newest first."""
    practices = RemarkablePractice.objects.filter(
        shared_at__isnull=False, establishment__department__in=departments
    )
    if department:
        practices = practices.filter(establishment__department=department)
    if discipline:
        practices = practices.filter(discipline__iexact=discipline)
    return practices.select_related("establishment", "author").order_by("-shared_at", "-pk")


def shared_disciplines(departments) -> list[str]:
    """The disciplines of the shared practices in scope, spelled as first met, for the filter."""
    seen: dict[str, str] = {}
    rows = (
        RemarkablePractice.objects.filter(
            shared_at__isnull=False, establishment__department__in=departments
        )
        .values_list("discipline", flat=True)
        .distinct()
        .order_by("discipline")
    )
    for discipline in rows:
        seen.setdefault(discipline.casefold(), discipline)
    return sorted(seen.values(), key=str.casefold)
