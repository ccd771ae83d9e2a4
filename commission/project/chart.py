"""The small chart of an indicator: geometry computed here, drawn as inline SVG by a template.

No script and no inline style (the CSP forbids both): the template only places the points
computed here and styles them with presentation attributes and classes of portal.css. The
same values are always given as text too, so the chart never carries information alone.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.template.defaultfilters import floatformat

WIDTH, HEIGHT = 360, 170
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 14, 34  # room for the value labels and the dates


def number_label(value: Decimal) -> str:
    """12.50 → "12,5" in French, trailing zeros dropped, as the tables print it."""
    return floatformat(value, "-2")


def day_label(day) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: object
    value: Decimal

    @property
    def label(self) -> str:
        return f"{day_label(self.day)} : {number_label(self.value)}"


@dataclass(frozen=True)
class Chart:
    points: list
    target_y: float | None
    top_label: str
    bottom_label: str
    first_day: str
    last_day: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:g},{p.y:g}" for p in self.points)

    @property
    def label_y(self) -> int:
        return self.height - 10


def build_chart(values, target: Decimal | None) -> Chart | None:
    """`values`: IndicatorValue rows ordered by date. None when there is nothing to draw."""
    if not values:
        return None
    numbers = [v.value for v in values] + ([target] if target is not None else [])
    low, high = min(numbers), max(numbers)
    if low == high:  # a flat series still needs a vertical scale
        low, high = low - 1, high + 1
    first, last = values[0].measured_on, values[-1].measured_on
    span = (last - first).days
    plot_w, plot_h = WIDTH - RIGHT - LEFT, HEIGHT - BOTTOM - TOP

    def x(day) -> float:
        if span == 0:
            return round(LEFT + plot_w / 2, 1)
        return round(LEFT + (day - first).days / span * plot_w, 1)

    def y(number) -> float:
        return round(TOP + float((high - number) / (high - low)) * plot_h, 1)

    return Chart(
        points=[Point(x(v.measured_on), y(v.value), v.measured_on, v.value) for v in values],
        target_y=y(target) if target is not None else None,
        top_label=number_label(high),
        bottom_label=number_label(low),
        first_day=day_label(first),
        last_day=day_label(last),
    )


def progress(values, target: Decimal | None) -> int | None:
    """Share of the way from the first measure to the target, in % (0–100).

    Measured from the first value so that targets below the starting point (fewer
    breakdowns…) read the same way as targets above it.
    """
    if target is None or not values:
        return None
    start, latest = values[0].value, values[-1].value
    if target == start:
        return 100 if latest == target else None
    share = (latest - start) / (target - start) * 100
    return int(max(Decimal(0), min(Decimal(100), share)))
