"""Reading a Pix Orga campaign result export (formats/pix.md §1), both kinds.

Pure: no database access. `parse(data)` returns a `ParseResult` holding either the export (the
campaign's identity and one row per pupil, the latest send kept) or every error found, each
with its line and column name, in French. The services write nothing when there is an error.

What the exports look like (Pix's `csv.js` and the two export serializers):
- `;` separator, UTF-8 with a BOM (files re-saved by a spreadsheet may have lost it);
- strings quoted with inner quotes doubled, numbers bare with a decimal comma, digit-only
  strings bare too (a class `601`), a string starting with - @ = + prefixed with `'`;
- `Oui`/`Non`, `NA` where a result is not available (not shared / not sent);
- dates `DD/MM/YYYY HH:mm` in Europe/Paris; older profiles exports `YYYY-MM-DD` (UTC);
- an assessment export has `Partage (O/N)` and per-competence triples (mastery ratio, targeted
  and validated skills) then per-domain triples; a profiles collection has `Envoi (O/N)` and a
  level and a pix count for each of the 16 competences.
"""

import csv
import datetime
import io
import re
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pix import crcn
from pix.models import CAMPAIGN_CODE_RE, CampaignKind
from rrupn.establishments.services import RowError

from .matching import match_key, normalise

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DELIMITER = ";"
WHOLE_LINE = gettext_lazy("(ligne entière)")

ORGANISATION = "Nom de l'organisation"
CAMPAIGN_ID = "ID Campagne"
CODE = "Code"
CAMPAIGN_NAME = "Nom de la campagne"
TARGET_PROFILE = "Parcours"
LAST_NAME = "Nom du Participant"
FIRST_NAME = "Prénom du Participant"
DIVISION = "Classe"
GROUP = "Groupe"
STUDENT_NUMBER = "Numéro Étudiant"
PROGRESSION = "% de progression"
STARTED_AT = "Date et heure de début (Europe/Paris)"
SHARED = "Partage (O/N)"
SHARED_AT = "Date et heure du partage (Europe/Paris)"
PROFILE_MASTERY = "% maitrise de l'ensemble des acquis du profil"
SENT = "Envoi (O/N)"
SENT_AT = "Date et heure de l'envoi (Europe/Paris)"
TOTAL_PIX = "Nombre de pix total"
CERTIFIABLE = "Certifiable (O/N)"
CERTIFIABLE_COMPETENCES = "Nombre de compétences certifiables"

# Older header names (earlier fr.json) → today's.
ALIASES = {
    "Nom du Profil Cible": TARGET_PROFILE,
    "Date de début": STARTED_AT,
    "Date du partage": SHARED_AT,
    "Date de l'envoi": SENT_AT,
    "Numéro étudiant": STUDENT_NUMBER,
}
IDENTITY = {DIVISION, GROUP, STUDENT_NUMBER}
COMMON_REQUIRED = [ORGANISATION, CAMPAIGN_ID, CAMPAIGN_NAME, LAST_NAME, FIRST_NAME]
ASSESSMENT_REQUIRED = [TARGET_PROFILE, STARTED_AT, SHARED, SHARED_AT, PROFILE_MASTERY]
PROFILES_REQUIRED = [SENT, SENT_AT, TOTAL_PIX, CERTIFIABLE, CERTIFIABLE_COMPETENCES]
# Where the result columns begin: anything unknown before it (after the names) is the external
# id or a column of a generic learner import.
ASSESSMENT_ANCHORS = (PROGRESSION, STARTED_AT)
PROFILES_ANCHORS = (SENT,)

COMPETENCE_PATTERNS = [
    (re.compile(r"^% de maitrise des acquis de la compétence (?P<name>.+)$"), "mastery"),
    (re.compile(r"^Nombre d'acquis du profil cible dans la compétence (?P<name>.+)$"), "targeted"),
    (re.compile(r"^Acquis maitrisés dans la compétence (?P<name>.+)$"), "validated"),
]
DOMAIN_PATTERNS = [
    (re.compile(r"^% de maitrise des acquis du domaine (?P<name>.+)$"), "mastery"),
    (re.compile(r"^Nombre d'acquis du profil cible du domaine (?P<name>.+)$"), "targeted"),
    (re.compile(r"^Acquis maitrisés du domaine (?P<name>.+)$"), "validated"),
]
PROFILE_PATTERNS = [
    (re.compile(r"^Niveau pour la compétence (?P<name>.+)$"), "level"),
    (re.compile(r"^Nombre de pix pour la compétence (?P<name>.+)$"), "pix"),
]
STAGE_RE = re.compile(r"^Palier obtenu \(/(?P<count>\d+)\)$")
BADGE_RE = re.compile(r"^(?P<title>.+) obtenu \(O/N\)$")
ASSESSMENT_TRIPLE = ("mastery", "targeted", "validated")
PROFILES_PAIR = ("level", "pix")

