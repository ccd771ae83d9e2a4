"""Reading the two GAR CSV files: the school's subscriptions and the GAR assignment report.

Both are UTF-8 (with or without BOM), `;`-separated, with a header line of GAR field names
(docs/gar-import.md). Parsing writes nothing: it returns the clean rows and every error with
its line and column; the services write only when there is no error at all.
"""

import csv
import datetime
import io
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from gar.models import AssignmentCategory, GarResource, GarSubscription, Public
from rrupn.establishments.services import RowError

from .rules import LICENCE_FIELDS, check_subscription

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # 2 Mo: thousands of rows, far more than a school has
EXTENSIONS = {".csv", ".txt"}
DELIMITER = ";"
PUBLIC_SEPARATORS = ("|", ",")

SUBSCRIPTION_REQUIRED = [
    "idAbonnement",
    "idRessource",
    "debutValidite",
    "typeAffectation",
    "publicCible",
]
SUBSCRIPTION_OPTIONAL = [
    "typeIdRessource",
    "libelleRessource",
    "commentaireAbonnement",
    "finValidite",
    "anneeFinValidite",
    "categorieAffectation",
    *LICENCE_FIELDS,
    "codeProjetRessource",
    "uaiEtab",
]
# The documented order (the sample file and the page).
SUBSCRIPTION_COLUMNS = [
    "idAbonnement",
    "idRessource",
    "typeIdRessource",
    "libelleRessource",
    "commentaireAbonnement",
    "debutValidite",
    "finValidite",
    "anneeFinValidite",
    "uaiEtab",
    "categorieAffectation",
    "typeAffectation",
    *LICENCE_FIELDS,
    "publicCible",
    "codeProjetRessource",
]
REPORT_COLUMNS = [
    "UAI",
    "idAbonnement",
    "codeProjetRessource",
    "idRessource",
    "cumulAffectationEleve",
    "cumulAffectationEnseignant",
    "cumulAffectationDocumentaliste",
    "cumulAffectationAutrePersonnel",
]
REPORT_COUNTS = REPORT_COLUMNS[4:]


def read_upload(uploaded) -> str:
    """The text of an uploaded CSV, or a ValidationError in French saying what is wrong."""
    if PurePath(uploaded.name or "").suffix.lower() not in EXTENSIONS:
        raise ValidationError(_("Le fichier doit être un fichier CSV (extension .csv ou .txt)."))
    if uploaded.size > MAX_UPLOAD_BYTES:
        size = formats.number_format(uploaded.size / 1024 / 1024, 1)  # 2,3 in French
        raise ValidationError(_("Le fichier pèse %(size)s Mo : 2 Mo au plus.") % {"size": size})
    raw = uploaded.read(MAX_UPLOAD_BYTES + 1)
    if not raw.strip():
        raise ValidationError(_("Le fichier est vide."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _(
                "Le fichier n'est pas encodé en UTF-8 : enregistrez-le en « CSV UTF-8 » "
                "(point-virgule) depuis votre tableur."
            )
        ) from None
    if "\x00" in text:
        raise ValidationError(_("Ce fichier n'est pas un fichier texte CSV."))
    first_line = text.lstrip().splitlines()[0]
    if DELIMITER not in first_line:
        raise ValidationError(
            _(
                "La première ligne doit porter les noms de colonnes séparés par des "
                "points-virgules (;)."
            )
        )
    return text


def _reader(text: str):
    return csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=DELIMITER)


def column_values(text: str, column: str) -> list[str]:
    """The values of one column (to fetch the stored rows before parsing), or []."""
    reader = _reader(text)
    header = [h.strip() for h in next(reader, [])]
    if column not in header:
        return []
    index = header.index(column)
    return [row[index].strip() for row in reader if len(row) > index]


def _header(reader, required, optional) -> tuple[list[str], list[RowError]]:
    header = [h.strip() for h in next(reader, [])]
    errors = []
    if not any(header):
        return header, [RowError(1, "-", _("le fichier n'a pas de ligne d'en-tête"))]
    for name in header:
        if name not in required and name not in optional:
            errors.append(
                RowError(1, name or "(vide)", _("colonne inconnue (voir le format documenté)"))
            )
        elif header.count(name) > 1:
            errors.append(RowError(1, name, _("colonne présente plusieurs fois")))
    for name in required:
        if name not in header:
            errors.append(RowError(1, name, _("colonne obligatoire absente")))
    return header, list({str(e): e for e in errors}.values())


