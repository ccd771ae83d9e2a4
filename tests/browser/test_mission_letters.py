"""A mission letter from draft to "en vigueur" in a real browser, its PDF, its public check."""

import re
import shutil
import subprocess
from importlib import import_module

import pytest
from django.apps import apps
from playwright.sync_api import expect

from missions.models import MissionLetter
from rrupn.accounts.demo import DEMO_PASSWORD, MAUPASSANT
from rrupn.establishments.models import SchoolYear

from ..conftest import service_or_skip
from .conftest import SCREENSHOTS, Console

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

HEAD = "henri.bergeronnette@ac-limoges.fr"
TEACHER = "julie.rougegorge@ac-limoges.fr"
TASK_PILOTING = "Animer la commission numérique de l'établissement"
TASK_RELAY = "Être le relais du SRANE dans l'établissement"
TASK_GAR = "Gérer les affectations GAR et le médiacentre"
PARTNER_GAR = "Responsable d'affectation GAR"


@pytest.fixture
def missions_reference(reference_data, settings, tmp_path):
    """Functions, tasks, partners and IMP rates of the data migration (a flush drops them);
    PDFs stored in a temporary MEDIA_ROOT."""
    import_module("missions.migrations.0002_reference_data").load(apps, None)
    settings.MEDIA_ROOT = tmp_path / "media"
    # The demo's letter in force at this school would turn the new letter into an amendment.
    MissionLetter.objects.filter(establishment__uai=MAUPASSANT).delete()


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se connecter")).to_have_count(0)


def assert_clean(console):
    assert not console.failed, console.failed
    assert not console.csp_violations(), console.csp_violations()
    assert not console.errors, console.errors


def step(page, button):
    """Click a workflow button and wait for the letter page to come back."""
    page.get_by_role("button", name=button).click()
    expect(page.locator(".fr-alert--success, .fr-alert--error").first).to_be_visible()


def pdf_first_page_png(pdf_path, name):
    service_or_skip(shutil.which("pdftoppm") is not None, "pdftoppm absent (poppler-utils)")
    prefix = SCREENSHOTS / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf_path, prefix],
        check=True,
        timeout=30,
    )
    return prefix.with_suffix(".png")


def pdf_text(pdf_path) -> str:
    service_or_skip(shutil.which("pdftotext") is not None, "pdftotext absent (poppler-utils)")
    done = subprocess.run(
        ["pdftotext", "-layout", pdf_path, "-"], check=True, capture_output=True, timeout=30
    )
    return done.stdout.decode()


