"""Reads of the follow-up pages: per-class counts, the heatmap, the pupils to act on, a class's
history, the 6e attestations, the SRANE figures.

Counts come from `DivisionSummary` (anonymous, kept after the purge); only the list of pupils to
act on reads nominative rows, narrowed by `pix.access`. Every function runs a fixed number of
queries whatever the number of pupils, classes or schools.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext_lazy as _

from pix.models import (
    Campaign,
    CampaignKind,
    CrcnCompetence,
    DivisionSummary,
    KnownParcours,
    ParcoursRole,
    Participation,
)
from rrupn.establishments.models import Division, DivisionKind


def percent(part, whole) -> int | None:
    """Rounded percentage, None when there is nothing to measure."""
    if not whole:
        return None
    return round(100 * part / whole)


def is_sixth(division_code: str, level: str = "") -> bool:
    """A 6e class: its level says 6e, or its code starts with 6 (pix.md definitions)."""
    return (level or "").strip().lower() in ("6e", "6ème", "6eme") or (
        division_code or ""
    ).startswith("6")


def sixth_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}division_code__startswith": "6"}) | Q(
        **{f"{prefix}division__level__in": ["6e", "6E", "6ème", "6eme"]}
    )


def parcours_names(role: str):
    """The target-profile names of a 6e role, as a subquery (no query of its own)."""
    return KnownParcours.objects.filter(role=role).values("name")


# --- One campaign --------------------------------------------------------------------------


@dataclass
class DivisionLine:
    """One class of a campaign: its counts (from the summary) and its pupils to act on."""

    code: str
    division_id: int | None = None
    participants: int = 0
    started: int = 0
    completed: int = 0
    shared: int = 0
    certifiable: int = 0
    mastery: float | None = None
    mean_pix: float | None = None
    pupils_visible: bool = False
    pupils: list = field(default_factory=list)  # PupilToAct, only when visible
    not_started: int = 0
    not_shared: int = 0
    # Pupils Pix has never seen (not in this campaign nor in another one of the year): only the
    # class's headcount tells they exist, so they are counted without a name.
    pupil_count: int = 0
    known_absent: int = 0

    @property
    def unseen(self) -> int:
        return max(self.pupil_count - self.participants - self.known_absent, 0)

    @property
    def not_started_total(self) -> int:
        return self.not_started + self.unseen

    @property
    def started_percent(self):
        return percent(self.started, self.participants)

    @property
    def completed_percent(self):
        return percent(self.completed, self.participants)

    @property
    def shared_percent(self):
        return percent(self.shared, self.participants)

    @property
    def mastery_percent(self):
        return None if self.mastery is None else round(100 * self.mastery)

    @property
    def anchor(self) -> str:
        return "classe-" + "".join(c if c.isalnum() else "-" for c in self.code or "sans-classe")


STATUS_LABELS = {
    "absent": _("Pas commencé (absent de la campagne)"),
    "not_started": _("Pas commencé"),
    "in_progress": _("Commencé, pas terminé"),
    "not_shared": _("Terminé, pas partagé"),
    "not_sent": _("Profil pas envoyé"),
}


@dataclass(frozen=True)
class PupilToAct:
    last_name: str
    first_name: str
    division_code: str
    status: str
    progression: object = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def progression_percent(self):
        return None if self.progression is None else round(100 * self.progression)

    @property
    def not_started(self) -> bool:
        return self.status in ("absent", "not_started")


def _status(kind: str, progression) -> str:
    if kind == CampaignKind.PROFILES:
        return "not_sent"
    if progression is None or progression <= 0:
        return "not_started"
    if progression < 1:
        return "in_progress"
    return "not_shared"


def campaign_codes(campaign, summaries) -> list[str]:
    """The campaign's classes: those of its results, and those it was created for (1 query)."""
    codes = {summary.division_code for summary in summaries}
    codes.update(campaign.divisions.values_list("code", flat=True))
    return sorted(codes)


