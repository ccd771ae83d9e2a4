"""In a real browser: the demo SRANE of Haute-Vienne filters the overview on a domain's state,
sorts it, drills down to a collège and back, looks at the charts, and downloads the filtered
table as XLSX, which the test opens with openpyxl. Screenshots at desktop and mobile widths."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from rrupn.accounts.demo import MAUPASSANT

from .test_portal import assert_dsfr_styled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SRANE_87 = "eric.hirondelle@ac-limoges.fr"


def table_names(page) -> list[str]:
    return page.locator("#tableau-srane tbody th[scope=row] a").all_inner_texts()


def test_srane_filters_drills_down_and_downloads_the_xlsx(
    page, login, console, screenshot, tmp_path
):
    login(SRANE_87)
    expect(page).to_have_url(re.compile(r"/srane/$"))
    expect(page.locator("#nombre-etablissements")).to_contain_text("63 établissements")
    assert_dsfr_styled(page, console)
    screenshot("srane-overview-desktop")

    # Filter: collèges whose RRUPN is designated, sorted by name.
    page.get_by_label("Type").select_option("college")
    page.get_by_label("Domaine", exact=True).select_option("rrupn_designated")
    page.get_by_label("État dans ce domaine").select_option("fait")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"colonne=rrupn_designated&etat=fait"))
    page.locator("#tableau-srane thead").get_by_role("link", name="Établissement").click()
    expect(page).to_have_url(re.compile(r"tri=nom"))
    expect(page.locator("#tableau-srane thead th").first).to_have_attribute(
        "aria-sort", "ascending"
    )
    names = table_names(page)
    assert names and names == sorted(names, key=str.casefold)
    rrupn_cells = page.locator("#tableau-srane tbody tr td:nth-child(4)").all_inner_texts()
    assert rrupn_cells and all(c.lower().startswith("fait") for c in rrupn_cells), rrupn_cells
    filtered_url = page.url
    screenshot("srane-overview-filtered-desktop")

    # Drill down to the collège Maupassant, then back to the same filtered table.
    row = page.locator("#tableau-srane tbody tr", has_text=MAUPASSANT)
    row.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(f"/srane/etablissement/{MAUPASSANT}/"))
    expect(page.locator("h1")).to_contain_text("Maupassant")
    expect(page.locator("#domaines")).to_contain_text("RRUPN désigné")
    expect(page.locator("#domaines")).to_contain_text("Fauvette")
    assert_dsfr_styled(page, console)
    screenshot("srane-establishment-desktop")
    page.locator(".fr-breadcrumb").get_by_role("link", name="Vue SRANE").click()
    assert page.url == filtered_url
    assert table_names(page) == names

    # The XLSX of the filtered table: the same establishments, in the same order.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    book = load_workbook(path, read_only=True)
    rows = list(book["Vue SRANE"].iter_rows(values_only=True))
    book.close()  # read-only mode keeps the file open until closed
    header = rows[0]
    assert header[:2] == ("UAI", "Établissement")
    assert [row[1] for row in rows[1:]] == names
    state = header.index("RRUPN désigné — état")
    assert {row[state] for row in rows[1:]} == {"Fait"}
    assert {row[3] for row in rows[1:]} == {"87"}
    maupassant = next(row for row in rows[1:] if row[0] == MAUPASSANT)
    assert "Fauvette" in maupassant[state + 1]

    # The charts of the year, with their tables.
    page.get_by_role("link", name="Avancement de l’année (graphiques)").click()
    expect(page.locator("h1")).to_have_text("Avancement de l’année")
    expect(page.locator("svg[role=img]")).to_have_count(2)
    expect(page.locator("#table-par-domaine")).to_contain_text("RRUPN désigné")
    expect(page.locator("#table-par-departement")).to_contain_text("Haute-Vienne (87)")
    assert_dsfr_styled(page, console)
    screenshot("srane-progress-desktop")


def test_srane_overview_at_mobile_width(page, login, console, screenshot):
    page.set_viewport_size({"width": 375, "height": 812})
    login(SRANE_87)
    expect(page.locator("#nombre-etablissements")).to_contain_text("63 établissements")
    page.get_by_label("Nom ou UAI").fill("Maupassant")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"q=Maupassant"))
    assert len(table_names(page)) == 1
    assert_dsfr_styled(page, console)
    screenshot("srane-overview-mobile")
    page.goto("/srane/avancement/")
    expect(page.locator("svg[role=img]")).to_have_count(2)
    screenshot("srane-progress-mobile")
