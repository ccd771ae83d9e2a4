"""The guide's routing table, as data: most specific rule first, a clear refusal otherwise."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from maintenance.models import RoutingRule, TicketCategory
from maintenance.routing import NoRoute, route_for
from rrupn.establishments.models import Establishment
from rrupn.establishments.services import establishments_import

CSV = Path(__file__).resolve().parents[2] / "data" / "establishments_limoges.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    establishments_import(text=CSV.read_text(encoding="utf-8"))
    return {e.uai: e for e in Establishment.objects.all()}


def channel(schools, uai, category_code):
    return route_for(
        establishment=schools[uai], category=TicketCategory.objects.get(code=category_code)
    ).code


@pytest.mark.parametrize(
    ("uai", "category", "expected"),
    [
        ("0870022B", "poste", "glpi-cd87"),  # collège 87 → GLPI of the Haute-Vienne
        ("0190613N", "impression", "correze-gestionnaire"),  # collège 19 → hand-off
        ("0230487E", "video", "courriel-cd23"),  # collège 23 → e-mail
        ("0190032G", "poste", "glpi-region"),  # lycée → GLPI of the Région
        ("0190008F", "reseau-etablissement", "glpi-region"),  # lycée professionnel too
        ("0190032G", "ent-lycee-connecte", "assistance-ent"),  # Lycée connecté → its assistance
        ("0870022B", "reseau-academique", "amerana"),  # académie network → AMÉRANA
        ("0190032G", "reseau-academique", "amerana"),
    ],
)
def test_the_guides_table(schools, uai, category, expected):
    assert channel(schools, uai, category) == expected


def test_every_school_and_category_has_a_route(schools):
    rules = list(RoutingRule.objects.select_related("channel"))
    for school in schools.values():
        for category in TicketCategory.objects.all():
            route_for(establishment=school, category=category, rules=rules)


def test_no_matching_rule_is_refused_naming_what_is_missing(schools):
    RoutingRule.objects.filter(school_group="college", department="23").delete()
    with pytest.raises(NoRoute) as excinfo:
        channel(schools, "0230487E", "video")
    message = str(excinfo.value)
    assert "Collège" in message and "23" in message and "Vidéoprojecteur" in message
    assert channel(schools, "0230487E", "reseau-academique") == "amerana"


def test_a_duplicate_rule_is_refused():
    rule = RoutingRule.objects.get(school_group="college", department="87", category=None)
    twin = RoutingRule(school_group="college", department="87", category=None, channel=rule.channel)
    with pytest.raises(ValidationError):
        twin.full_clean()