def pupils_to_act(campaign, codes) -> list[tuple[PupilToAct, int | None]]:
    """Who has not started or not shared: (pupil, portal division id), two queries.

    Not started: the pupils known in the class this school year (any campaign of the school's
    same year) who are absent from this campaign, and participants with progression 0. Not
    shared: the other participants who have not shared (or, for a collection, not sent).
    """
    rows = (
        Participation.objects.filter(campaign=campaign, shared=False)
        .order_by("division_code", "last_name", "first_name")
        .values_list("last_name", "first_name", "division_code", "division_id", "progression")
    )
    pupils = [
        (PupilToAct(last, first, code, _status(campaign.kind, progression), progression), div)
        for last, first, code, div, progression in rows
    ]
    absent = (
        Participation.objects.filter(
            campaign__establishment_id=campaign.establishment_id,
            campaign__school_year_id=campaign.school_year_id,
            division_code__in=codes,
        )
        .exclude(campaign=campaign)
        .exclude(match_key__in=Participation.objects.filter(campaign=campaign).values("match_key"))
        .order_by("division_code", "last_name", "first_name", "match_key")
        .values_list("match_key", "last_name", "first_name", "division_code", "division_id")
    )
    seen = set()
    for key, last, first, code, div in absent:
        if key not in seen:
            seen.add(key)
            pupils.append((PupilToAct(last, first, code, "absent"), div))
    pupils.sort(key=lambda item: (item[0].division_code, item[0].last_name, item[0].first_name))
    return pupils


def campaign_lines(campaign, scope) -> tuple[list[DivisionLine], list]:
    """(lines per class, summaries): counts from the summaries, pupils narrowed by `scope`."""
    summaries = list(DivisionSummary.objects.filter(campaign=campaign).order_by("division_code"))
    codes = campaign_codes(campaign, summaries)
    by_code = {summary.division_code: summary for summary in summaries}
    lines = {}
    for code in codes:
        summary = by_code.get(code)
        line = DivisionLine(code=code)
        if summary is not None:
            line.division_id = summary.division_id
            line.participants = summary.participants
            line.started = summary.started
            line.completed = summary.completed
            line.shared = summary.shared
            line.certifiable = summary.certifiable
            line.mastery = None if summary.mastery is None else float(summary.mastery)
            line.mean_pix = None if summary.mean_pix is None else float(summary.mean_pix)
        line.pupils_visible = scope.allows(code, line.division_id)
        lines[code] = line
    headcounts = Division.objects.filter(
        establishment_id=campaign.establishment_id,
        school_year_id=campaign.school_year_id,
        code__in=[code for code in codes if code],
    ).values_list("code", "pupil_count")
    for code, pupil_count in headcounts:
        lines[code].pupil_count = pupil_count
    for pupil, division_id in pupils_to_act(campaign, codes):
        line = lines.get(pupil.division_code)
        if line is None:
            continue
        if pupil.status == "absent":
            line.known_absent += 1
        if pupil.not_started:
            line.not_started += 1
        else:
            line.not_shared += 1
        if scope.allows(pupil.division_code, division_id):
            line.pupils_visible = True
            line.pupils.append(pupil)
    return list(lines.values()), summaries


# --- Heatmap -------------------------------------------------------------------------------

# (css class, lower bound included, label) from the highest band down.
MASTERY_BANDS = [
    # xgettext:no-python-format
    ("pix-heat-4", 75, _("75 % et plus")),
    ("pix-heat-3", 50, _("de 50 à 74 %")),
    ("pix-heat-2", 25, _("de 25 à 49 %")),
    ("pix-heat-1", 0, _("moins de 25 %")),
]
LEVEL_BANDS = [
    ("pix-heat-4", 3, _("niveau 3 et plus")),
    ("pix-heat-3", 2, _("de 2 à 2,9")),
    ("pix-heat-2", 1, _("de 1 à 1,9")),
    ("pix-heat-1", 0, _("moins de 1")),
]


@dataclass(frozen=True)
class HeatCell:
    value: float | None
    text: str
    css: str
    n: int = 0


@dataclass
class Heatmap:
    kind: str
    competences: list  # CrcnCompetence, the columns
    rows: list  # (row label, [HeatCell])
    total: list  # [HeatCell] weighted by the number of results
    bands: list
    # An overall row makes sense for the classes of one campaign, not across campaigns.
    with_total: bool = True

    @property
    def by_level(self) -> bool:
        return self.kind == CampaignKind.PROFILES


def _cell(kind: str, value, n: int = 0) -> HeatCell:
    if value is None:
        return HeatCell(None, "—", "pix-heat-none", n)
    if kind == CampaignKind.PROFILES:
        text = f"{value:.1f}".replace(".", ",")
        shown, bands = value, LEVEL_BANDS
    else:
        shown = round(100 * value)
        text, bands = f"{shown} %", MASTERY_BANDS
    css = next(css for css, low, _label in bands if shown >= low)
    return HeatCell(value, text, css, n)