COMPETENCE_BY_NAME = {normalise(name): code for code, name in crcn.COMPETENCES}
DOMAIN_BY_TITLE = {normalise(title): str(number) for number, title in crcn.DOMAINS}
MAX_LEVEL = crcn.LEVELS
MAX_COMPETENCE_PIX = crcn.LEVELS * crcn.PIX_PER_LEVEL
YES, NO, NA = "Oui", "Non", "NA"
DATE_TIME_RE = re.compile(r"^(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2})$")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
INTEGER_RE = re.compile(r"^\d+$")
DECIMAL_RE = re.compile(r"^\d+(?:[,.]\d+)?$")


@dataclass
class PupilRow:
    line: int
    last_name: str
    first_name: str
    division_code: str = ""
    external_id: str = ""
    started_at: datetime.datetime | None = None
    progression: Decimal | None = None
    shared: bool = False
    shared_at: datetime.datetime | None = None
    stage: int | None = None
    mastery: Decimal | None = None
    badges: dict = field(default_factory=dict)
    domains: dict = field(default_factory=dict)
    total_pix: int | None = None
    certifiable: bool | None = None
    certifiable_competences: int | None = None
    # CRCN code → {"mastery", "targeted", "validated"} or {"level", "pix"}
    competences: dict = field(default_factory=dict)

    @cached_property
    def match_key(self) -> str:
        return match_key(self.last_name, self.first_name, self.division_code)

    def recency(self):
        """Sort key of the pupil's rows: the latest send wins, else the latest start."""
        floor = datetime.datetime.min.replace(tzinfo=datetime.UTC)
        return (self.shared_at is not None, self.shared_at or floor, self.started_at or floor)


@dataclass
class Export:
    kind: str
    organisation_name: str
    pix_id: int
    code: str  # "" in very old exports (no Code column)
    campaign_name: str
    target_profile: str
    stage_count: int | None
    badge_titles: list[str]
    external_id_label: str
    competence_codes: list[str]
    rows: list[PupilRow]  # one per pupil, file order
    line_count: int  # result lines in the file (before keeping one per pupil)

    @property
    def duplicates(self) -> int:
        return self.line_count - len(self.rows)

    def dates(self) -> list[datetime.datetime]:
        return [d for row in self.rows for d in (row.started_at, row.shared_at) if d is not None]


@dataclass
class ParseResult:
    export: Export | None = None
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.export is not None and not self.errors


def unescape(value: str) -> str:
    """Undo Pix's formula escaping: `'-x` → `-x` (also for @, = and +)."""
    if len(value) > 1 and value[0] == "'" and value[1] in "-@=+":
        return value[1:]
    return value


def _header_name(raw: str) -> str:
    name = unescape(raw.strip()).replace("’", "'") if raw else ""
    return ALIASES.get(name, name)


@dataclass
class _Layout:
    """What each column of the header means."""

    kind: str
    index: dict  # fixed column name → position
    external_id: int | None = None
    stage: tuple[int, int] | None = None  # (position, N)
    badges: list = field(default_factory=list)  # (position, title)
    competences: dict = field(default_factory=dict)  # code → {part: position}
    domains: dict = field(default_factory=dict)  # key → {"title", part: position}
    width: int = 0
    headers: list = field(default_factory=list)


def decode(data: bytes | str) -> tuple[str | None, list[RowError]]:
    if isinstance(data, str):
        return data.removeprefix("\ufeff"), []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [
            RowError(
                1,
                WHOLE_LINE,
                _(
                    "le fichier n'est pas encodé en UTF-8 : importez le fichier tel que Pix Orga "
                    "l'a exporté, sans l'ouvrir ni l'enregistrer dans un tableur"
                ),
            )
        ]
    if "\x00" in text:
        return None, [RowError(1, WHOLE_LINE, _("ce fichier n'est pas un fichier texte CSV"))]
    return text, []


