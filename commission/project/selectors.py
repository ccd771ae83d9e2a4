"""Reads of the digital project shared by its pages and the dashboard."""

from dataclasses import dataclass

from django.db.models import Prefetch

from ..models import Indicator, ProjectAxis
from .chart import Chart, build_chart, progress


@dataclass
class IndicatorView:
    indicator: Indicator
    values: list
    chart: Chart | None
    progress: int | None

    @property
    def latest(self):
        return self.values[-1] if self.values else None

    @property
    def target_reached(self) -> bool:
        return self.progress == 100


def indicator_view(indicator) -> IndicatorView:
    values = list(indicator.values.all())  # prefetched, ordered by date
    return IndicatorView(
        indicator=indicator,
        values=values,
        chart=build_chart(values, indicator.target),
        progress=progress(values, indicator.target),
    )


def project_axes(establishment) -> list[tuple[ProjectAxis, list[IndicatorView]]]:
    """Every axis with its indicators and their values: three queries whatever the sizes."""
    axes = ProjectAxis.objects.filter(establishment=establishment).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.prefetch_related("values"))
    )
    return [(axis, [indicator_view(i) for i in axis.indicators.all()]) for axis in axes]
