"""Reads of the RGPD register page: the activities, and who answers for them."""

from django.conf import settings

from rrupn.accounts.models import Role, RoleAssignment

from ..models import ProcessingActivity


def activities_of(establishment):
    return ProcessingActivity.objects.filter(establishment=establishment).select_related(
        "updated_by"
    )


def data_controllers(establishment, school_year) -> list:
    """The head is "responsable de traitements" (guide, "Le RGPD"); one query."""
    heads = (
        RoleAssignment.objects.active(school_year)
        .filter(establishment=establishment, role=Role.HEAD, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    people = []
    for assignment in heads:
        if assignment.user not in people:
            people.append(assignment.user)
    return people


def dpd_contact() -> str:
    return settings.RGPD_DPD_CONTACT