def heatmap(kind: str, rows, total: bool = True) -> Heatmap:
    """Rows of (label, competences dict of a summary) → the table; one query (competences)."""
    key = "level" if kind == CampaignKind.PROFILES else "mastery"
    codes = sorted({code for _label, competences in rows for code in (competences or {})})
    competences = list(CrcnCompetence.objects.filter(code__in=codes).order_by("code"))
    table, sums = [], defaultdict(lambda: [0.0, 0])
    for label, results in rows:
        cells = []
        for competence in competences:
            cell = (results or {}).get(competence.code) or {}
            value, n = cell.get(key), cell.get("n", 0)
            cells.append(_cell(kind, value, n))
            if value is not None and n:
                sums[competence.code][0] += value * n
                sums[competence.code][1] += n
        table.append((label, cells))
    overall = [
        _cell(kind, sums[c.code][0] / sums[c.code][1] if sums[c.code][1] else None, sums[c.code][1])
        for c in competences
    ]
    bands = LEVEL_BANDS if kind == CampaignKind.PROFILES else MASTERY_BANDS
    return Heatmap(
        kind, competences, table, overall, [(css, label) for css, _low, label in bands], total
    )


def campaign_heatmap(campaign, summaries) -> Heatmap:
    return heatmap(
        campaign.kind,
        [(summary.division_code or "—", summary.competences) for summary in summaries],
    )


# --- A class's history ---------------------------------------------------------------------


def division_history(establishment, code: str) -> list[DivisionSummary]:
    """Every campaign of this class code over the years, newest first, with its summary."""
    return list(
        DivisionSummary.objects.filter(campaign__establishment=establishment, division_code=code)
        .select_related("campaign__school_year")
        .order_by("-campaign__school_year__start_year", "campaign__name", "campaign_id")
    )


def known_codes(establishment) -> list[str]:
    """The class codes with Pix results in the school, any year (for the history's menu)."""
    return list(
        DivisionSummary.objects.filter(campaign__establishment=establishment)
        .exclude(division_code="")
        .values_list("division_code", flat=True)
        .distinct()
        .order_by("division_code")
    )


# --- 6e ------------------------------------------------------------------------------------

SIXTH_ROLES = [
    ParcoursRole.SIXTH_PROTECTION,
    ParcoursRole.SIXTH_INITIATION,
    ParcoursRole.SIXTH_BILAN,
]


@dataclass
class SixthLine:
    code: str
    pupils: int | None = None  # Division.pupil_count when known
    shared: dict = field(default_factory=dict)  # role → pupils who shared that parcours

    @property
    def attestations(self) -> int:
        return self.shared.get(ParcoursRole.SIXTH_BILAN, 0)

    @property
    def attestations_percent(self):
        return percent(self.attestations, self.pupils)

    def cells(self):
        return [self.shared.get(role, 0) for role in SIXTH_ROLES]


def sixth_lines(establishment, school_year) -> list[SixthLine]:
    """Per 6e class: pupils who shared each 6e parcours (bilan = attestations); two queries.

    A class in several campaigns of the same parcours (a second campaign to catch up) counts
    its best campaign, so no pupil is counted twice.
    """
    role_of = dict(KnownParcours.objects.filter(role__in=SIXTH_ROLES).values_list("name", "role"))
    rows = (
        DivisionSummary.objects.filter(
            sixth_q(),
            campaign__establishment=establishment,
            campaign__school_year=school_year,
            campaign__target_profile__in=list(role_of),
        )
        .values("division_code", "campaign__target_profile")
        .annotate(best=Max("shared"))
        .order_by()
    )
    lines: dict[str, SixthLine] = {}
    for division in Division.objects.filter(
        establishment=establishment, school_year=school_year, kind=DivisionKind.DIVISION
    ).values("code", "level", "pupil_count"):
        if is_sixth(division["code"], division["level"]):
            lines[division["code"]] = SixthLine(division["code"], division["pupil_count"] or None)
    for row in rows:
        line = lines.setdefault(row["division_code"], SixthLine(row["division_code"]))
        role = role_of[row["campaign__target_profile"]]
        line.shared[role] = max(line.shared.get(role, 0), row["best"] or 0)
    return sorted(lines.values(), key=lambda line: line.code)


# --- SRANE: aggregates per school and across a scope ---------------------------------------


@dataclass
class SchoolFigures:
    """A school's Pix year in numbers, from the anonymous summaries only."""

    pupils: int = 0  # pupils of the classes whose headcount is known
    reached: int = 0  # of them, pupils reached by a campaign (best campaign of each class)
    participations: int = 0
    shared: int = 0
    attestations: int = 0
    certifiable: int = 0
    campaigns: int = 0

    @property
    def participation_percent(self):
        return percent(self.reached, self.pupils)

    @property
    def shared_percent(self):
        return percent(self.shared, self.participations)


