"""In a real browser: the demo RRUPN proposes an equipment need (a zero quantity refused in
French), the head validates it from the inbox and downloads the CSV and the PDF for the
collectivité."""

import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from maintenance.models import EquipmentNeed, EquipmentState
from rrupn.accounts.demo import MAUPASSANT
from tests.browser import conftest as browser
from tests.browser.test_portal import assert_dsfr_styled

from ..conftest import service_or_skip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

base_url = browser.base_url
browser_context_args = browser.browser_context_args
browser_type_launch_args = browser.browser_type_launch_args
console = browser.console
login = browser.login
reference_data = browser.reference_data
screenshot = browser.screenshot


def open_maintenance_menu(page):
    page.locator("#navigation-principale").get_by_role("button", name="Maintenance").click()


def test_need_from_proposal_to_collectivite_export(page, login, console, screenshot, tmp_path):
    demo_needs = EquipmentNeed.objects.count()  # the demo's own (demo_maintenance.py)
    login("camille.fauvette@ac-limoges.fr")
    page.goto(f"/etablissement/{MAUPASSANT}/")
    open_maintenance_menu(page)
    page.locator("#navigation-principale").get_by_role("link", name="Besoins d’équipement").click()
    expect(page.locator("h1")).to_have_text("Besoins d’équipement")
    page.get_by_role("link", name="Proposer un besoin").click()
    page.locator("#id_item").fill("Classe mobile (16 tablettes)")
    page.locator("#id_quantity").fill("0")
    page.locator("#id_priority").select_option("1")
    page.locator("#id_justification").fill("Travail en îlots en SVT.")
    page.locator("#besoin-equipement").evaluate("form => { form.noValidate = true; }")
    page.get_by_role("button", name="Proposer le besoin").click()
    main = page.locator("main")
    expect(main).to_contain_text("La quantité doit être au moins 1.")
    assert EquipmentNeed.objects.count() == demo_needs  # nothing saved
    page.locator("#id_quantity").fill("2")
    page.get_by_role("button", name="Proposer le besoin").click()
    expect(page.locator("h1")).to_have_text("Besoin d’équipement : Classe mobile (16 tablettes)")
    assert_dsfr_styled(page, console)
    screenshot("equipment-need-proposed")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state("networkidle")

    login("henri.bergeronnette@ac-limoges.fr")
    page.goto(f"/etablissement/{MAUPASSANT}/validations/")
    expect(main).to_contain_text("Besoins d'équipement à valider")
    page.get_by_role("link", name="Besoin d'équipement : Classe mobile (16 tablettes) × 2").click()
    page.get_by_text("Valider le besoin").click()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("validé")
    need = EquipmentNeed.objects.get(item="Classe mobile (16 tablettes)", quantity=2)
    assert need.state == EquipmentState.VALIDATED

    page.get_by_role("link", name="Besoins d’équipement").first.click()
    expect(page.locator("#totaux")).to_contain_text("Validé par le chef d'établissement")
    assert_dsfr_styled(page, console)
    screenshot("equipment-needs-list")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Exporter les besoins validés (CSV)").click()
    assert csv_download.value.suggested_filename.startswith(f"besoins-equipement-{MAUPASSANT}-")
    csv_download.value.save_as(tmp_path / "besoins.csv")
    csv_text = (tmp_path / "besoins.csv").read_text(encoding="utf-8-sig")
    assert "Classe mobile (16 tablettes);2;Travail en îlots en SVT." in csv_text

    with page.expect_download() as pdf_download:
        page.get_by_role("button", name="Exporter les besoins validés (PDF)").click()
    assert pdf_download.value.suggested_filename.endswith(".pdf")
    pdf_download.value.save_as(tmp_path / "besoins.pdf")
    service_or_skip(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) missing")
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "besoins.pdf"), "-"], capture_output=True, text=True
    ).stdout
    text = " ".join(text.split())  # the demo's own needs may make a column wrap
    assert "Classe mobile (16 tablettes)" in text and MAUPASSANT in text