def _read_header(headers: list[str]) -> tuple[_Layout | None, list[RowError]]:
    names = [_header_name(h) for h in headers]
    errors = []
    if not any(names) or len(names) < 2:
        return None, [
            RowError(
                1,
                WHOLE_LINE,
                _(
                    "ce fichier n'est pas un export de résultats de campagne Pix Orga "
                    "(en-tête attendu : colonnes séparées par des points-virgules)"
                ),
            )
        ]
    missing = [name for name in COMMON_REQUIRED if name not in names]
    is_assessment, is_profiles = SHARED in names, SENT in names
    if missing or is_assessment == is_profiles:
        errors = [
            RowError(
                1,
                WHOLE_LINE,
                _(
                    "ce fichier n'est pas un export de résultats de campagne Pix Orga "
                    "(« Exporter les résultats » d'une campagne d'évaluation ou de collecte de "
                    "profils)"
                ),
            )
        ]
        errors += [RowError(1, name, _("colonne obligatoire absente")) for name in missing]
        if is_assessment and is_profiles:
            errors.append(
                RowError(
                    1, SENT, _("colonne d'une collecte de profils dans un export d'évaluation")
                )
            )
        else:
            errors.append(RowError(1, f"{SHARED} / {SENT}", _("colonne obligatoire absente")))
        return None, errors

    kind = CampaignKind.ASSESSMENT if is_assessment else CampaignKind.PROFILES
    required = ASSESSMENT_REQUIRED if is_assessment else PROFILES_REQUIRED
    anchors = ASSESSMENT_ANCHORS if is_assessment else PROFILES_ANCHORS
    fixed = set(COMMON_REQUIRED) | set(required) | IDENTITY | {CODE}
    if is_assessment:
        fixed.add(PROGRESSION)
    layout = _Layout(
        kind=kind,
        index={},
        width=len(names),
        headers=[unescape(h.strip()) for h in headers],
    )
    anchor = min((names.index(a) for a in anchors if a in names), default=len(names))
    first_name_at = names.index(FIRST_NAME)
    unknown_before = []
    results_started = False
    trailing = False
    for position, name in enumerate(names):
        label = name or "(vide)"
        if name in fixed:
            if name in layout.index:
                errors.append(RowError(1, label, _("colonne présente plusieurs fois")))
            layout.index[name] = position
            continue
        if position < anchor:
            if position > first_name_at:
                unknown_before.append(position)
                continue
            errors.append(RowError(1, label, _("colonne inconnue à cette place")))
            continue
        if trailing:
            continue  # SHOW_SKILLS columns (one per skill, OK / KO / Non testé): not kept
        if _classify_result(layout, position, name, errors):
            results_started = True
            continue
        if results_started and (layout.competences or layout.domains):
            trailing = True  # after the competence columns: skill columns, tolerated
            continue
        errors.append(RowError(1, label, _("colonne inconnue dans un export Pix Orga")))
    for name in required:
        if name not in layout.index:
            errors.append(RowError(1, name, _("colonne obligatoire absente")))
    # The external id is the last unknown column before the results (after the class, group
    # and student number when present); earlier ones are extra columns of a learner import.
    identity_end = max([layout.index[n] for n in IDENTITY if n in layout.index] or [first_name_at])
    after_identity = [p for p in unknown_before if p > identity_end]
    candidates = after_identity or unknown_before
    if candidates:
        layout.external_id = candidates[-1]
    parts = ASSESSMENT_TRIPLE if is_assessment else PROFILES_PAIR
    for code, positions in sorted(layout.competences.items()):
        for part in parts:
            if part not in positions:
                errors.append(
                    RowError(
                        1,
                        _competence_name(code),
                        _("colonne « %(part)s » absente pour cette compétence")
                        % {"part": _part_label(part)},
                    )
                )
    for _key, positions in sorted(layout.domains.items()):
        for part in ASSESSMENT_TRIPLE:
            if part not in positions:
                errors.append(
                    RowError(
                        1,
                        positions["title"],
                        _("colonne « %(part)s » absente pour ce domaine")
                        % {"part": _part_label(part)},
                    )
                )
    return (None if errors else layout), errors


def _competence_name(code: str) -> str:
    return dict(crcn.COMPETENCES)[code]


