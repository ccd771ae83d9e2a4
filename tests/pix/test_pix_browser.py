"""In a real browser: the demo RRUPN uploads the assessment sample export, checks the preview,
confirms, opens the campaign's follow-up and reads its heatmap (issue 7, "Done when")."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from pix.models import Campaign, Participation
from rrupn.accounts.demo import MAUPASSANT
from tests.browser import conftest as browser
from tests.browser.test_portal import assert_dsfr_styled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

base_url = browser.base_url
browser_context_args = browser.browser_context_args
browser_type_launch_args = browser.browser_type_launch_args
console = browser.console
login = browser.login
reference_data = browser.reference_data
screenshot = browser.screenshot

SAMPLE = Path(__file__).parent / "samples" / "pix_assessment_export_sample.csv"


def test_upload_preview_confirm_and_heatmap(page, login, console, screenshot):
    login("camille.fauvette@ac-limoges.fr")  # RRUPN of the Collège Maupassant
    page.goto(f"/etablissement/{MAUPASSANT}/pix/import/")
    expect(page.locator("h1")).to_have_text("Importer un export Pix Orga")
    page.locator("#id_fichier").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Voir ce que l’import va changer").click()

    expect(page.locator("h1")).to_have_text("Vérifier ce que l’import va changer")
    main = page.locator("main")
    expect(main).to_contain_text("QXTRMB482")
    expect(main).to_contain_text("LAFLEUR")
    # Nothing written before confirming (the demo has its own campaigns).
    assert not Participation.objects.filter(campaign__code="QXTRMB482").exists()
    page.get_by_role("button", name="Confirmer l’import").click()

    campaign = Campaign.objects.get(code="QXTRMB482")
    expect(page.locator("h1")).to_have_text(campaign.name)
    page.get_by_role("link", name="Voir les résultats").click()
    expect(page.locator("h1")).to_have_text(f"Suivi : {campaign.name}")

    heatmap = page.locator("#carte-classes")
    expect(heatmap.locator("caption")).to_contain_text("Maîtrise moyenne des acquis")
    # One column per competence of the parcours (4.1, 4.2, 4.3), one row per class.
    expect(heatmap.locator("thead th[scope=col]")).to_have_count(4)
    expect(heatmap.locator("tbody th[scope=row]").first).to_have_text("6A")
    cells = heatmap.locator("tbody td")
    assert cells.count() >= 3
    assert all(
        text.strip().endswith("%") or text.strip() == "—" for text in cells.all_inner_texts()
    )
    expect(page.locator(".pix-heat-legend")).to_contain_text("75 % et plus")
    # The RRUPN sees the pupils to act on (here the sample's started and unshared pupils).
    expect(page.locator("#eleves-a-relancer")).to_be_visible()
    expect(page.get_by_role("link", name="Télécharger la liste (CSV)")).to_be_visible()
    assert_dsfr_styled(page, console)
    screenshot("pix-followup-heatmap")

    # The class's history, then the 6e attestations page (counts only).
    page.locator("#participation-par-classe").get_by_role("link", name="6A").click()
    expect(page.locator("h1")).to_have_text("Classe 6A : historique Pix")
    expect(page.locator("#historique-classe")).to_contain_text(campaign.name)
    screenshot("pix-followup-class-history")
    page.goto(f"/etablissement/{MAUPASSANT}/pix/suivi/6e/")
    expect(page.locator("h1")).to_have_text("6e : attestation de sensibilisation au numérique")
    expect(page.locator("#attestations-6e")).to_contain_text("6A")
    assert_dsfr_styled(page, console)
    screenshot("pix-followup-sixth")
    assert not console.errors, console.errors