def test_head_drafts_signs_and_the_teacher_accepts(
    page, browser, browser_context_args, missions_reference, console, screenshot, tmp_path
):
    # The head drafts a letter for a teacher of the collège, from the header navigation.
    log_in(page, HEAD)
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Lettres de mission"
    ).click()
    expect(page.locator("h1")).to_have_text("Lettres de mission")
    page.get_by_role("link", name="Rédiger une lettre de mission").click()
    expect(page.locator("h1")).to_have_text("Nouvelle lettre de mission")

    year = SchoolYear.current()
    expect(page.get_by_label("Début de la mission")).to_have_value(year.starts_on.isoformat())
    expect(page.get_by_label("Fin de la mission")).to_have_value(year.ends_on.isoformat())
    page.get_by_label("RRUPN désigné(e)").select_option(label="Julie Rougegorge")
    for title in (TASK_PILOTING, TASK_RELAY, TASK_GAR):
        # DSFR draws the box on the label, over the input: a person clicks the label.
        page.locator("label", has_text=title).click()
        expect(page.get_by_label(title)).to_be_checked()
    # "Partagée avec" shows under retained tasks only, the name once a partner is chosen.
    expect(page.locator(".letter-task__sharing:visible")).to_have_count(3)
    gar_task = page.locator(".letter-task").filter(has_text=TASK_GAR)
    expect(gar_task.get_by_label("Nom de la personne")).to_be_hidden()
    gar_task.get_by_label("Partagée avec").select_option(label=PARTNER_GAR)
    expect(gar_task.get_by_label("Nom de la personne")).to_be_visible()
    page.get_by_label("Taux annuel d'IMP").select_option(label="625,00 €")
    page.get_by_label("Clauses particulières").fill("Une heure hebdomadaire dégagée.")
    screenshot("mission-letter-form")
    page.get_by_role("button", name="Enregistrer le brouillon").click()

    # The letter page: facts, tasks by function, the shared one, the history.
    expect(page.locator("h1")).to_contain_text(f"LM-{MAUPASSANT}-")
    main = page.locator("main")
    expect(main.locator(".fr-badge").first).to_have_text("Brouillon")
    for text in (TASK_PILOTING, TASK_RELAY, TASK_GAR, f"partagée avec {PARTNER_GAR}"):
        expect(main).to_contain_text(text)
    expect(main).to_contain_text("Julie Rougegorge")
    expect(main).to_contain_text("625,00 € × 1 = 625,00 €")
    history = page.locator("table").filter(has=page.locator("caption", has_text="Historique"))
    expect(history.locator("tbody tr")).to_have_count(1)

    step(page, "Proposer à l’autre partie")
    expect(main.locator(".fr-badge").first).to_have_text("Proposée")
    step(page, "Signer la lettre")
    expect(main.locator(".fr-badge").first).to_have_text("Signée par le chef d'établissement")
    letter_path = re.sub(r"^https?://[^/]+", "", page.url)
    assert_clean(console)

    # The teacher, in her own browser, finds the letter and accepts it.
    teacher = browser.new_context(**browser_context_args)
    tpage = teacher.new_page()
    tconsole = Console(tpage)
    log_in(tpage, TEACHER)
    tpage.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Lettres de mission"
    ).click()
    tpage.locator("main table").get_by_role("link", name=re.compile(f"LM-{MAUPASSANT}")).click()
    expect(tpage).to_have_url(re.compile(f"{re.escape(letter_path)}$"))
    step(tpage, "Accepter la lettre")
    expect(tpage.locator("main .fr-badge").first).to_have_text("En vigueur")
    assert_clean(tconsole)
    teacher.close()

    # Back on the head's page: in force, four steps in the history, the PDF offered.
    page.reload()
    expect(main.locator(".fr-badge").first).to_have_text("En vigueur")
    expect(history.locator("tbody tr")).to_have_count(4)
    for summary in ("proposée", "signée", "en vigueur"):
        expect(history).to_contain_text(summary)
    code = main.locator("code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{20}", code), code
    screenshot("mission-letter-page")

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le PDF").click()
    pdf_path = tmp_path / "lettre.pdf"
    download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf_path)
    for expected in ("Maupassant", "Julie Rougegorge", "Henri Bergeronnette", "relais du SRANE"):
        assert expected in text, expected
    assert pdf_first_page_png(pdf_path, "mission-letter-pdf-page1").stat().st_size > 10_000
    assert_clean(console)

    # Anyone holding the printed letter checks it, without logging in.
    link = re.search(r"https?://\S+(/verifier/[A-Z2-9]{20}/)", text)
    assert link, "no verification link on the PDF"
    assert link.group(1) == f"/verifier/{code}/"
    check_as_a_stranger(browser, browser_context_args, link.group(1), code)


def check_as_a_stranger(browser, browser_context_args, link, code):
    visitor = browser.new_context(**browser_context_args)
    vpage = visitor.new_page()
    vconsole = Console(vpage)
    vpage.goto(link)
    result = vpage.locator("#resultat")
    expect(result).to_contain_text("Lettre de mission authentique")
    facts = vpage.locator("main table")
    for text in (
        "En vigueur",
        "Collège Guy de Maupassant",
        MAUPASSANT,
        SchoolYear.current().label,
        "Henri Bergeronnette",
        "Julie Rougegorge",
    ):
        expect(facts).to_contain_text(text)
    # What the letter says (tasks, IMP) stays private.
    expect(vpage.locator("main")).not_to_contain_text(TASK_RELAY)
    expect(vpage.locator("main")).not_to_contain_text("625")
    expect(vpage.get_by_role("link", name="Se déconnecter")).to_have_count(0)
    screenshot_of(vpage, "mission-letter-verification")
    assert_clean(vconsole)

    # A forged code (one character changed) is not found, in French, and the form keeps it.
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    vpage.get_by_label("Code de vérification").fill(forged)
    vpage.get_by_role("button", name="Vérifier").click()
    expect(result).to_contain_text("Lettre introuvable")
    expect(result).to_contain_text("Ce code ne correspond à aucune lettre de mission.")
    expect(vpage.locator("main table")).to_have_count(0)
    expect(vpage.get_by_label("Code de vérification")).to_have_value(forged)
    # The answer is a 404 (the browser logs it as a failed load): nothing else may fail.
    expected = re.compile(r"(404|Not Found)")
    vconsole.failed = [f for f in vconsole.failed if "/verifier/" not in f]
    vconsole.errors = [e for e in vconsole.errors if not expected.search(e)]
    assert_clean(vconsole)
    visitor.close()


def screenshot_of(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
