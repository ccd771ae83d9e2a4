"""python manage.py import_pix_export FILE --uai UAI [--year] [--record-name]"""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pix.models import Campaign, Participation, PixImport, PixOrganisation

from .factories import PixOrganisationFactory

SAMPLES = Path(__file__).parent / "samples"


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_pix_export", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_and_prints_counts_and_the_warning(school):
    out, _err = run(str(SAMPLES / "pix_assessment_export_sample.csv"), "--uai", school.uai)
    assert "8 élève(s) ajouté(s), 0 mis à jour, 0 inchangé(s)" in out
    assert "QXTRMB482" in out and "2025-2026" in out
    assert "Avertissement : Premier import" in out
    assert Participation.objects.count() == 8
    assert PixImport.objects.get().file_name == "pix_assessment_export_sample.csv"
    assert not PixOrganisation.objects.exists()  # not recorded without --record-name
    out, _err = run(str(SAMPLES / "pix_assessment_export_sample.csv"), "--uai", school.uai)
    assert "0 élève(s) ajouté(s), 0 mis à jour, 8 inchangé(s)" in out


def test_record_name_and_year(school):
    PixOrganisationFactory(establishment=school, name="Ancien nom")
    out, _err = run(
        str(SAMPLES / "pix_profiles_collection_sample.csv"),
        "--uai",
        school.uai.lower(),
        "--year",
        "2026",
        "--record-name",
    )
    assert "« Ancien nom »" in out
    assert PixOrganisation.objects.get().name == "Collège Exemple des Tilleuls"
    assert Campaign.objects.get().school_year.start_year == 2026
    out, _err = run(str(SAMPLES / "pix_profiles_collection_sample.csv"), "--uai", school.uai)
    assert "organisation" not in out and "Classes absentes" in out


def test_bad_file_prints_every_error_and_fails(school, tmp_path):
    bad = tmp_path / "bad.csv"
    text = (SAMPLES / "pix_profiles_collection_sample.csv").read_text("utf-8-sig")
    bad.write_text(text.replace(";294;", ";abc;").replace('"03/10/2025 15:48"', '"03/13/2025"'))
    with pytest.raises(CommandError, match="2 erreur"):
        run(str(bad), "--uai", school.uai)
    assert not Campaign.objects.exists() and not Participation.objects.exists()


def test_errors_go_to_stderr(school, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("idAbonnement;idRessource\n1;2\n")
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_pix_export", str(bad), "--uai", school.uai, stderr=err)
    assert "ligne 1, colonne « Nom de l'organisation » : colonne obligatoire absente" in (
        err.getvalue()
    )


def test_unknown_uai_or_file(school, tmp_path):
    with pytest.raises(CommandError, match="Aucun établissement"):
        run(str(SAMPLES / "pix_profiles_collection_sample.csv"), "--uai", "0999999Z")
    with pytest.raises(CommandError, match="Impossible de lire"):
        run(str(tmp_path / "absent.csv"), "--uai", school.uai)
