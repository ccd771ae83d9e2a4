"""Reads of the recommended tools catalogue (guide annex): a school's column, or all columns.

Three queries whatever the size of the catalogue: the ENT, the usages, their tools.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from rrupn.audit import reference_admin
from rrupn.establishments.models import Ent

from ..models import RecommendedTool, ToolUsage


@dataclass
class UsageRow:
    usage: ToolUsage
    tools: list  # of the school's column
    # The school's ENT recommends nothing for this usage: these are the tools outside the ENT.
    fallback: list = field(default_factory=list)


@dataclass
class ComparisonRow:
    usage: ToolUsage
    cells: list  # one list of tools per column


@dataclass
class Section:
    title: str
    rows: list


def _usages():
    tools = RecommendedTool.objects.order_by("order", "pk")
    return ToolUsage.objects.order_by("order", "pk").prefetch_related(
        Prefetch("tools", queryset=tools, to_attr="all_tools")
    )


def _sections(rows) -> list[Section]:
    sections: list[Section] = []
    for row in rows:
        if not sections or sections[-1].title != row.usage.section:
            sections.append(Section(row.usage.section, []))
        sections[-1].rows.append(row)
    return sections


def catalogue_for(ent: Ent | None) -> list[Section]:
    """The column of `ent` (None: schools without ENT, "Autres"), grouped by section."""
    ent_id = ent.pk if ent is not None else None
    rows = []
    for usage in _usages():
        own = [t for t in usage.all_tools if t.ent_id == ent_id]
        others = [t for t in usage.all_tools if t.ent_id is None]
        rows.append(UsageRow(usage, own, others if ent_id is not None and not own else []))
    return _sections(rows)


def ent_label(ent: Ent) -> str:
    """ "ENT Lycée connecté", but "ENT Creuse" as is (the name already says ENT)."""
    return ent.name if ent.name.upper().startswith("ENT") else f"ENT {ent.name}"


@dataclass
class Column:
    ent: Ent | None
    label: str
    is_own: bool = False


def comparison(own_ent_id: int | None = None, *, has_own: bool = True) -> tuple[list, list]:
    """Every ENT column of the catalogue, then "Autres"; `own_ent_id` marks the school's one."""
    columns = [
        Column(ent, ent_label(ent), has_own and ent.pk == own_ent_id) for ent in Ent.objects.all()
    ]
    columns.append(Column(None, _("Autres plateformes"), has_own and own_ent_id is None))
    rows = [
        ComparisonRow(
            usage,
            [
                [t for t in usage.all_tools if t.ent_id == (c.ent.pk if c.ent else None)]
                for c in columns
            ],
        )
        for usage in _usages()
    ]
    return columns, _sections(rows)


# The catalogue and the training topics are académie-wide reference data the SRANE keeps up to date.
edits_reference_data = reference_admin.edits_reference_data
