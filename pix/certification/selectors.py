"""Reads of the certification part: sessions, which classes sit the certification, how ready
they are. Every function runs a fixed number of queries whatever the number of classes or
schools (the dashboards call them for a page of schools at once).

Readiness reads only the anonymous per-class summaries (DivisionSummary), never a pupil's row.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models.functions import Coalesce

from rrupn.establishments.models import Division, DivisionKind

from ..models import CampaignKind, CertificationLevel, CertificationSession, DivisionSummary

LEVEL_ORDER = [
    CertificationLevel.TROISIEME,
    CertificationLevel.TERMINALE,
    CertificationLevel.CAP,
    CertificationLevel.BTS,
]
# First year of a two-year CAP or BTS: its pupils sit the certification the next year.
FIRST_YEAR_RE = re.compile(r"^(1|(bts|cap)1)")


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[\s._-]+", "", text.lower())


def certification_level(level: str, code: str) -> str | None:
    """The certification level of a class (3e, terminale, CAP, BTS) or None.

    The class's level when it is filled in ("3e", "Terminale", "2CAP", "BTS2"…), otherwise the
    prefix of its code ("3A", "TG1", "CAP2", "BTS SIO2"…). A first-year CAP or BTS class
    ("1CAP", "BTS1") is not a certification class: its pupils are certified the next year.
    """
    text = _plain(level) or _plain(code)
    if not text:
        return None
    if "bts" in text or "cap" in text:
        if FIRST_YEAR_RE.match(text):
            return None
        return CertificationLevel.BTS if "bts" in text else CertificationLevel.CAP
    if text.startswith(("3", "troisieme")):
        return CertificationLevel.TROISIEME
    if text.startswith(("term", "tle")) or (not _plain(level) and text.startswith("t")):
        return CertificationLevel.TERMINALE
    return None


def level_label(level: str) -> str:
    return str(CertificationLevel(level).label)


def _divisions(establishment_ids, school_year):
    return Division.objects.filter(
        establishment_id__in=establishment_ids,
        school_year=school_year,
        kind=DivisionKind.DIVISION,
    )


def certification_division_ids(establishment, school_year, level: str | None = None) -> list[int]:
    """Ids of the school's classes of the year at a certification level (one query)."""
    rows = _divisions([establishment.pk], school_year).values_list("pk", "level", "code")
    return [
        pk
        for pk, div_level, code in rows
        if (found := certification_level(div_level, code)) and (level is None or found == level)
    ]


def levels_by_establishment(establishment_ids, school_year) -> dict[int, set[str]]:
    """The certification levels each school has classes of this year (one query)."""
    found: dict[int, set[str]] = {}
    rows = _divisions(establishment_ids, school_year).values_list(
        "establishment_id", "level", "code"
    )
    for est_id, level, code in rows:
        if cert := certification_level(level, code):
            found.setdefault(est_id, set()).add(cert)
    return found


def sessions_of(establishment):
    return CertificationSession.objects.filter(establishment=establishment)


def sessions_of_year(establishment, school_year):
    return (
        sessions_of(establishment)
        .filter(school_year=school_year)
        .prefetch_related("divisions")
        .order_by("date", "level", "pk")
    )


@dataclass
class SessionTotals:
    sessions: int = 0
    candidates: int = 0
    levels: set = field(default_factory=set)
    # sessions whose results are known (certified filled in)
    with_results: int = 0
    results_candidates: int = 0
    certified: int = 0


def session_totals(establishment_ids, school_year) -> dict[int, SessionTotals]:
    """This year's sessions of each school, summed (one query)."""
    totals: dict[int, SessionTotals] = {}
    rows = CertificationSession.objects.filter(
        establishment_id__in=establishment_ids, school_year=school_year
    ).values_list("establishment_id", "level", "candidates", "certified")
    for est_id, level, candidates, certified in rows:
        total = totals.setdefault(est_id, SessionTotals())
        total.sessions += 1
        total.candidates += candidates
        total.levels.add(level)
        if certified is not None:
            total.with_results += 1
            total.results_candidates += candidates
            total.certified += certified
    return totals


# --- readiness ------------------------------------------------------------------------------


@dataclass
class ClassReadiness:
    division: Division
    level: str
    campaign_name: str = ""
    campaign_code: str = ""
    participants: int = 0
    sent: int = 0
    certifiable: int = 0
    # pupils of the class counted in none of the year's profiles collections
    not_collected: int = 0

    @property
    def has_collection(self) -> bool:
        return bool(self.campaign_code)

    @property
    def certifiable_percent(self) -> int | None:
        if not self.participants:
            return None
        return round(100 * self.certifiable / self.participants)


@dataclass
class LevelReadiness:
    level: str
    label: str
    classes: list = field(default_factory=list)

    @property
    def pupils(self) -> int:
        return sum(c.division.pupil_count for c in self.classes)

    @property
    def participants(self) -> int:
        return sum(c.participants for c in self.classes)

    @property
    def sent(self) -> int:
        return sum(c.sent for c in self.classes)

    @property
    def certifiable(self) -> int:
        return sum(c.certifiable for c in self.classes)

    @property
    def not_collected(self) -> int:
        return sum(c.not_collected for c in self.classes)

    @property
    def certifiable_percent(self) -> int | None:
        if not self.participants:
            return None
        return round(100 * self.certifiable / self.participants)


def readiness(establishment, school_year) -> list[LevelReadiness]:
    """Each certification class of the year with its last profiles collection (two queries).

    A class's row of a profiles collection is found by the portal class it was matched to,
    else by its code. "Last" is the collection imported last (created last if never imported).
    Pupils not yet collected: the class's pupil count minus the most participants any of the
    year's profiles collections counted in it (aggregates only: a pupil seen in an earlier
    collection but absent from the last one is not counted as missing).
    """
    divisions = [
        (division, level)
        for division in _divisions([establishment.pk], school_year).order_by("code")
        if (level := certification_level(division.level, division.code))
    ]
    summaries = (
        DivisionSummary.objects.filter(
            campaign__establishment=establishment,
            campaign__school_year=school_year,
            campaign__kind=CampaignKind.PROFILES,
        )
        .annotate(campaign_time=Coalesce("campaign__last_import_at", "campaign__created_at"))
        .values(
            "division_id",
            "division_code",
            "participants",
            "shared",
            "certifiable",
            "campaign_id",
            "campaign__name",
            "campaign__code",
            "campaign_time",
        )
    )
    by_id, by_code = {}, {}
    for row in summaries:
        if row["division_id"]:
            by_id.setdefault(row["division_id"], []).append(row)
        else:
            by_code.setdefault(row["division_code"], []).append(row)

    levels = {level: LevelReadiness(level, level_label(level)) for level in LEVEL_ORDER}
    for division, level in divisions:
        rows = by_id.get(division.pk, []) + by_code.get(division.code, [])
        item = ClassReadiness(division=division, level=level)
        if rows:
            last = max(rows, key=lambda r: (r["campaign_time"], r["campaign_id"]))
            item.campaign_name = last["campaign__name"]
            item.campaign_code = last["campaign__code"]
            item.participants = last["participants"]
            item.sent = last["shared"]
            item.certifiable = last["certifiable"]
        most = max((r["participants"] for r in rows), default=0)
        item.not_collected = max(0, division.pupil_count - most)
        levels[level].classes.append(item)
    return [levels[level] for level in LEVEL_ORDER if levels[level].classes]
