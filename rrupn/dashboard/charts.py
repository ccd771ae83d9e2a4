"""Charts drawn on the server as inline SVG: no JavaScript, no library, nothing from a CDN.

A bar chart is readable without colour: the done share is hatched (a pattern, not a hue) over
an outlined track, and each bar carries its value as text ("12 / 40 — 30 %"). The page puts
the same figures in an HTML table next to it, for screen readers and for copying.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 130
BAR_HEIGHT = 22
GAP = 12
TOP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    share: float | None  # 0..1; None: nothing to measure (drawn empty, "sans objet")
    value: str  # the text written after the bar


def _clip(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(bars: list[Bar], *, chart_id: str, title: str, description: str) -> str:
    """An accessible horizontal bar chart (an `<svg role="img">` with a title and description)."""
    track = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP * 2 + len(bars) * (BAR_HEIGHT + GAP)
    pattern = f"{chart_id}-hachures"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="srane-chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{escape(chart_id)}-titre {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-titre">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
        f'<defs><pattern id="{escape(pattern)}" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#e3e3fd"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#000091" stroke-width="3"/>'
        "</pattern></defs>",
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + GAP)
        middle = y + BAR_HEIGHT / 2 + 4
        filled = 0 if bar.share is None else max(0.0, min(1.0, bar.share)) * track
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle:.1f}" text-anchor="end" font-size="13" '
            f'fill="#161616">{escape(_clip(bar.label))}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{track}" height="{BAR_HEIGHT}" '
            'fill="#ffffff" stroke="#3a3a3a" stroke-width="1"/>'
        )
        if filled:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{filled:.1f}" height="{BAR_HEIGHT}" '
                f'fill="url(#{escape(pattern)})" stroke="#000091" stroke-width="1"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + track + 8}" y="{middle:.1f}" font-size="13" '
            f'font-weight="bold" fill="#161616">{escape(bar.value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text is escaped above
