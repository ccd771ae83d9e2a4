"""The core's own contributions: is a RRUPN designated for this school year?"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rrupn.accounts.models import Role, RoleAssignment

from .registry import ChecklistItem, SraneColumn, Status, checklist, srane_columns


def rrupn_names(establishment_ids, school_year) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    rows = (
        RoleAssignment.objects.active(school_year)
        .filter(establishment_id__in=establishment_ids, role=Role.RRUPN)
        .select_related("user")
        .order_by("user__last_name")
    )
    for row in rows:
        names.setdefault(row.establishment_id, []).append(str(row.user))
    return names


def rrupn_status(names: list[str] | None, url: str = "") -> Status:
    if names:
        return Status(True, ", ".join(names), url)
    return Status(False, str(_("Aucun RRUPN désigné")), url)


checklist.register(
    ChecklistItem(
        key="rrupn_designated",
        label=_("RRUPN désigné pour l'année scolaire"),
        order=0,
        # Signing the mission letter designates the RRUPN (missions.services.letter_sign).
        status=lambda est, year: rrupn_status(
            rrupn_names([est.pk], year).get(est.pk), reverse("missions:list", args=[est.uai])
        ),
        action=_("Désigner par la lettre de mission"),
    )
)


def rrupn_column(establishments, school_year) -> dict[int, Status]:
    names = rrupn_names([est.pk for est in establishments], school_year)
    return {est.pk: rrupn_status(names.get(est.pk)) for est in establishments}


srane_columns.register(
    SraneColumn(key="rrupn_designated", label=_("RRUPN désigné"), order=0, values=rrupn_column)
)
