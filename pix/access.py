"""Who may see which pupils' Pix results in an establishment (issue 7, part 7).

The one place that answers it, used by every nominative page and export:
- the direction (head, direction) and the RRUPN: every class;
- a teacher: the classes whose teaching team (`Division.teachers`) includes them;
- anyone else (gestionnaire, documentaliste, CPE…): no class — counts only.

A participation belongs to a class through its portal division (`Participation.division`) or,
when the import could not link one, through its class code as Pix exported it.
"""

from dataclasses import dataclass

from django.db.models import Q

from rrupn.accounts.models import Role
from rrupn.establishments.models import Division

from .capabilities import PIX_STAFF


@dataclass(frozen=True)
class PupilScope:
    """The classes whose pupils a person may see: every one (`everything`) or those listed."""

    everything: bool = False
    division_ids: frozenset = frozenset()
    codes: frozenset = frozenset()

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.division_ids and not self.codes

    def allows(self, division_code: str, division_id: int | None = None) -> bool:
        if self.everything:
            return True
        return (division_id is not None and division_id in self.division_ids) or (
            division_code in self.codes
        )

    def q(self, prefix: str = "") -> Q:
        """A filter on participations (`prefix` = "participation__" from a related model)."""
        if self.everything:
            return Q()
        if self.nothing:
            return Q(pk__in=[])
        return Q(**{f"{prefix}division_id__in": self.division_ids}) | Q(
            **{f"{prefix}division_code__in": self.codes}
        )

    def filter(self, queryset, prefix: str = ""):
        return queryset.filter(self.q(prefix))


EVERYTHING = PupilScope(everything=True)
NOTHING = PupilScope()


def pupil_scope(user, establishment, roles, school_year=None) -> PupilScope:
    """The classes of `establishment` whose pupils `user` (holding `roles` there) may see.

    `school_year` narrows a teacher's classes to that year's (a campaign's year); without it, the
    classes they teach in any year count. One query for a teacher, none otherwise.
    """
    roles = set(roles)
    if roles & PIX_STAFF:
        return EVERYTHING
    if Role.TEACHER not in roles or user is None or not user.is_authenticated:
        return NOTHING
    taught = Division.objects.filter(establishment=establishment, teachers=user)
    if school_year is not None:
        taught = taught.filter(school_year=school_year)
    rows = list(taught.values_list("pk", "code"))
    if not rows:
        return NOTHING
    return PupilScope(
        division_ids=frozenset(pk for pk, _code in rows),
        codes=frozenset(code for _pk, code in rows),
    )


def request_pupil_scope(request, school_year=None) -> PupilScope:
    """`pupil_scope` for the current person in the current establishment."""
    return pupil_scope(request.user, request.establishment, request.roles, school_year)
