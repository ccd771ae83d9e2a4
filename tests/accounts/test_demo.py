"""`load_demo`: every persona, three départements, both kinds, one person in two schools; twice is safe."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from missions.models import LetterState, MissionLetter
from rrupn.accounts.models import Role, RoleAssignment, SraneLevel, SraneScope, User

CSV = Path(__file__).resolve().parents[2] / "data" / "establishments_limoges.csv"

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("import_establishments", str(CSV), stdout=StringIO())
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_people_cover_every_persona_and_load_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = load()
    assert "demo-rrupn-2026" in out and "camille.fauvette@ac-limoges.fr" in out
    counts = (User.objects.count(), RoleAssignment.objects.count(), MissionLetter.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        load()
    assert (
        User.objects.count(),
        RoleAssignment.objects.count(),
        MissionLetter.objects.count(),
    ) == counts

    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    assert set(SraneScope.objects.values_list("level", flat=True)) == set(SraneLevel.values)
    schools = RoleAssignment.objects.values_list("establishment__department", "establishment__kind")
    assert {d for d, _k in schools} == {"19", "23", "87"}
    assert {"college", "lycee"} <= {k for _d, k in schools}
    camille = User.objects.get(email="camille.fauvette@ac-limoges.fr")
    assert (
        RoleAssignment.objects.filter(user=camille).values("establishment").distinct().count() == 2
    )

    states = dict(MissionLetter.objects.values_list("establishment__uai", "state"))
    assert states == {"0870022B": LetterState.ACTIVE, "0190032G": LetterState.PROPOSED}
    assert MissionLetter.objects.get(establishment__uai="0870022B").pdf_is_current
