"""In a real browser: the RRUPN proposes a purchase and records a practice it shares; the head
refuses then finds nothing waiting; the SRANE reads the practice in its feed."""

import pytest
from playwright.sync_api import expect

from commission.models import PurchaseProposal, PurchaseState, RemarkablePractice
from rrupn.accounts.demo import MAUPASSANT
from tests.browser import conftest as browser
from tests.browser.test_portal import assert_dsfr_styled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser fixtures of tests/browser/, shared with this folder.
base_url = browser.base_url
browser_context_args = browser.browser_context_args
browser_type_launch_args = browser.browser_type_launch_args
console = browser.console
login = browser.login
reference_data = browser.reference_data
screenshot = browser.screenshot


@pytest.fixture(autouse=True)
def without_demo_purchases_and_practices(reference_data):
    """The scenario starts with no proposal and no practice (the demo has some)."""
    PurchaseProposal.objects.all().delete()
    RemarkablePractice.objects.all().delete()


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state("networkidle")


def open_commission_menu(page):
    page.locator("#navigation-principale").get_by_role(
        "button", name="Commission numérique"
    ).click()


def test_purchase_and_practice_from_proposal_to_decision_and_feed(page, login, console, screenshot):
    login("camille.fauvette@ac-limoges.fr")
    page.goto(f"/etablissement/{MAUPASSANT}/")
    open_commission_menu(page)
    page.locator("#navigation-principale").get_by_role("link", name="Propositions d’achat").click()
    expect(page.locator("h1")).to_have_text("Propositions d’achat")
    page.get_by_role("link", name="Proposer un achat").click()
    page.locator("#id_item").fill("Kit webradio")
    page.locator("#id_quantity").fill("-1")
    page.locator("#id_estimated_cost").fill("-5")
    page.locator("#id_justification").fill("La webradio du collège avec les 4e.")
    # Past the browser's own check on the number input, the server answers in French.
    page.locator("#proposition-achat").evaluate("form => { form.noValidate = true; }")
    page.get_by_role("button", name="Proposer l'achat").click()
    main = page.locator("main")
    expect(main).to_contain_text("La quantité doit être au moins 1.")
    expect(main).to_contain_text("Le coût estimé ne peut pas être négatif.")
    assert not PurchaseProposal.objects.exists()
    page.locator("#id_quantity").fill("2")
    page.locator("#id_estimated_cost").fill("1 299,80")
    page.get_by_role("button", name="Proposer l'achat").click()
    expect(page.locator("h1")).to_have_text("Proposition d’achat : Kit webradio")
    expect(main).to_contain_text("1\xa0299,80 €")
    assert_dsfr_styled(page, console)
    screenshot("purchase-proposed")

    open_commission_menu(page)
    page.locator("#navigation-principale").get_by_role(
        "link", name="Pratiques remarquables"
    ).click()
    page.get_by_role("link", name="Enregistrer une pratique").click()
    page.locator("#id_title").fill("Chronique scientifique à la webradio")
    page.locator("#id_level").fill("4e")
    page.locator("#id_description").fill("Chaque semaine, un groupe enregistre une chronique.")
    page.get_by_role("button", name="Enregistrer la pratique").click()
    page.get_by_role("button", name="Partager avec le SRANE").click()
    expect(main).to_contain_text("Partagée avec le SRANE le")
    assert RemarkablePractice.objects.get().discipline == "Technologie"  # the author's own
    assert_dsfr_styled(page, console)
    screenshot("practice-shared")
    logout(page)

    login("henri.bergeronnette@ac-limoges.fr")
    page.goto(f"/etablissement/{MAUPASSANT}/validations/")
    expect(main).to_contain_text("Propositions d'achat à décider")
    page.get_by_role("link", name="Achat proposé : Kit webradio × 2").click()
    page.get_by_text("Refuser l'achat").click()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(main).to_contain_text("Indiquez le motif du refus.")
    page.get_by_text("Refuser l'achat").click()
    page.locator("#id_comment").fill("Le budget numérique est engagé : à reproposer en janvier.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("refusée")
    expect(main).to_contain_text("à reproposer en janvier")
    assert PurchaseProposal.objects.get().state == PurchaseState.REFUSED
    assert_dsfr_styled(page, console)
    screenshot("purchase-refused")
    page.goto(f"/etablissement/{MAUPASSANT}/validations/")
    expect(main).not_to_contain_text("Kit webradio")
    logout(page)

    login("eric.hirondelle@ac-limoges.fr")  # SRANE of Haute-Vienne
    page.goto("/srane/")
    expect(main).to_contain_text("Chronique scientifique à la webradio")
    screenshot("srane-overview-practices")
    page.get_by_role("link", name="Pratiques remarquables partagées par les établissements").click()
    expect(page.locator("h1")).to_have_text("Pratiques remarquables partagées")
    page.locator("#filtre-discipline").select_option("Technologie")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("article.practice")).to_have_count(1)
    expect(main).to_contain_text("Camille Fauvette")
    assert_dsfr_styled(page, console)
    screenshot("srane-practice-feed")
