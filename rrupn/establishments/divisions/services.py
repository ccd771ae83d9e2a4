"""Writes on classes and groups: by hand, or from a file (importers.py) in one transaction.

The natural key of a class or group is its code within the establishment and school year, so
importing the same file twice changes nothing the second time.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from rrupn.audit.services import audit_record
from rrupn.establishments.models import Division, DivisionKind
from rrupn.establishments.services import ImportResult, RowError

from .importers import Parsed


class DivisionError(Exception):
    """A refused change; the message is shown to the user as is."""


@dataclass
class DivisionData:
    code: str
    kind: str
    label: str = ""
    level: str = ""
    pupil_count: int = 0
    member_ids: list[int] = field(default_factory=list)


def divisions_of(establishment, school_year):
    return Division.objects.filter(establishment=establishment, school_year=school_year)


def _snapshot(division, member_codes) -> dict:
    return {
        "code": division.code,
        "type": division.kind,
        "libellé": division.label,
        "niveau": division.level,
        "effectif": division.pupil_count,
        "classes": sorted(member_codes),
    }


def _members_codes(division) -> list[str]:
    return [d.code for d in division.divisions.all()] if division.pk else []


@transaction.atomic
def division_save(*, establishment, school_year, user, data: DivisionData, division=None):
    """Create (division=None) or change a class or group of the establishment's school year."""
    code = data.code.strip()
    if not code:
        raise DivisionError(_("Indiquez le code de la classe ou du groupe."))
    if data.pupil_count is None or data.pupil_count < 0:
        raise DivisionError(_("L'effectif est un nombre d'élèves, 0 ou plus."))
    same_code = divisions_of(establishment, school_year).filter(code=code)
    if division is not None:
        same_code = same_code.exclude(pk=division.pk)
    if same_code.exists():
        raise DivisionError(
            _("Le code « %(code)s » est déjà pris pour cette année scolaire.") % {"code": code}
        )
    members = list(
        divisions_of(establishment, school_year).filter(
            pk__in=data.member_ids, kind=DivisionKind.DIVISION
        )
    )
    if data.member_ids and data.kind != DivisionKind.GROUP:
        raise DivisionError(_("Seul un groupe a des classes d'appartenance."))
    if len(members) != len(set(data.member_ids)) or (division and division in members):
        raise DivisionError(_("Les classes d'appartenance sont des classes de cette année."))
    if (
        division is not None
        and data.kind == DivisionKind.GROUP
        and division.kind == DivisionKind.DIVISION
        and division.groups.exists()
    ):
        raise DivisionError(
            _("« %(code)s » est la classe d'appartenance de groupes : elle reste une classe.")
            % {"code": division.code}
        )
    before = _snapshot(division, _members_codes(division)) if division else None
    if division is None:
        division = Division(establishment=establishment, school_year=school_year)
    division.code = code
    division.kind = data.kind
    division.label = data.label.strip()
    division.level = data.level.strip()
    division.pupil_count = data.pupil_count
    division.save()
    division.divisions.set(members)
    after = _snapshot(division, [m.code for m in members])
    audit_record(
        actor=user,
        action="division.created" if before is None else "division.changed",
        obj=division,
        before=before,
        after=after,
        summary=f"{division.get_kind_display()} {division.code} "
        + ("créée" if before is None else "modifiée"),
    )
    return division


def _check_members(parsed: Parsed, existing: dict) -> list[RowError]:
    """A group's classes are classes of the file or, failing that, already in the portal."""
    in_file = {row.code: row.kind for row in parsed.rows}
    errors = []
    for row in parsed.rows:
        for code in row.member_codes:
            kind = in_file.get(code) or (existing[code].kind if code in existing else None)
            if kind is None:
                errors.append(
                    RowError(
                        row.line, "classes", _("classe « %(code)s » inconnue") % {"code": code}
                    )
                )
            elif kind != DivisionKind.DIVISION:
                errors.append(
                    RowError(
                        row.line, "classes", _("« %(code)s » n'est pas une classe") % {"code": code}
                    )
                )
    return errors


def divisions_import(*, establishment, school_year, user, parsed: Parsed) -> ImportResult:
    """Write the parsed classes and groups: all or nothing, idempotent (key: the code)."""
    result = ImportResult(errors=list(parsed.errors))
    if result.errors:
        return result
    with transaction.atomic():
        existing = {
            d.code: d
            for d in divisions_of(establishment, school_year)
            .select_for_update()
            .prefetch_related("divisions")
        }
        result.errors = _check_members(parsed, existing)
        if result.errors:
            return result
        by_code = {}
        for row in parsed.rows:
            division = existing.get(row.code)
            if division is None:
                division = Division.objects.create(
                    establishment=establishment,
                    school_year=school_year,
                    code=row.code,
                    kind=row.kind,
                    label=row.label,
                    level=row.level,
                    pupil_count=row.pupil_count,
                    source=parsed.source,
                )
                result.created += 1
            else:
                wanted = {"pupil_count": row.pupil_count}
                if row.sets_details:
                    wanted.update(kind=row.kind, label=row.label, level=row.level)
                changed = {k: v for k, v in wanted.items() if getattr(division, k) != v}
                members_changed = row.sets_details and sorted(row.member_codes) != sorted(
                    _members_codes(division)
                )
                if changed:
                    for key, value in changed.items():
                        setattr(division, key, value)
                    division.save(update_fields=list(changed))
                if changed or members_changed:
                    result.updated += 1
                else:
                    result.unchanged += 1
            by_code[row.code] = division
        for row in parsed.rows:
            if row.sets_details:
                members = [by_code.get(code) or existing[code] for code in row.member_codes]
                by_code[row.code].divisions.set(members)
        if not (result.created or result.updated):
            return result  # the same file again: nothing to record
        audit_record(
            actor=user,
            action=f"divisions.imported.{parsed.source}",
            establishment=establishment,
            after={
                "année": school_year.label,
                "créées": result.created,
                "modifiées": result.updated,
                "inchangées": result.unchanged,
            },
            summary=f"Import des classes et groupes ({_SOURCES[parsed.source]}) : "
            f"{result.created} créé(s), {result.updated} modifié(s)",
        )
    return result


_SOURCES = {"csv": "fichier CSV", "ent": "export des utilisateurs de l'ENT"}
