"""Importing a Pix Orga export: what it would change (preview), then writing it (apply).

`preview()` reads only; `apply()` writes everything in one transaction — the campaign (created
from the first import of its export, matched on its code afterwards), the pupils' rows (matched
on last name, first name and class: a re-import updates and never duplicates), their competence
results, the per-class summaries, a PixImport row and an audit entry — with bulk statements: the
number of queries does not depend on the number of rows.
"""

import datetime
import json
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pix import summaries
from pix.models import (
    Campaign,
    CampaignKind,
    CompetenceResult,
    CrcnCompetence,
    Participation,
    PixImport,
    PixOrganisation,
)
from rrupn.audit.services import audit_record
from rrupn.establishments.models import Division, SchoolYear
from rrupn.establishments.services import RowError

from .matching import normalise, normalise_code
from .parser import WHOLE_LINE, Export, PupilRow, parse

PARTICIPATION_FIELDS = [  # what a re-import compares
    "last_name",
    "first_name",
    "division_code",
    "division_id",
    "external_id",
    "started_at",
    "progression",
    "shared",
    "shared_at",
    "stage",
    "stage_count",
    "mastery",
    "badges",
    "domains",
    "total_pix",
    "certifiable",
    "certifiable_competences",
]
RESULT_FIELDS = ["mastery", "targeted", "validated", "level", "pix"]
PREVIEW_ROWS = 10