def _part_label(part: str) -> str:
    return {
        # xgettext:no-python-format
        "mastery": _("% de maîtrise"),
        "targeted": _("nombre d'acquis"),
        "validated": _("acquis maîtrisés"),
        "level": _("niveau"),
        "pix": _("nombre de pix"),
    }[part]


def _classify_result(layout: _Layout, position: int, name: str, errors: list) -> bool:
    """Record a result column of the header; False when the name is not one."""
    label = name or "(vide)"
    if layout.kind == CampaignKind.ASSESSMENT:
        match = STAGE_RE.match(name)
        if match:
            layout.stage = (position, int(match["count"]))
            return True
        for pattern, part in COMPETENCE_PATTERNS:
            match = pattern.match(name)
            if match:
                code = COMPETENCE_BY_NAME.get(normalise(match["name"]))
                if code is None:
                    errors.append(RowError(1, label, _("compétence inconnue du CRCN")))
                elif part in layout.competences.setdefault(code, {}):
                    errors.append(RowError(1, label, _("colonne présente plusieurs fois")))
                else:
                    layout.competences[code][part] = position
                return True
        for pattern, part in DOMAIN_PATTERNS:
            match = pattern.match(name)
            if match:
                title = match["name"].strip()
                key = DOMAIN_BY_TITLE.get(normalise(title), title)
                cell = layout.domains.setdefault(key, {"title": title})
                if part in cell:
                    errors.append(RowError(1, label, _("colonne présente plusieurs fois")))
                cell[part] = position
                return True
        match = BADGE_RE.match(name)
        if match and name != SHARED:
            layout.badges.append((position, match["title"].strip()))
            return True
        return False
    for pattern, part in PROFILE_PATTERNS:
        match = pattern.match(name)
        if match:
            code = COMPETENCE_BY_NAME.get(normalise(match["name"]))
            if code is None:
                errors.append(RowError(1, label, _("compétence inconnue du CRCN")))
            elif part in layout.competences.setdefault(code, {}):
                errors.append(RowError(1, label, _("colonne présente plusieurs fois")))
            else:
                layout.competences[code][part] = position
            return True
    return False


class _Cells:
    """Typed reading of one row's cells; every bad value adds an error and gives None."""

    def __init__(self, line: int, cells: list[str], headers: list[str], errors: list):
        self.line, self.cells, self.headers, self.errors = line, cells, headers, errors

    def _error(self, position: int, message: str):
        self.errors.append(RowError(self.line, self.headers[position] or "(vide)", message))

    def raw(self, position: int | None) -> str:
        return "" if position is None else self.cells[position].strip()

    def text(self, position: int | None) -> str:
        return unescape(self.raw(position))

    def required_text(self, position: int) -> str:
        value = self.text(position)
        if not value:
            self._error(position, _("valeur vide"))
        return value

    def _na(self, position, value, allow_na):
        if value == NA or value == "":
            if not allow_na:
                self._error(
                    position,
                    _("valeur attendue, « %(value)s » trouvé") % {"value": value or "vide"},
                )
            return True
        return False

    def integer(self, position, *, allow_na=True, maximum=None):
        value = self.raw(position)
        if self._na(position, value, allow_na):
            return None
        if not INTEGER_RE.match(value):
            self._error(position, _("« %(value)s » n'est pas un nombre entier") % {"value": value})
            return None
        number = int(value)
        if maximum is not None and number > maximum:
            self._error(
                position,
                _("%(number)s dépasse le maximum possible (%(maximum)s)")
                % {"number": number, "maximum": maximum},
            )
            return None
        return number

    def ratio(self, position, *, allow_na=True):
        value = self.raw(position)
        if self._na(position, value, allow_na):
            return None
        if not DECIMAL_RE.match(value):
            self._error(
                position,
                _("« %(value)s » n'est pas un nombre (virgule décimale : 0,75)") % {"value": value},
            )
            return None
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern already checked it
            self._error(position, _("« %(value)s » n'est pas un nombre") % {"value": value})
            return None
        if number > 1:
            self._error(
                position,
                _("« %(value)s » n'est pas une proportion entre 0 et 1") % {"value": value},
            )
            return None
        return number.quantize(Decimal("0.001"))

    def yes_no(self, position, *, allow_na=False):
        value = self.raw(position)
        if value == YES:
            return True
        if value == NO:
            return False
        if allow_na and value == NA:
            return None
        if allow_na:
            message = _("« %(value)s » : « Oui », « Non » ou « NA » attendu")
        else:
            message = _("« %(value)s » : « Oui » ou « Non » attendu")
        self._error(position, message % {"value": value or _("vide")})
        return None

    def date(self, position, *, allow_na=True):
        if position is None:
            return None
        value = self.raw(position)
        if self._na(position, value, allow_na):
            return None
        try:
            match = DATE_TIME_RE.match(value)
            if match:
                day, month, year, hour, minute = (int(g) for g in match.groups())
                return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)
            match = ISO_DATE_RE.match(value)
            if match:  # older send dates: the UTC day
                year, month, day = (int(g) for g in match.groups())
                return datetime.datetime(year, month, day, tzinfo=datetime.UTC)
        except ValueError:
            self._error(
                position, _("« %(value)s » n'est pas une date qui existe") % {"value": value}
            )
            return None
        self._error(
            position,
            _("« %(value)s » n'est pas une date au format JJ/MM/AAAA HH:MM") % {"value": value},
        )
        return None


