"""What this part adds to the three screens: the latest shared practices on the SRANE overview."""

from django.utils.translation import gettext_lazy as _

from rrupn.dashboard.registry import SraneFigure, srane_figures

from .selectors import shared_practices

LATEST = 5


def _latest_shared(departments, school_year) -> list[tuple[str, str]]:
    # One query whatever the number of establishments; the feed page has the rest.
    return [
        (practice.title, f"{practice.establishment.name} · {practice.discipline}")
        for practice in shared_practices(departments)[:LATEST]
    ]


srane_figures.register(
    SraneFigure(
        key="latest_practices",
        label=_("Dernières pratiques remarquables partagées"),
        order=60,
        values=_latest_shared,
    )
)