def _rows(reader, header, errors):
    """(line, {column: value}) for each non-empty row of the right width."""
    for raw in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(header):
            errors.append(
                RowError(
                    line,
                    "-",
                    _("%(found)s colonnes au lieu de %(expected)s (en-tête)")
                    % {"found": len(raw), "expected": len(header)},
                )
            )
            continue
        yield line, {name: value.strip() for name, value in zip(header, raw, strict=True)}


def parse_date(value: str) -> datetime.date | None:
    """JJ/MM/AAAA, AAAA-MM-JJ, or a GAR timestamp (2021-09-02T16:18:27.000+02:00)."""
    if len(value) > 10 and value[10] != "T":
        return None
    for fmt, text in (("%d/%m/%Y", value), ("%Y-%m-%d", value[:10])):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def split_publics(value: str) -> list[str]:
    for separator in PUBLIC_SEPARATORS:
        value = value.replace(separator, "|")
    return [p.strip().upper() for p in value.split("|") if p.strip()]


@dataclass
class SubscriptionRow:
    line: int
    resource: GarResource
    data: dict  # GAR field name → value, as the services store it


def parse_subscriptions(
    text: str, *, establishment, school_year, catalogue: dict, existing: dict
) -> tuple[list[SubscriptionRow], list[RowError]]:
    """Check every row; `catalogue` maps ARK → resource, `existing` idAbonnement → subscription."""
    from .services import normalized, resource_errors

    reader = _reader(text)
    header, errors = _header(reader, SUBSCRIPTION_REQUIRED, SUBSCRIPTION_OPTIONAL)
    if errors:
        return [], errors
    rows: list[SubscriptionRow] = []
    seen: dict[str, int] = {}
    for line, cells in _rows(reader, header, errors):
        row_errors: list[tuple[str, str]] = []
        data = dict(cells)
        data["categorieAffectation"] = (
            cells.get("categorieAffectation") or AssignmentCategory.TRANSFERABLE
        ).lower()
        data["typeAffectation"] = cells["typeAffectation"].upper()
        data["publicCible"] = split_publics(cells["publicCible"])
        unparsed = set()
        for name in ("debutValidite", "finValidite"):
            value = cells.get(name, "")
            data[name] = parse_date(value) if value else None
            if value and data[name] is None:
                unparsed.add(name)
                row_errors.append(
                    (
                        name,
                        _("date « %(value)s » illisible : JJ/MM/AAAA ou AAAA-MM-JJ attendu")
                        % {"value": value},
                    )
                )
        data = normalized(data)
        row_errors += [e for e in check_subscription(data) if e[0] not in unparsed]
        uai = cells.get("uaiEtab", "").upper()
        if uai and uai != establishment.uai:
            row_errors.append(
                (
                    "uaiEtab",
                    _(
                        "abonnement d'un autre établissement (%(uai)s) : seules les lignes de %(expected)s "
                        "sont acceptées"
                    )
                    % {"uai": uai, "expected": establishment.uai},
                )
            )
        resource = catalogue.get(cells["idRessource"])
        if resource is None:
            row_errors.append(
                (
                    "idRessource",
                    _(
                        "ressource « %(idRessource)s » absente du catalogue : demandez à la SRANE de "
                        "l'ajouter, puis relancez l'import"
                    )
                    % {"idRessource": cells["idRessource"]},
                )
            )
        else:
            row_errors += resource_errors(resource)
        ident = data["idAbonnement"]
        if ident in seen:
            row_errors.append(
                (
                    "idAbonnement",
                    _("idAbonnement déjà présent ligne %(line)s") % {"line": seen[ident]},
                )
            )
        seen.setdefault(ident, line)
        row_errors += _stored_conflicts(existing.get(ident), establishment, school_year)
        errors += [RowError(line, column, message) for column, message in row_errors]
        if not row_errors:
            rows.append(SubscriptionRow(line, resource, data))
    if not rows and not errors:
        errors.append(RowError(2, "-", _("le fichier ne contient aucun abonnement")))
    return rows, errors


