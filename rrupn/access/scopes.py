"""What a person can reach: establishments through roles, départements through SRANE scopes."""

from dataclasses import dataclass, field

from rrupn.accounts.models import RoleAssignment, SraneLevel
from rrupn.establishments.models import Department, Establishment


@dataclass
class UserAccess:
    user: object
    school_year: object
    _roles: dict | None = field(default=None, repr=False)
    _departments: tuple | None = field(default=None, repr=False)

    def _load_roles(self) -> dict:
        """{uai: (establishment, frozenset(roles))} in one query."""
        if self._roles is None:
            by_uai: dict = {}
            rows = (
                RoleAssignment.objects.active(self.school_year)
                .filter(user=self.user)
                .select_related("establishment")
                .order_by("establishment__name")
            )
            for row in rows:
                est, roles = by_uai.get(row.establishment.uai, (row.establishment, frozenset()))
                by_uai[est.uai] = (est, roles | {row.role})
            self._roles = by_uai
        return self._roles

    @property
    def establishments(self) -> list[Establishment]:
        return [est for est, _roles in self._load_roles().values()]

    def establishment_roles(self, uai: str):
        return self._load_roles().get(uai, (None, frozenset()))

    @property
    def srane_departments(self) -> tuple[str, ...]:
        if self._departments is None:
            departments: set[str] = set()
            if self.user.is_authenticated:
                for level, department in self.user.srane_scopes.values_list("level", "department"):
                    if level == SraneLevel.ACADEMIE:
                        departments.update(Department.values)
                    else:
                        departments.add(department)
            self._departments = tuple(sorted(departments))
        return self._departments

    @property
    def is_academie(self) -> bool:
        return set(self.srane_departments) == set(Department.values)


def user_access(user, school_year) -> UserAccess:
    access = UserAccess(user=user, school_year=school_year)
    if not user.is_authenticated:
        access._roles, access._departments = {}, ()
    return access