def _read_row(layout: _Layout, line: int, cells: list[str], errors: list) -> PupilRow:
    at = layout.index.get
    read = _Cells(line, cells, layout.headers, errors)
    row = PupilRow(
        line=line,
        last_name=read.required_text(at(LAST_NAME)),
        first_name=read.required_text(at(FIRST_NAME)),
        division_code=read.text(at(DIVISION)),
        external_id=read.text(layout.external_id),
    )
    if layout.kind == CampaignKind.ASSESSMENT:
        _read_assessment(layout, read, row)
    else:
        _read_profiles(layout, read, row)
    return row


def _read_assessment(layout: _Layout, read: _Cells, row: PupilRow) -> None:
    at = layout.index.get
    if at(PROGRESSION) is not None:
        row.progression = read.ratio(at(PROGRESSION), allow_na=False)
    row.started_at = read.date(at(STARTED_AT), allow_na=False)
    row.shared = bool(read.yes_no(at(SHARED)))
    row.shared_at = read.date(at(SHARED_AT))
    if row.shared and row.shared_at is None and read.raw(at(SHARED_AT)) in (NA, ""):
        read._error(at(SHARED_AT), _("date du partage absente alors que le résultat est partagé"))
    if not row.shared:
        row.shared_at = None
    if layout.stage:
        position, count = layout.stage
        row.stage = read.integer(position, maximum=count)
    row.mastery = read.ratio(at(PROFILE_MASTERY))
    for position, title in layout.badges:
        row.badges[title] = read.yes_no(position, allow_na=True)
    for code, positions in layout.competences.items():
        values = {
            "mastery": read.ratio(positions["mastery"]),
            "targeted": read.integer(positions["targeted"]),
            "validated": read.integer(positions["validated"]),
        }
        if any(v is not None for v in values.values()):
            row.competences[code] = values
    for key, positions in layout.domains.items():
        values = {
            "mastery": read.ratio(positions["mastery"]),
            "targeted": read.integer(positions["targeted"]),
            "validated": read.integer(positions["validated"]),
        }
        if any(v is not None for v in values.values()):
            row.domains[key] = {
                "title": positions["title"],
                "mastery": None if values["mastery"] is None else float(values["mastery"]),
                "targeted": values["targeted"],
                "validated": values["validated"],
            }


def _read_profiles(layout: _Layout, read: _Cells, row: PupilRow) -> None:
    at = layout.index.get
    row.shared = bool(read.yes_no(at(SENT)))
    row.shared_at = read.date(at(SENT_AT))
    if row.shared and row.shared_at is None and read.raw(at(SENT_AT)) in (NA, ""):
        read._error(at(SENT_AT), _("date de l'envoi absente alors que le profil est envoyé"))
    if not row.shared:
        row.shared_at = None
    row.total_pix = read.integer(at(TOTAL_PIX), maximum=crcn.MAX_PIX)
    row.certifiable = read.yes_no(at(CERTIFIABLE), allow_na=True)
    row.certifiable_competences = read.integer(
        at(CERTIFIABLE_COMPETENCES), maximum=crcn.COMPETENCE_COUNT
    )
    for code, positions in layout.competences.items():
        values = {
            "level": read.integer(positions["level"], maximum=MAX_LEVEL),
            "pix": read.integer(positions["pix"], maximum=MAX_COMPETENCE_PIX),
        }
        if any(v is not None for v in values.values()):
            row.competences[code] = values