class ImportRefused(Exception):
    """The file cannot be imported; `errors` lists why (line, column, message)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class Plan:
    """What importing the file would do; computed again inside the transaction of `apply`."""

    export: Export | None = None
    errors: list[RowError] = field(default_factory=list)
    campaign: Campaign | None = None  # the existing campaign, or None: created by the import
    school_year: SchoolYear | None = None
    to_add: list[PupilRow] = field(default_factory=list)
    to_update: list[tuple[PupilRow, Participation]] = field(default_factory=list)
    unchanged: list[PupilRow] = field(default_factory=list)
    kept_newer: list[PupilRow] = field(default_factory=list)  # the portal has a later send
    divisions: dict = field(default_factory=dict)  # normalised code → Division
    unknown_divisions: list[str] = field(default_factory=list)
    recorded_name: str = ""  # the establishment's Pix Orga name before this import
    name_mismatch: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.export is not None and not self.errors

    @property
    def is_new_campaign(self) -> bool:
        return self.campaign is None

    @property
    def first_rows(self) -> list[PupilRow]:
        return self.export.rows[:PREVIEW_ROWS] if self.export else []

    def counts(self) -> dict:
        return {
            "rows": self.export.line_count if self.export else 0,
            "pupils": len(self.export.rows) if self.export else 0,
            "created": len(self.to_add),
            "updated": len(self.to_update),
            "unchanged": len(self.unchanged) + len(self.kept_newer),
        }


@dataclass
class Outcome:
    plan: Plan
    campaign: Campaign
    pix_import: PixImport


def _school_year_for(export: Export, forced_year: int | None) -> SchoolYear:
    if forced_year:
        year, _created = SchoolYear.objects.get_or_create(start_year=forced_year)
        return year
    dates = export.dates()
    if not dates:
        return SchoolYear.current()
    first = timezone.localtime(min(dates)).date()
    year, _created = SchoolYear.objects.get_or_create(start_year=SchoolYear.start_year_for(first))
    return year


def _find_campaign(establishment, export: Export, *, lock: bool) -> Campaign | None:
    campaigns = Campaign.objects.filter(establishment=establishment).select_related("school_year")
    if lock:
        campaigns = campaigns.select_for_update(of=("self",))
    if export.code:
        return campaigns.filter(code=export.code).first()
    return campaigns.filter(pix_id=export.pix_id).first()


def _campaign_errors(campaign: Campaign | None, export: Export) -> list[RowError]:
    if campaign is None:
        if not export.code:
            return [
                RowError(
                    1,
                    "Code",
                    _(
                        "cet export ancien n'a pas de colonne Code et aucune campagne de "
                        "l'établissement n'a l'identifiant Pix %(id)s : créez d'abord la campagne "
                        "dans le portail avec son code et cet identifiant"
                    )
                    % {"id": export.pix_id},
                )
            ]
        return []
    errors = []
    if campaign.kind != export.kind:
        errors.append(
            RowError(
                1,
                WHOLE_LINE,
                _(
                    "la campagne %(code)s est enregistrée comme « %(kind)s » mais ce fichier est "
                    "l'export d'une « %(file_kind)s »"
                )
                % {
                    "code": campaign.code,
                    "kind": campaign.get_kind_display(),
                    "file_kind": CampaignKind(export.kind).label,
                },
            )
        )
    if campaign.pix_id and campaign.pix_id != export.pix_id:
        errors.append(
            RowError(
                2,
                "ID Campagne",
                _(
                    "la campagne %(code)s du portail a l'identifiant Pix %(known)s, le fichier "
                    "%(file)s : ce n'est pas la même campagne"
                )
                % {"code": campaign.code, "known": campaign.pix_id, "file": export.pix_id},
            )
        )
    return errors


def _participation_values(row: PupilRow, plan: Plan) -> dict:
    division = plan.divisions.get(normalise_code(row.division_code)) if row.division_code else None
    return {
        "last_name": row.last_name[:150],
        "first_name": row.first_name[:150],
        "division_code": row.division_code[:50],
        "division_id": division.pk if division else None,
        "external_id": row.external_id[:255],
        "started_at": row.started_at,
        "progression": row.progression,
        "shared": row.shared,
        "shared_at": row.shared_at,
        "stage": row.stage,
        "stage_count": plan.export.stage_count if row.stage is not None else None,
        "mastery": row.mastery,
        "badges": row.badges,
        "domains": row.domains,
        "total_pix": row.total_pix,
        "certifiable": row.certifiable,
        "certifiable_competences": row.certifiable_competences,
    }


def _result_values(row: PupilRow) -> dict:
    return {
        code: tuple(values.get(name) for name in RESULT_FIELDS)
        for code, values in row.competences.items()
    }


def _recency(participation: Participation):
    floor = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return (
        participation.shared_at is not None,
        participation.shared_at or floor,
        participation.started_at or floor,
    )


def _plan(establishment, data, *, forced_year=None, lock=False) -> Plan:
    parsed = parse(data)
    if not parsed.ok:
        return Plan(errors=parsed.errors)
    export = parsed.export
    plan = Plan(export=export)
    plan.campaign = _find_campaign(establishment, export, lock=lock)
    plan.errors = _campaign_errors(plan.campaign, export)
    if plan.errors:
        return plan
    plan.school_year = plan.campaign.school_year if plan.campaign else None
    if plan.school_year is None:
        plan.school_year = _school_year_for(export, forced_year)
    elif forced_year and forced_year != plan.school_year.start_year:
        plan.warnings.append(
            _(
                "La campagne %(code)s existe déjà pour l'année %(year)s : les résultats y sont "
                "importés (l'année demandée est ignorée)."
            )
            % {"code": plan.campaign.code, "year": plan.school_year.label}
        )

    organisation = PixOrganisation.objects.filter(establishment=establishment).first()
    plan.recorded_name = organisation.name if organisation else ""
    plan.name_mismatch = normalise(plan.recorded_name) != normalise(export.organisation_name)
    if plan.name_mismatch:
        if plan.recorded_name:
            plan.warnings.append(
                _(
                    "Le fichier vient de l'organisation Pix Orga « %(file)s », alors que le nom "
                    "enregistré pour l'établissement est « %(known)s ». Vérifiez qu'il s'agit bien "
                    "de votre établissement : confirmer l'import enregistre ce nouveau nom."
                )
                % {"file": export.organisation_name, "known": plan.recorded_name}
            )
        else:
            plan.warnings.append(
                _(
                    "Premier import : le fichier vient de l'organisation Pix Orga « %(file)s ». "
                    "Vérifiez qu'il s'agit bien de votre établissement : confirmer l'import "
                    "enregistre ce nom, les imports suivants seront reconnus."
                )
                % {"file": export.organisation_name}
            )

    plan.divisions = {
        normalise_code(division.code): division
        for division in Division.objects.filter(
            establishment=establishment, school_year=plan.school_year
        )
    }
    codes = sorted({row.division_code for row in export.rows if row.division_code})
    plan.unknown_divisions = [code for code in codes if normalise_code(code) not in plan.divisions]
    if plan.unknown_divisions:
        plan.warnings.append(
            _(
                "Classes absentes du portail pour %(year)s : %(codes)s. Leurs résultats sont "
                "importés sous le code de classe du fichier ; ajoutez ces classes pour les relier."
            )
            % {"year": plan.school_year.label, "codes": ", ".join(plan.unknown_divisions)}
        )

    existing, results = {}, {}
    if plan.campaign is not None:
        existing = {p.match_key: p for p in Participation.objects.filter(campaign=plan.campaign)}
        for result in CompetenceResult.objects.filter(participation__campaign=plan.campaign).values(
            "participation_id", "competence__code", *RESULT_FIELDS
        ):
            results.setdefault(result["participation_id"], {})[result["competence__code"]] = tuple(
                result[name] for name in RESULT_FIELDS
            )
    for row in export.rows:
        participation = existing.get(row.match_key)
        if participation is None:
            plan.to_add.append(row)
            continue
        if _recency(participation) > row.recency():
            plan.kept_newer.append(row)
            continue
        values = _participation_values(row, plan)
        same = all(getattr(participation, name) == value for name, value in values.items())
        if same and results.get(participation.pk, {}) == _result_values(row):
            plan.unchanged.append(row)
        else:
            plan.to_update.append((row, participation))
    if plan.kept_newer:
        plan.warnings.append(
            _(
                "%(n)s élève(s) ont dans le portail un résultat envoyé plus récemment que celui "
                "du fichier : leur résultat du portail est conservé."
            )
            % {"n": len(plan.kept_newer)}
        )
    if export.duplicates:
        plan.warnings.append(
            _(
                "%(n)s ligne(s) du fichier sont des envois antérieurs d'un même élève : seul son "
                "dernier envoi est gardé."
            )
            % {"n": export.duplicates}
        )
    return plan


def preview(establishment, data: bytes, *, forced_year: int | None = None) -> Plan:
    """What importing `data` would change; reads only."""
    return _plan(establishment, data, forced_year=forced_year)


def _competence_ids() -> dict[str, int]:
    return dict(CrcnCompetence.objects.values_list("code", "pk"))


def _delete_participations(ids: list[int]) -> None:
    """One DELETE for all the rows (their results are already gone)."""
    table = connection.ops.quote_name(Participation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))})",  # noqa: S608
            ids,
        )


def _copy(model, columns: list[str], rows) -> None:
    """PostgreSQL's COPY: the rows stream in, no statement to parse whatever their number
    (a multi-row INSERT of 16 results per pupil costs the server far more)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"COPY {table} ({names}) FROM STDIN"
    start, count = time.monotonic(), 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    if connection.queries_logged:  # the query count of tests and of the benchmark sees it
        connection.queries_log.append(
            {"sql": f"{sql} -- {count} rows", "time": f"{time.monotonic() - start:.3f}"}
        )


