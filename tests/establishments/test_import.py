"""`import_establishments`: idempotent, all or nothing, errors named by line and column."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from rrupn.establishments.models import Establishment

REFERENCE_CSV = Path(__file__).resolve().parents[2] / "data" / "establishments_limoges.csv"
HEADER = "uai,name,kind,sector,commune,postal_code,department\n"
GOOD = "0870022B,Collège Guy de Maupassant,college,public,Limoges,87100,87\n"

pytestmark = pytest.mark.django_db


def run(path) -> str:
    out = StringIO()
    call_command("import_establishments", str(path), stdout=out, stderr=out)
    return out.getvalue()


def write(tmp_path, body: str) -> Path:
    path = tmp_path / "etablissements.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_reference_file_loads_136_establishments_and_is_idempotent():
    assert "136 créé(s)" in run(REFERENCE_CSV)
    snapshot = list(Establishment.objects.order_by("uai").values())
    assert len(snapshot) == 136
    assert {e["department"] for e in snapshot} == {"19", "23", "87"}
    second = run(REFERENCE_CSV)
    assert "0 créé(s), 0 mis à jour, 136 inchangé(s)" in second
    assert list(Establishment.objects.order_by("uai").values()) == snapshot


def test_changed_row_is_updated(tmp_path):
    run(write(tmp_path, GOOD))
    out = run(write(tmp_path, GOOD.replace("Guy de Maupassant", "G. de Maupassant")))
    assert "1 mis à jour" in out
    assert Establishment.objects.get(uai="0870022B").name == "Collège G. de Maupassant"


@pytest.mark.parametrize(
    ("bad_row", "line_and_column"),
    [
        ("0870022C,Collège X,college,public,Limoges,87100,87\n", "ligne 3, colonne « uai »"),
        ("0870023C,Collège Y,ecole,public,Limoges,87000,87\n", "ligne 3, colonne « kind »"),
        ("0870023C,Collège Y,college,public,Limoges,87000\n", "ligne 3, colonne « - »"),
        ("0870023C,Collège Y,college,public,Limoges,87000,33\n", "ligne 3, colonne « department »"),
        ("0870023C,Collège Y,college,privé,Limoges,87000,87\n", "ligne 3, colonne « sector »"),
    ],
)
def test_a_bad_row_names_line_and_column_and_writes_nothing(tmp_path, bad_row, line_and_column):
    path = write(tmp_path, GOOD + bad_row)
    err = StringIO()
    with pytest.raises(CommandError, match="rien n'a été importé"):
        call_command("import_establishments", str(path), stdout=StringIO(), stderr=err)
    assert line_and_column in err.getvalue()
    assert not Establishment.objects.exists()


def test_a_bad_row_leaves_existing_data_untouched(tmp_path):
    run(write(tmp_path, GOOD))
    bad = (
        GOOD.replace("Limoges", "Ailleurs") + "0870023D,Collège Y,college,public,Limoges,87000,87\n"
    )
    with pytest.raises(CommandError):
        call_command(
            "import_establishments", str(write(tmp_path, bad)), stdout=StringIO(), stderr=StringIO()
        )
    assert Establishment.objects.get(uai="0870022B").commune == "Limoges"
    assert Establishment.objects.count() == 1


def test_exit_status_is_non_zero_from_the_command_line(tmp_path):
    import subprocess
    import sys

    path = write(tmp_path, "0870022C,Collège X,college,public,Limoges,87100,87\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_establishments", str(path)],
        capture_output=True,
        text=True,
        cwd=REFERENCE_CSV.parents[1],
        env={**__import__("os").environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        check=False,
    )
    assert result.returncode != 0
    assert "ligne 2, colonne « uai »" in result.stderr


def test_wrong_header_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("uai;name\n0870022B;X\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_establishments", str(path), stdout=StringIO(), stderr=StringIO())


def test_derived_reference_data():
    run(REFERENCE_CSV)
    by_uai = {
        e.uai: e
        for e in Establishment.objects.select_related("collectivite", "ent", "pedagogical_server")
    }
    college_87, college_23, college_19 = by_uai["0870022B"], by_uai["0230487E"], by_uai["0190613N"]
    lycee_19 = by_uai["0190032G"]
    assert college_87.collectivite.code == "cd87" and college_87.ent is None
    assert college_87.pedagogical_server.name == "EduTICE"
    assert college_23.collectivite.code == "cd23" and college_23.ent.name == "ENT Creuse"
    assert college_23.pedagogical_server.name == "Kwartz"
    assert college_19.collectivite.code == "cd19" and college_19.ent is None
    assert lycee_19.collectivite.name == "Région Nouvelle-Aquitaine"
    assert lycee_19.ent.name == "Lycée connecté"
    assert all(e.collectivite_id for e in by_uai.values())


def test_rules_are_editable_reference_data():
    from rrupn.establishments.models import DerivationRule, Ent
    from rrupn.establishments.services import establishments_apply_rules

    run(REFERENCE_CSV)
    rule = DerivationRule.objects.get(kind="college", department="87")
    rule.ent = Ent.objects.create(code="ent-87", name="ENT Haute-Vienne")
    rule.save()
    assert (
        establishments_apply_rules()
        == Establishment.objects.filter(kind="college", department="87").count()
    )
    assert Establishment.objects.get(uai="0870022B").ent.name == "ENT Haute-Vienne"
