"""A demo user's first visit, in a real browser: login, switcher, the three screens, keyboard."""

import re

import pytest
from playwright.sync_api import expect

from rrupn.accounts.demo import BLUM, MAUPASSANT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def assert_dsfr_styled(page, console):
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Marianne" in font, f"DSFR CSS not applied (body font: {font})"
    # The DSFR JS marks the root element once it has started (it needs our CSP nonce).
    expect(page.locator("html")).to_have_attribute("data-fr-js", "true")
    assert not console.failed, console.failed
    assert not console.csp_violations(), console.csp_violations()
    assert not console.errors, console.errors


def test_rrupn_logs_in_and_switches_establishment(page, live_server, login, console, screenshot):
    login("camille.fauvette@ac-limoges.fr")
    expect(page).to_have_url(f"{live_server.url}/etablissement/{MAUPASSANT}/")
    expect(page.locator("h1")).to_have_text("Tableau de bord")
    expect(page.locator("main")).to_contain_text("Maupassant")
    expect(page.locator("main")).to_contain_text("Département de la Haute-Vienne")
    assert_dsfr_styled(page, console)
    screenshot("rrupn-dashboard")

    # Desktop: the switcher is shown in the header, right after the navigation, in tab order.
    switcher = page.locator("#choix-etablissement")
    expect(switcher).to_be_visible()
    # Reached by keyboard: from the "Changer" button, Shift+Tab lands on the select.
    page.get_by_role("button", name="Changer").focus()
    page.keyboard.press("Shift+Tab")
    expect(switcher).to_be_focused()
    switcher.select_option(BLUM)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Changer")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/etablissement/{BLUM}/")
    expect(page.locator("h1")).to_have_text("Tableau de bord")
    expect(page.locator("main")).to_contain_text("Blum")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/etablissement/{BLUM}/")
    assert_dsfr_styled(page, console)


def test_head_sees_the_approval_inbox(page, login, console, screenshot):
    login("henri.bergeronnette@ac-limoges.fr")
    page.goto(f"/etablissement/{MAUPASSANT}/validations/")
    expect(page.locator("h1")).to_have_text("Ce qui attend votre validation")
    expect(page.locator("main")).to_contain_text("Maupassant")
    expect(page.get_by_role("link", name="Validations")).to_have_attribute("aria-current", "page")
    assert_dsfr_styled(page, console)
    screenshot("head-inbox")


def department_cells(page):
    """The "Dépt" column of the SRANE table (after the name's row header and the UAI)."""
    return page.locator("#tableau-srane tbody tr td:nth-child(3)").all_inner_texts()


def test_srane_overview_is_limited_to_the_scope(page, login, console, screenshot):
    login("eric.hirondelle@ac-limoges.fr")
    expect(page).to_have_url(re.compile(r"/srane/$"))
    expect(page.locator("h1")).to_have_text("Vue d’ensemble SRANE")
    expect(page.locator("main .fr-text--lead")).to_contain_text("63 établissements")
    departments = department_cells(page)
    assert len(departments) == 50 and set(departments) == {"87"}  # 50 per page
    page.get_by_role("link", name="Page suivante").click()
    departments = department_cells(page)
    assert len(departments) == 13 and set(departments) == {"87"}
    assert_dsfr_styled(page, console)
    screenshot("srane-overview")


def test_academie_srane_filters_by_department(page, login, console):
    login("marie.cigogne@ac-limoges.fr")
    page.goto("/srane/")
    expect(page.locator("main .fr-text--lead")).to_contain_text("136 établissements")
    page.select_option("#id_departement", "23")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"/srane/\?.*departement=23"))
    expect(page.locator("main .fr-text--lead")).to_contain_text("26 établissements")
    assert set(department_cells(page)) == {"23"}
    expect(page.locator("#id_departement")).to_have_value("23")
    assert_dsfr_styled(page, console)


def test_skip_link_is_first_and_moves_focus_to_main(page, live_server, reference_data, console):
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Contenu")
    expect(skip).to_be_visible()  # DSFR shows skip links on focus
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
    assert_dsfr_styled(page, console)


def test_switcher_in_the_mobile_menu(page, login, console):
    """On a phone the switcher sits in the header's menu modal, opened by DSFR's JS under our CSP."""
    page.set_viewport_size({"width": 390, "height": 844})
    login("camille.fauvette@ac-limoges.fr")
    switcher = page.locator("#choix-etablissement")
    expect(switcher).to_be_hidden()
    page.get_by_role("button", name="Menu", exact=True).click()
    expect(switcher).to_be_visible()
    switcher.select_option(BLUM)
    page.get_by_role("button", name="Changer").click()
    expect(page).to_have_url(re.compile(f"/etablissement/{BLUM}/$"))
    assert_dsfr_styled(page, console)
