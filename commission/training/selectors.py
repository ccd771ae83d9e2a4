"""Reads of the training part: the school's needs and actions, the SRANE's aggregates."""

from django.db.models import Count, Q, Sum

from rrupn.establishments.models import Establishment

from ..models import Priority, TrainingAction, TrainingNeed


def needs_of(establishment, school_year):
    return TrainingNeed.objects.filter(establishment=establishment, school_year=school_year)


def school_needs(establishment, school_year) -> list[TrainingNeed]:
    """The year's needs, each with the actions answering it: two queries."""
    return list(
        needs_of(establishment, school_year)
        .select_related("topic")
        .prefetch_related("actions")
        .order_by("priority", "topic__order", "pk")
    )


def school_actions(establishment, school_year):
    return TrainingAction.objects.filter(
        establishment=establishment, school_year=school_year
    ).select_related("topic", "need__topic")


def _staff_by_priority() -> dict:
    return {
        f"staff_{value}": Sum("staff_count", filter=Q(priority=value), default=0)
        for value in Priority.values
    }


def needs_by_topic(departments, school_year) -> list[dict]:
    """One row per topic: schools, needs, staff (in total and per priority). No names."""
    return list(
        TrainingNeed.objects.filter(
            school_year=school_year, establishment__department__in=departments
        )
        .values("topic__label", "topic__order")
        .annotate(
            schools=Count("establishment", distinct=True),
            needs=Count("pk"),
            staff=Sum("staff_count"),
            **_staff_by_priority(),
        )
        .order_by("-staff", "topic__order", "topic__label")
    )


def needs_totals(departments, school_year) -> dict:
    totals = TrainingNeed.objects.filter(
        school_year=school_year, establishment__department__in=departments
    ).aggregate(
        schools=Count("establishment", distinct=True),
        needs=Count("pk"),
        staff=Sum("staff_count", default=0),
        **_staff_by_priority(),
    )
    totals["in_scope"] = Establishment.objects.filter(department__in=departments).count()
    return totals


def need_counts(establishment_ids, school_year) -> dict[int, tuple[int, int]]:
    """{establishment_id: (needs, staff)} for the SRANE column, in one query."""
    rows = (
        TrainingNeed.objects.filter(establishment_id__in=establishment_ids, school_year=school_year)
        .values("establishment_id")
        .annotate(needs=Count("pk"), staff=Sum("staff_count"))
        .order_by()
    )
    return {row["establishment_id"]: (row["needs"], row["staff"]) for row in rows}