def _stored_conflicts(stored: GarSubscription | None, establishment, school_year) -> list:
    if stored is None:
        return []
    if stored.establishment_id != establishment.pk:
        return [("idAbonnement", _("cet idAbonnement est déjà celui d'un autre établissement"))]
    if stored.school_year_id != school_year.pk:
        return [
            (
                "idAbonnement",
                _("cet abonnement est déjà enregistré pour l'année %(label)s")
                % {"label": stored.school_year.label},
            )
        ]
    return []


@dataclass
class ReportRow:
    line: int
    id_abonnement: str
    used: list[int]  # élèves, enseignants, documentalistes, autres personnels


def parse_assignment_report(
    text: str, *, uai: str, subscriptions: dict
) -> tuple[list[ReportRow], list[RowError]]:
    """Check every row; `subscriptions` maps the school's idAbonnement → subscription."""
    reader = _reader(text)
    header, errors = _header(reader, REPORT_COLUMNS, [])
    if errors:
        return [], errors
    rows: list[ReportRow] = []
    seen: dict[str, int] = {}
    for line, cells in _rows(reader, header, errors):
        row_errors: list[tuple[str, str]] = []
        if cells["UAI"].upper() != uai:
            row_errors.append(
                (
                    "UAI",
                    _("ligne d'un autre établissement (%(found)s) : %(expected)s attendu")
                    % {"found": cells["UAI"], "expected": uai},
                )
            )
        ident = cells["idAbonnement"]
        subscription = subscriptions.get(ident)
        if subscription is None:
            row_errors.append(
                (
                    "idAbonnement",
                    _("abonnement « %(ident)s » inconnu pour cet établissement") % {"ident": ident},
                )
            )
        elif cells["idRessource"] != subscription.resource.ark:
            row_errors.append(
                (
                    "idRessource",
                    _("« %(idRessource)s » n'est pas la ressource de cet abonnement (%(ark)s)")
                    % {"idRessource": cells["idRessource"], "ark": subscription.resource.ark},
                )
            )
        if ident in seen:
            row_errors.append(
                (
                    "idAbonnement",
                    _("idAbonnement déjà présent ligne %(line)s") % {"line": seen[ident]},
                )
            )
        seen.setdefault(ident, line)
        used = []
        for name in REPORT_COUNTS:
            value = cells[name]
            if not value:
                row_errors.append(
                    (name, _("valeur manquante : nombre entier positif ou nul attendu"))
                )
            elif not (value.isascii() and value.isdigit() and len(value) <= 9):
                row_errors.append(
                    (
                        name,
                        _("« %(value)s » : nombre entier positif ou nul attendu")
                        % {"value": value},
                    )
                )
            else:
                used.append(int(value))
        errors += [RowError(line, column, message) for column, message in row_errors]
        if not row_errors:
            rows.append(ReportRow(line, ident, used))
    if not rows and not errors:
        errors.append(RowError(2, "-", _("le rapport ne contient aucune ligne")))
    return rows, errors


def sample_subscriptions_csv() -> str:
    """The documented format with one example row, offered for download."""
    example = {
        "idAbonnement": "ABO-2026-0001",
        "idRessource": "ark:/99999/ressource-exemple",
        "typeIdRessource": "ark",
        "libelleRessource": "Ressource d'exemple",
        "commentaireAbonnement": "Acheté sur le budget pédagogique",
        "debutValidite": "01/09/2026",
        "anneeFinValidite": "2026-2027",
        "categorieAffectation": "transferable",
        "typeAffectation": "INDIV",
        "nbLicenceEleve": "120",
        "nbLicenceEnseignant": "ILLIMITE",
        "publicCible": f"{Public.ELEVE}|{Public.ENSEIGNANT}",
    }
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(SUBSCRIPTION_COLUMNS)
    writer.writerow([example.get(name, "") for name in SUBSCRIPTION_COLUMNS])
    return out.getvalue()