def _campaign_identity(layout: _Layout, rows_cells, errors) -> dict | None:
    """The campaign columns, the same on every line (else the file mixes campaigns)."""
    at = layout.index.get
    columns = [ORGANISATION, CAMPAIGN_ID, CODE, CAMPAIGN_NAME, TARGET_PROFILE]
    seen = {}
    for line, cells in rows_cells:
        for name in columns:
            if at(name) is None:
                continue
            value = unescape(cells[at(name)].strip())
            if name not in seen:
                seen[name] = (value, line)
            elif seen[name][0] != value:
                errors.append(
                    RowError(
                        line,
                        name,
                        _(
                            "« %(value)s » diffère de la ligne %(line)s (« %(other)s ») : un "
                            "export ne porte qu'une campagne"
                        )
                        % {"value": value, "line": seen[name][1], "other": seen[name][0]},
                    )
                )
                seen[name] = (value, line)
    if not seen:
        return None
    first_line = rows_cells[0][0]
    identity = {name: value for name, (value, _line) in seen.items()}
    pix_id = identity.get(CAMPAIGN_ID, "")
    if not INTEGER_RE.match(pix_id):
        errors.append(
            RowError(
                first_line,
                CAMPAIGN_ID,
                _("« %(value)s » n'est pas un nombre entier") % {"value": pix_id},
            )
        )
    code = identity.get(CODE, "")
    if CODE in layout.index and not CAMPAIGN_CODE_RE.match(code):
        errors.append(
            RowError(
                first_line,
                CODE,
                _("« %(value)s » n'est pas un code de campagne (6 lettres, 3 chiffres)")
                % {"value": code},
            )
        )
    if not identity.get(ORGANISATION):
        errors.append(RowError(first_line, ORGANISATION, _("valeur vide")))
    if not identity.get(CAMPAIGN_NAME):
        errors.append(RowError(first_line, CAMPAIGN_NAME, _("valeur vide")))
    return identity


def parse(data: bytes | str) -> ParseResult:
    """Read an export; errors are listed all at once, with their line and column."""
    text, errors = decode(data)
    if text is None:
        return ParseResult(errors=errors)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITER)
    try:
        headers = next(reader, [])
        layout, errors = _read_header(headers)
        if layout is None:
            return ParseResult(errors=errors)
        rows_cells = []
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != layout.width:
                errors.append(
                    RowError(
                        line,
                        WHOLE_LINE,
                        _("%(found)s colonnes au lieu de %(width)s (celles de l'en-tête)")
                        % {"found": len(cells), "width": layout.width},
                    )
                )
                continue
            rows_cells.append((line, cells))
    except csv.Error as exc:
        return ParseResult(
            errors=[
                *errors,
                RowError(
                    reader.line_num, WHOLE_LINE, _("CSV illisible (%(error)s)") % {"error": exc}
                ),
            ]
        )
    if not rows_cells and not errors:
        return ParseResult(
            errors=[RowError(2, WHOLE_LINE, _("le fichier ne contient aucun participant"))]
        )
    identity = _campaign_identity(layout, rows_cells, errors) if rows_cells else None
    rows = [_read_row(layout, line, cells, errors) for line, cells in rows_cells]
    if errors or identity is None:
        return ParseResult(errors=sorted(errors, key=lambda e: e.line))
    latest = {}
    for row in rows:
        kept = latest.get(row.match_key)
        if kept is None or row.recency() > kept.recency():
            latest[row.match_key] = row
    kept_rows = sorted(latest.values(), key=lambda r: r.line)
    export = Export(
        kind=layout.kind,
        organisation_name=identity.get(ORGANISATION, ""),
        pix_id=int(identity[CAMPAIGN_ID]),
        code=identity.get(CODE, ""),
        campaign_name=identity.get(CAMPAIGN_NAME, ""),
        target_profile=identity.get(TARGET_PROFILE, ""),
        stage_count=layout.stage[1] if layout.stage else None,
        badge_titles=[title for _p, title in layout.badges],
        external_id_label=layout.headers[layout.external_id]
        if layout.external_id is not None
        else "",
        competence_codes=sorted(layout.competences),
        rows=kept_rows,
        line_count=len(rows),
    )
    return ParseResult(export=export)
