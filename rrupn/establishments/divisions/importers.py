"""Reading classes and groups from a file: the portal's simple CSV, or an ENT user export.

Both parsers validate every line first and return clean rows plus every error with its line and
column; `divisions_import` (services.py) then writes them in one transaction.

Simple CSV (`;`-separated, UTF-8, a header line):
    code;libelle;type;niveau;effectif;classes
    3A;3e A;CLASSE;3e;28;
    LAT3;Latin 3e;GROUPE;3e;12;3A, 3B
`type` is CLASSE or GROUPE; `classes` (groups only) lists the codes of the classes the group's
pupils come from, separated by commas; each must be a class of the file or already in the portal.

ENT user export (Open ENT NG / Edifice directory, formats/sso_gar.md §C): one line per person.
Only the Type and Classes columns are read, to count pupils per class: names, logins and
activation codes are never read, so they can never reach the database.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from rrupn.establishments.models import DivisionKind
from rrupn.establishments.services import RowError

CSV_COLUMNS = ["code", "libelle", "type", "niveau", "effectif", "classes"]
KINDS = {"CLASSE": DivisionKind.DIVISION, "GROUPE": DivisionKind.GROUP}
MAX_PUPILS = 5000
CODE_MAX, LABEL_MAX, LEVEL_MAX = 50, 150, 30

# Headers of the Edifice export: the current 16 columns (translated with fr.json) and the older
# 12-column template (view/text/export.id.txt), with their raw labels.
ENT_HEADERS = [
    [
        "Id",
        "Identifiant SIECLE",
        "Type",
        "Nom",
        "Prénom",
        "Identifiant",
        "Login personnalisé (Alias)",
        "Code d'activation",
        "Fonctions",
        "Établissements",
        "Classes",
        "Enfants",
        "Parents",
        "Dernière connexion",
        "Courriel",
        "Téléphone",
    ],
    [
        "Id",
        "Identifiant SIECLE",
        "Type",
        "Nom",
        "Prénom",
        "Identifiant",
        "Code d'activation",
        "Fonctions",
        "Établissements",
        "Classes",
        "Enfants",
        "Parents",
    ],
    [
        "Id",
        "Id Siecle",
        "Type",
        "Nom",
        "Prénom",
        "Login",
        "Code d'activation",
        "Fonction(s)",
        "Structure(s)",
        "Classe(s)",
        "Enfant(s)",
        "Parent(s)",
    ],
]
# "Élève" once translated; the untranslated profile name when the theme lacks the key.
PUPIL_TYPES = {"eleve", "student"}
KNOWN_TYPES = PUPIL_TYPES | {
    "enseignant",
    "teacher",
    "parent",
    "relative",
    "personnel",
    "invite",
    "guest",
}


@dataclass
class DivisionRow:
    line: int
    code: str
    kind: str
    label: str = ""
    level: str = ""
    pupil_count: int = 0
    member_codes: list[str] = field(default_factory=list)
    # False: keep the label and level already typed in the portal (an ENT export has none).
    sets_details: bool = True


@dataclass
class Parsed:
    rows: list[DivisionRow]
    errors: list[RowError]
    source: str
    pupils: int = 0  # ENT export: pupils counted
    pupils_without_class: int = 0


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); Windows-1252 as spreadsheets save it otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _fold(text: str) -> str:
    """Lower case without accents, for comparing headers and types as people type them."""
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("’", "'")


def _split_codes(cell: str) -> list[str]:
    return [code.strip() for code in cell.split(",") if code.strip()]


def guess_level(code: str) -> str:
    """The level a class code usually starts with (6A → 6e, 2GT1 → 2de, TSTI → Tle)."""
    match = re.match(r"^\s*([6543]|2|1|T)", code.upper())
    if not match:
        return ""
    return {"2": "2de", "1": "1re", "T": "Tle"}.get(match.group(1), f"{match.group(1)}e")


def _check_code(code, line, column, errors):
    if not code:
        errors.append(RowError(line, column, _("code de classe ou de groupe obligatoire")))
    elif len(code) > CODE_MAX:
        errors.append(
            RowError(
                line, column, _("code trop long (au plus %(max)s caractères)") % {"max": CODE_MAX}
            )
        )


def parse_divisions_csv(text: str) -> Parsed:
    errors: list[RowError] = []
    rows: list[DivisionRow] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    header = next(reader, None)
    if header is None or not any(h.strip() for h in header):
        return Parsed([], [RowError(1, "-", _("le fichier est vide"))], "csv")
    if [_fold(h) for h in header] != CSV_COLUMNS:
        return Parsed(
            [],
            [
                RowError(
                    1, "-", _("en-tête attendu : %(columns)s") % {"columns": ";".join(CSV_COLUMNS)}
                )
            ],
            "csv",
        )
    seen: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(CSV_COLUMNS):
            errors.append(
                RowError(
                    line,
                    "-",
                    _("%(found)s colonnes au lieu de %(expected)s")
                    % {"found": len(raw), "expected": len(CSV_COLUMNS)},
                )
            )
            continue
        cell = dict(zip(CSV_COLUMNS, (value.strip() for value in raw), strict=True))
        _check_code(cell["code"], line, "code", errors)
        if cell["code"] in seen:
            errors.append(
                RowError(
                    line,
                    "code",
                    _("code déjà présent ligne %(line)s") % {"line": seen[cell["code"]]},
                )
            )
        seen.setdefault(cell["code"], line)
        if len(cell["libelle"]) > LABEL_MAX:
            errors.append(
                RowError(
                    line, "libelle", _("libellé trop long (au plus %(max)s)") % {"max": LABEL_MAX}
                )
            )
        if len(cell["niveau"]) > LEVEL_MAX:
            errors.append(
                RowError(
                    line, "niveau", _("niveau trop long (au plus %(max)s)") % {"max": LEVEL_MAX}
                )
            )
        kind = KINDS.get(cell["type"].upper())
        if kind is None:
            errors.append(
                RowError(
                    line,
                    "type",
                    _("type inconnu « %(type)s » (CLASSE ou GROUPE)") % {"type": cell["type"]},
                )
            )
        count = cell["effectif"]
        if not count.isdigit() or int(count) > MAX_PUPILS:
            errors.append(
                RowError(
                    line,
                    "effectif",
                    _("effectif invalide « %(count)s » (nombre d'élèves)") % {"count": count},
                )
            )
        members = _split_codes(cell["classes"])
        if members and kind == DivisionKind.DIVISION:
            errors.append(
                RowError(line, "classes", _("seul un groupe a des classes d'appartenance"))
            )
        if cell["code"] in members:
            errors.append(RowError(line, "classes", _("un groupe ne peut appartenir à lui-même")))
        rows.append(
            DivisionRow(
                line=line,
                code=cell["code"],
                kind=kind or DivisionKind.DIVISION,
                label=cell["libelle"],
                level=cell["niveau"],
                pupil_count=int(count) if count.isdigit() else 0,
                member_codes=members,
            )
        )
    if not rows and not errors:
        errors.append(RowError(2, "-", _("aucune classe ni aucun groupe dans le fichier")))
    return Parsed(rows, errors, "csv")


def _ent_columns(header: list[str]) -> tuple[int, int] | None:
    folded = [_fold(h) for h in header]
    for variant in ENT_HEADERS:
        if folded == [_fold(h) for h in variant]:
            classes = "classes" if "classes" in folded else "classe(s)"
            return folded.index("type"), folded.index(classes)
    return None


def parse_ent_export(text: str) -> Parsed:
    """Count the pupils (Type Élève) of each class of the Classes column."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";", quotechar='"')
    header = next(reader, None)
    if header is None or not any(h.strip() for h in header):
        return Parsed([], [RowError(1, "-", _("le fichier est vide"))], "ent")
    columns = _ent_columns(header)
    if columns is None:
        expected = ";".join(ENT_HEADERS[0])
        message = _(
            "ce n'est pas un export des utilisateurs de l'ENT (en-tête attendu : %(expected)s)"
        ) % {"expected": expected}
        return Parsed([], [RowError(1, "-", message)], "ent")
    type_at, classes_at = columns
    classes_label = header[classes_at].strip()
    errors: list[RowError] = []
    counts: dict[str, int] = {}
    first_line: dict[str, int] = {}
    parsed = Parsed([], errors, "ent")
    for line, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(header):
            errors.append(
                RowError(
                    line,
                    "-",
                    _("%(found)s colonnes au lieu de %(expected)s")
                    % {"found": len(raw), "expected": len(header)},
                )
            )
            continue
        person_type = _fold(raw[type_at])
        if person_type not in KNOWN_TYPES:
            errors.append(
                RowError(
                    line, "Type", _("type de compte inconnu « %(type)s »") % {"type": raw[type_at]}
                )
            )
            continue
        if person_type not in PUPIL_TYPES:
            continue  # teachers and parents have classes too: only pupils are counted
        classes = _split_codes(raw[classes_at])
        parsed.pupils += 1
        if not classes:
            parsed.pupils_without_class += 1
        for code in classes:
            if len(code) > CODE_MAX:
                errors.append(
                    RowError(
                        line,
                        classes_label,
                        _("nom de classe trop long (au plus %(max)s)") % {"max": CODE_MAX},
                    )
                )
                continue
            counts[code] = counts.get(code, 0) + 1
            first_line.setdefault(code, line)
    if not parsed.pupils and not errors:
        errors.append(RowError(2, "Type", _("aucun élève dans l'export")))
    parsed.rows = [
        DivisionRow(
            line=first_line[code],
            code=code,
            kind=DivisionKind.DIVISION,
            label=code,
            level=guess_level(code),
            pupil_count=count,
            sets_details=False,
        )
        for code, count in sorted(counts.items())
    ]
    return parsed
