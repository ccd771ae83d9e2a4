"""The geometry of an indicator's chart and its progress toward the target."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from commission.project.chart import HEIGHT, LEFT, RIGHT, TOP, WIDTH, build_chart, progress

DAY = datetime.date(2025, 9, 15)


def series(*pairs):
    return [
        SimpleNamespace(measured_on=DAY + datetime.timedelta(days=d), value=Decimal(str(v)))
        for d, v in pairs
    ]


def test_points_span_the_plot_in_time_and_value():
    chart = build_chart(series((0, 10), (10, 30), (40, 20)), target=None)
    xs = [p.x for p in chart.points]
    ys = [p.y for p in chart.points]
    assert xs[0] == LEFT and xs[-1] == WIDTH - RIGHT
    assert xs[1] == LEFT + (WIDTH - RIGHT - LEFT) / 4  # 10 of 40 days
    assert ys[1] == TOP and ys[0] == chart.bottom  # highest value on top, lowest at the bottom
    assert chart.target_y is None
    assert (chart.first_day, chart.last_day) == ("15/09/2025", "25/10/2025")
    assert chart.polyline.startswith(f"{LEFT},{chart.bottom} ")


def test_the_target_widens_the_scale_and_is_drawn():
    chart = build_chart(series((0, 10), (5, 20)), target=Decimal("40"))
    assert chart.target_y == TOP and chart.top_label == "40"
    assert chart.points[0].y == chart.bottom == HEIGHT - 34


def test_a_single_or_flat_series_still_draws():
    single = build_chart(series((0, 12.5)), target=None)
    point = single.points[0]
    assert point.x == LEFT + (WIDTH - RIGHT - LEFT) / 2
    assert TOP < point.y < single.bottom
    assert point.label == "15/09/2025 : 12,50"  # as floatformat:"-2" prints it
    assert build_chart([], target=Decimal("1")) is None


def test_progress_from_the_first_measure_either_way():
    assert progress(series((0, 20), (9, 50)), Decimal("80")) == 50
    assert progress(series((0, 20), (9, 95)), Decimal("80")) == 100  # beyond: reached
    assert progress(series((0, 20), (9, 10)), Decimal("80")) == 0  # went backwards
    # Fewer breakdowns wanted: from 30 to 10, now 20 → half-way.
    assert progress(series((0, 30), (9, 20)), Decimal("10")) == 50
    assert progress(series((0, 5)), Decimal("5")) == 100
    assert progress(series((0, 5)), None) is None
    assert progress([], Decimal("5")) is None
