"""Reads the purchase pages and the inbox share."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from commission.models import PurchaseProposal, PurchaseState


def proposals_of(establishment):
    return PurchaseProposal.objects.filter(establishment=establishment).select_related(
        "proposed_by", "decided_by", "school_year"
    )


def waiting_proposals(establishment):
    """Every proposal still waiting for a decision, whatever its year: none is forgotten."""
    return proposals_of(establishment).filter(state=PurchaseState.PROPOSED).order_by("proposed_at")


@dataclass(frozen=True)
class BudgetLine:
    state: str
    label: str
    count: int
    total: Decimal


@dataclass(frozen=True)
class Budget:
    """The year at a glance for the gestion: what was proposed, what waits, what was approved."""

    lines: list[BudgetLine]
    count: int
    total: Decimal

    def line(self, state) -> BudgetLine:
        return next(line for line in self.lines if line.state == state)


def budget_of(establishment, school_year) -> Budget:
    rows = (
        PurchaseProposal.objects.filter(establishment=establishment, school_year=school_year)
        .values("state")
        .annotate(count=Count("pk"), total=Sum("estimated_cost"))
        .order_by()
    )
    by_state = {row["state"]: row for row in rows}
    lines = [
        BudgetLine(
            state=state,
            label=label,
            count=by_state.get(state, {}).get("count", 0),
            total=by_state.get(state, {}).get("total") or Decimal("0"),
        )
        for state, label in PurchaseState.choices
    ]
    return Budget(
        lines=lines,
        count=sum(line.count for line in lines),
        total=sum((line.total for line in lines), Decimal("0")),
    )