def _insert_participations(campaign, rows: list[PupilRow], values: list[dict]) -> None:
    """PostgreSQL: one COPY; other databases: Django's bulk insert."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Participation.objects.bulk_create(
            [
                Participation(campaign=campaign, match_key=row.match_key, **value)
                for row, value in zip(rows, values, strict=True)
            ]
        )
        return
    json_columns = {"badges", "domains"}
    _copy(
        Participation,
        ["campaign_id", "match_key", *PARTICIPATION_FIELDS],
        (
            [
                campaign.pk,
                row.match_key,
                *(
                    json.dumps(value[name]) if name in json_columns else value[name]
                    for name in PARTICIPATION_FIELDS
                ),
            ]
            for row, value in zip(rows, values, strict=True)
        ),
    )


def _sql_number(value) -> str:
    """A number as an SQL literal: only ints and Decimals from the parser ever come here."""
    if value is None:
        return "NULL"
    if isinstance(value, Decimal):
        if not value.is_finite():  # pragma: no cover - the parser reads digits only
            raise ValueError(value)
        return format(value, "f")
    return str(int(value))


def _insert_results(rows: list[tuple]) -> None:
    """All the competence results at once: a COPY on PostgreSQL, elsewhere one INSERT of numeric
    literals (no placeholders: SQLite would cap them at 999 per statement)."""
    if not rows:
        return
    columns = ["participation_id", "competence_id", *RESULT_FIELDS]
    if connection.vendor == "postgresql":
        _copy(CompetenceResult, columns, rows)
        return
    table = connection.ops.quote_name(CompetenceResult._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    values = ", ".join("(" + ", ".join(_sql_number(v) for v in row) + ")" for row in rows)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) VALUES {values}")  # noqa: S608


@transaction.atomic
def apply(
    establishment,
    data: bytes,
    *,
    file_name: str,
    user=None,
    record_name: bool = True,
    forced_year: int | None = None,
) -> Outcome:
    """Write the import in one transaction; raises ImportRefused (nothing written) on errors.

    `record_name`: store the file's organisation name as the establishment's Pix Orga name
    (the web confirmation does; the command only with --record-name).
    """
    plan = _plan(establishment, data, forced_year=forced_year, lock=True)
    if not plan.ok:
        raise ImportRefused(plan.errors)
    export = plan.export
    now = timezone.now()
    campaign = plan.campaign
    if campaign is None:
        campaign = Campaign(
            establishment=establishment,
            school_year=plan.school_year,
            code=export.code,
            pix_id=export.pix_id,
            name=export.campaign_name[:255],
            kind=export.kind,
            target_profile=export.target_profile[:255],
            owner=user if user is not None and user.is_authenticated else None,
            last_import_at=now,
        )
        try:
            with transaction.atomic():
                campaign.save()
        except IntegrityError:  # created meanwhile by a simultaneous import of the same file
            raise ImportRefused(
                [RowError(2, "Code", _("la campagne vient d'être créée par un autre import"))]
            ) from None
    else:
        if not campaign.pix_id:
            campaign.pix_id = export.pix_id
        if not campaign.target_profile and export.target_profile:
            campaign.target_profile = export.target_profile[:255]
        campaign.last_import_at = now
        campaign.save(update_fields=["pix_id", "target_profile", "last_import_at"])

    # An updated pupil's row is replaced (its results with it): one DELETE and one INSERT for
    # all of them, where an UPDATE per column with a CASE per pupil would grow quadratically.
    replaced = [participation.pk for _row, participation in plan.to_update]
    if replaced:
        CompetenceResult.objects.filter(participation_id__in=replaced).delete()  # fast delete
        _delete_participations(replaced)
    rows = [*plan.to_add, *(row for row, _participation in plan.to_update)]
    values = [_participation_values(row, plan) for row in rows]
    _insert_participations(campaign, rows, values)
    ids = dict(Participation.objects.filter(campaign=campaign).values_list("match_key", "id"))
    competence_ids = _competence_ids()
    _insert_results(
        [
            (ids[row.match_key], competence_ids[code], *(result.get(n) for n in RESULT_FIELDS))
            for row in rows
            for code, result in row.competences.items()
        ]
    )

    linked = {v["division_id"] for v in values if v["division_id"]}
    if linked:
        campaign.divisions.add(*linked)
    summaries.rebuild(campaign)

    if record_name and plan.name_mismatch:
        PixOrganisation.objects.update_or_create(
            establishment=establishment, defaults={"name": export.organisation_name[:255]}
        )
    counts = plan.counts()
    pix_import = PixImport.objects.create(
        campaign=campaign,
        file_name=file_name[:255],
        imported_by=user if user is not None and user.is_authenticated else None,
        rows=counts["rows"],
        created=counts["created"],
        updated=counts["updated"],
        warnings=plan.warnings,
    )
    audit_record(
        actor=user,
        action="pix.import",
        obj=campaign,
        establishment=establishment,
        after=counts,
        summary=_(
            "Import Pix Orga « %(file)s » : %(created)s élève(s) ajouté(s), %(updated)s mis à "
            "jour, %(unchanged)s inchangé(s)"
        )
        % {"file": file_name, **counts},
    )
    return Outcome(plan=plan, campaign=campaign, pix_import=pix_import)
