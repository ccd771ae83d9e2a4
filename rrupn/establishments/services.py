"""Writes on establishments: the reference CSV import and the derivation rules."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Department, DerivationRule, Establishment, Kind, Sector
from .uai import validate_uai

COLUMNS = ["uai", "name", "kind", "sector", "commune", "postal_code", "department"]


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return _("ligne %(line)s, colonne « %(column)s » : %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def _check_choice(value, choices, line, column, label, errors):
    if value not in choices:
        errors.append(
            RowError(line, column, f"{label} inconnu « {value} » (attendu : {', '.join(choices)})")
        )


def parse_establishments(text: str) -> tuple[list[dict], list[RowError]]:
    """Validate every row; return the clean rows and every error with its line and column."""
    errors: list[RowError] = []
    rows: list[dict] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        return [], [RowError(1, "-", "le fichier est vide")]
    if [h.strip() for h in header] != COLUMNS:
        return [], [RowError(1, "-", f"en-tête attendu : {','.join(COLUMNS)}")]
    seen: dict[str, int] = {}
    for line_no, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(COLUMNS):
            errors.append(RowError(line_no, "-", f"{len(raw)} colonnes au lieu de {len(COLUMNS)}"))
            continue
        row = {name: value.strip() for name, value in zip(COLUMNS, raw, strict=True)}
        try:
            validate_uai(row["uai"])
        except ValidationError as exc:
            errors.append(RowError(line_no, "uai", exc.messages[0]))
        if row["uai"] in seen:
            errors.append(RowError(line_no, "uai", f"UAI déjà présent ligne {seen[row['uai']]}"))
        seen[row["uai"]] = line_no
        _check_choice(row["kind"], Kind.values, line_no, "kind", "type", errors)
        _check_choice(row["sector"], Sector.values, line_no, "sector", "secteur", errors)
        _check_choice(
            row["department"], Department.values, line_no, "department", "département", errors
        )
        for column in ("name", "commune"):
            if not row[column]:
                errors.append(RowError(line_no, column, "valeur obligatoire"))
        if not row["postal_code"]:
            pass  # the published data has no postal code for lycées
        elif not (row["postal_code"].isdigit() and len(row["postal_code"]) == 5):
            errors.append(RowError(line_no, "postal_code", "code postal à 5 chiffres attendu"))
        elif row["department"] and not row["postal_code"].startswith(row["department"]):
            errors.append(
                RowError(line_no, "postal_code", "le code postal ne correspond pas au département")
            )
        rows.append(row)
    return rows, errors


def establishments_import(*, text: str) -> ImportResult:
    """Import the reference CSV: all or nothing, idempotent (natural key: UAI)."""
    rows, errors = parse_establishments(text)
    result = ImportResult(errors=errors)
    if errors:
        return result
    rules = list(DerivationRule.objects.all())
    with transaction.atomic():
        existing = {e.uai: e for e in Establishment.objects.select_for_update()}
        for row in rows:
            establishment = existing.get(row["uai"])
            if establishment is None:
                establishment = Establishment(**row)
                establishment.apply_rules(rules)
                establishment.save()
                result.created += 1
                continue
            changed = [key for key, value in row.items() if getattr(establishment, key) != value]
            if changed:
                for key in changed:
                    setattr(establishment, key, row[key])
                if {"kind", "department"} & set(changed):
                    establishment.apply_rules(rules)
                establishment.save()
                result.updated += 1
            else:
                result.unchanged += 1
    return result


def establishments_apply_rules() -> int:
    """Re-derive collectivité, ENT and server for every establishment; return how many changed."""
    rules = list(DerivationRule.objects.all())
    changed = []
    for establishment in Establishment.objects.all():
        before = (
            establishment.collectivite_id,
            establishment.ent_id,
            establishment.pedagogical_server_id,
        )
        establishment.apply_rules(rules)
        after = (
            establishment.collectivite_id,
            establishment.ent_id,
            establishment.pedagogical_server_id,
        )
        if before != after:
            changed.append(establishment)
    Establishment.objects.bulk_update(
        changed, ["collectivite", "ent", "pedagogical_server"], batch_size=500
    )
    return len(changed)
