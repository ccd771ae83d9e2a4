"""Establishment roles derived from academic SSO claims (formats/sso_gar.md §B).

Input is a claims dict: OIDC userinfo/id_token (strings or lists) or SAML attributes (every value
a list). Attribute names are compared case-insensitively, since IdPs differ on the casing.

- FrEduRneResp: establishments the agent heads, `UAI$UAJ$PU$N$T3$LYC$340` or a bare UAI; `X` = none.
- FrEduFonctAdm=DIR: personnel de direction, so head of every UAI listed in FrEduRne.
- FrEduRne: `UAI$UAJ$PU$<function>$UAJ$T3$<type>$<nature>`; the function gives the role,
  `title` stands in when the function field is missing.
"""

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from rrupn.audit.services import audit_record
from rrupn.establishments.models import Establishment
from rrupn.establishments.uai import is_valid_uai

from .models import Role, RoleAssignment, RoleSource

logger = logging.getLogger(__name__)

FUNCTION_ROLES = {
    "ENS": Role.TEACHER,
    "DOC": Role.DOCUMENTALISTE,
    "EDU": Role.CPE,
    "DIR": Role.HEAD,
}
NONE_MARKER = "X"
# An older CAS flavour sends one string with the values joined by ';'.
VALUE_SEPARATORS = re.compile(r"[;,]")


@dataclass(frozen=True)
class DerivedRoles:
    roles: frozenset[tuple[str, str]]  # (uai, role)
    invalid: tuple[str, ...] = ()  # values whose UAI is malformed or has a wrong key letter

    @property
    def uais(self) -> set[str]:
        return {uai for uai, _role in self.roles}


@dataclass
class SyncResult:
    granted: list[RoleAssignment] = field(default_factory=list)
    revoked: list[tuple[str, str]] = field(default_factory=list)  # (uai, role)
    unknown_uais: list[str] = field(default_factory=list)


def claim_values(claims: Mapping[str, Any], name: str) -> list[str]:
    """All values of a claim, whatever its casing, whether it came as a string or a list."""
    wanted = name.lower()
    raw = next((value for key, value in claims.items() if key.lower() == wanted), None)
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    values = []
    for item in items:
        values += [part.strip() for part in VALUE_SEPARATORS.split(str(item)) if part.strip()]
    return values


def derive_roles(claims: Mapping[str, Any]) -> DerivedRoles:
    roles: set[tuple[str, str]] = set()
    invalid: list[str] = []

    def add(value: str, role: str) -> None:
        uai = value.split("$", 1)[0].strip().upper()
        if uai == NONE_MARKER:
            return
        if is_valid_uai(uai):
            roles.add((uai, role))
        else:
            invalid.append(value)

    titles = [t.upper() for t in claim_values(claims, "title")]
    title_role = next((FUNCTION_ROLES[t] for t in titles if t in FUNCTION_ROLES), None)
    is_direction = any(v.upper() == "DIR" for v in claim_values(claims, "FrEduFonctAdm"))

    for value in claim_values(claims, "FrEduRneResp"):
        add(value, Role.HEAD)
    for value in claim_values(claims, "FrEduRne"):
        fields = value.split("$")
        function = fields[3].strip().upper() if len(fields) > 3 else ""
        role = FUNCTION_ROLES.get(function) if function else title_role
        if is_direction:
            add(value, Role.HEAD)
        if role is not None:
            add(value, role)
    if invalid:
        logger.warning("SSO claims carry invalid UAIs: %s", invalid)
    return DerivedRoles(frozenset(roles), tuple(dict.fromkeys(invalid)))


@transaction.atomic
def apply_sso_roles(user, derived: DerivedRoles) -> SyncResult:
    """Make the user's SSO-sourced roles match the claims; manual and letter roles stay untouched."""
    result = SyncResult()
    known = {e.uai: e for e in Establishment.objects.filter(uai__in=derived.uais)}
    result.unknown_uais = sorted(derived.uais - set(known))
    wanted = {(known[uai], role) for uai, role in derived.roles if uai in known}
    wanted_keys = {(e.pk, role) for e, role in wanted}

    held = RoleAssignment.objects.filter(user=user, school_year__isnull=True).select_related(
        "establishment"
    )
    held_keys = set()
    for assignment in held:
        key = (assignment.establishment_id, assignment.role)
        held_keys.add(key)
        if assignment.source == RoleSource.SSO and key not in wanted_keys:
            _audit(user, assignment, "role.sso_revoked", before=_describe(assignment), after=None)
            result.revoked.append((assignment.establishment.uai, assignment.role))
            assignment.delete()

    for establishment, role in sorted(wanted, key=lambda item: (item[0].uai, item[1])):
        if (establishment.pk, role) in held_keys:
            continue  # already held, from the SSO or granted by hand
        assignment = RoleAssignment.objects.create(
            user=user, establishment=establishment, role=role, source=RoleSource.SSO
        )
        _audit(user, assignment, "role.sso_granted", before=None, after=_describe(assignment))
        result.granted.append(assignment)
    return result


def sync_roles_from_claims(user, claims: Mapping[str, Any]) -> SyncResult:
    return apply_sso_roles(user, derive_roles(claims))


def _describe(assignment: RoleAssignment) -> dict:
    return {
        "personne": assignment.user.email,
        "etablissement": assignment.establishment.uai,
        "role": assignment.role,
        "origine": assignment.source,
    }


def _audit(user, assignment: RoleAssignment, action: str, *, before, after) -> None:
    verb = "attribué" if after else "retiré"
    audit_record(
        actor=user,
        action=action,
        obj=assignment,
        establishment=assignment.establishment,
        before=before,
        after=after,
        summary=(
            f"Rôle {assignment.get_role_display()} {verb} à {assignment.user.email} "
            f"par la connexion académique"
        ),
    )