def _year_summaries(school_year, **filters):
    return DivisionSummary.objects.filter(campaign__school_year=school_year, **filters)


def _per_class(summaries):
    """Per (school, class): best participants, sums, 6e attestations, certifiable pupils."""
    bilan = Q(campaign__target_profile__in=parcours_names(ParcoursRole.SIXTH_BILAN)) & sixth_q()
    return (
        summaries.values("campaign__establishment_id", "division_code")
        .annotate(
            best=Max("participants"),
            attest=Coalesce(Max("shared", filter=bilan), 0),
            certif=Coalesce(Max("certifiable", filter=Q(campaign__kind=CampaignKind.PROFILES)), 0),
        )
        .order_by()
    )


def school_figures(
    establishment_ids, school_year, parts=("shared", "classes", "pupils")
) -> dict[int, SchoolFigures]:
    """{establishment id: SchoolFigures} for a batch of schools: one query per part asked for
    ("shared": participations and shares; "classes": 6e attestations, certifiable pupils and
    the best campaign of each class; "pupils": headcounts, for the participation rate)."""
    figures = {pk: SchoolFigures() for pk in establishment_ids}
    summaries = _year_summaries(school_year, campaign__establishment_id__in=establishment_ids)
    if "shared" in parts:
        totals = (
            summaries.values("campaign__establishment_id")
            .annotate(participations=Sum("participants"), shared=Sum("shared"))
            .order_by()
        )
        for row in totals:
            school = figures[row["campaign__establishment_id"]]
            school.participations, school.shared = row["participations"], row["shared"]
    best = {}
    if "classes" in parts:
        for row in _per_class(summaries):
            school = figures[row["campaign__establishment_id"]]
            school.attestations += row["attest"]
            school.certifiable += row["certif"]
            best[(row["campaign__establishment_id"], row["division_code"])] = row["best"]
    if "pupils" in parts:
        divisions = Division.objects.filter(
            establishment_id__in=establishment_ids,
            school_year=school_year,
            kind=DivisionKind.DIVISION,
            pupil_count__gt=0,
        ).values_list("establishment_id", "code", "pupil_count")
        for establishment_id, code, pupil_count in divisions:
            school = figures[establishment_id]
            school.pupils += pupil_count
            school.reached += min(pupil_count, best.get((establishment_id, code), 0))
    return figures


def scope_figures(establishments, school_year) -> SchoolFigures:
    """The same figures summed over a whole scope (a queryset of schools), in three queries."""
    summaries = _year_summaries(school_year, campaign__establishment__in=establishments)
    sums = summaries.aggregate(participations=Sum("participants"), shared=Sum("shared"))
    per_class = _per_class(summaries).aggregate(
        attestations=Sum("attest"), certifiable=Sum("certif")
    )
    best = Subquery(
        DivisionSummary.objects.filter(
            campaign__establishment_id=OuterRef("establishment_id"),
            campaign__school_year=school_year,
            division_code=OuterRef("code"),
        )
        .order_by("-participants")
        .values("participants")[:1]
    )
    pupils = (
        Division.objects.filter(
            establishment__in=establishments,
            school_year=school_year,
            kind=DivisionKind.DIVISION,
            pupil_count__gt=0,
        )
        .annotate(class_reached=Least(Coalesce(best, 0), "pupil_count"))
        .aggregate(pupils=Sum("pupil_count"), reached=Sum("class_reached"))
    )
    return SchoolFigures(
        pupils=pupils["pupils"] or 0,
        reached=pupils["reached"] or 0,
        participations=sums["participations"] or 0,
        shared=sums["shared"] or 0,
        attestations=per_class["attestations"] or 0,
        certifiable=per_class["certifiable"] or 0,
    )


def campaigns_of_year(establishment, school_year):
    return Campaign.objects.filter(establishment=establishment, school_year=school_year)


def parcours_by_role() -> list[tuple[str, list[str]]]:
    """[(role label, [target-profile names])] of the 6e parcours, in the 6e order (one query)."""
    names = defaultdict(list)
    for name, role in KnownParcours.objects.filter(role__in=SIXTH_ROLES).values_list(
        "name", "role"
    ):
        names[role].append(name)
    return [(ParcoursRole(role).label, sorted(names[role])) for role in SIXTH_ROLES]
