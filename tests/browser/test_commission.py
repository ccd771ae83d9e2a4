"""In a real browser: the RRUPN sets up the commission, runs a meeting (invitation, attendance,
minutes, a decision) and exports the minutes as a PDF; the head validates the composition."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from commission.models import Action, Commission, Meeting
from rrupn.accounts.demo import MAUPASSANT

from ..conftest import service_or_skip
from .conftest import SCREENSHOTS, Console
from .test_portal import assert_dsfr_styled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RRUPN = "camille.fauvette@ac-limoges.fr"
HEAD = "henri.bergeronnette@ac-limoges.fr"


def pdf_text(path) -> str:
    service_or_skip(shutil.which("pdftotext") is not None, "pdftotext absent (poppler-utils)")
    done = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, timeout=30
    )
    return " ".join(done.stdout.decode().split())


def pdf_page_png(path, name):
    service_or_skip(shutil.which("pdftoppm") is not None, "pdftoppm absent (poppler-utils)")
    prefix = SCREENSHOTS / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", path, prefix],
        check=True,
        timeout=30,
    )
    return prefix.with_suffix(".png")


@pytest.fixture(autouse=True)
def without_demo_commissions(reference_data):
    """The scenario starts from a school without a commission (the demo has two); actions
    first, as they protect their owners."""
    Action.objects.all().delete()
    Commission.objects.all().delete()


def add_member(page, *, person=None, outsider=None, category, discipline="", detail=""):
    page.get_by_role("link", name="Ajouter un membre").click()
    if person:
        page.get_by_label("Membre du personnel").select_option(label=person)
    if outsider:
        page.get_by_label("Ou nom d'une personne extérieure").fill(outsider)
    page.get_by_label("Catégorie").select_option(label=category)
    page.get_by_label("Discipline ou pôle").fill(discipline)
    page.get_by_label("Précision").fill(detail)
    page.get_by_role("button", name="Ajouter le membre").click()


def test_rrupn_runs_the_commission_and_exports_the_minutes(
    page, browser, browser_context_args, login, console, screenshot, tmp_path
):
    login(RRUPN)
    nav = page.locator("#navigation-principale")
    nav.get_by_role("button", name="Commission numérique").click()
    nav.get_by_role("link", name="Membres, réunions et actions").click()
    main = page.locator("main")
    expect(page.locator("h1")).to_have_text("Commission numérique")
    expect(main).to_contain_text("Aucune commission pour cette année scolaire")
    page.get_by_role("button", name="Créer la commission").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("Commission numérique créée")

    # Everything the guide recommends is missing, and each discipline taught lacks a referent.
    missing = page.locator("#categories-manquantes")
    expect(missing.locator("li")).to_have_count(8)
    uncovered = page.locator("#disciplines-sans-referent")
    for discipline in ("Documentation", "Histoire-géographie", "Mathématiques"):
        expect(uncovered).to_contain_text(discipline)

    add_member(page, person="Camille Fauvette", category="RRUPN")
    expect(page.locator(".fr-alert--success")).to_contain_text("Camille Fauvette ajouté(e)")
    # Written without capital nor accent, the referent still covers "Mathématiques".
    add_member(
        page,
        person="Marc Pinson",
        category="Enseignant référent d'une discipline ou d'un pôle",
        discipline="mathematiques",
    )
    expect(uncovered).not_to_contain_text("Mathématiques")
    expect(uncovered).to_contain_text("Histoire-géographie")
    add_member(page, person="Marc Pinson", category="Administrateur ENT")
    expect(main).to_contain_text("Marc Pinson est déjà membre de la commission.")
    page.get_by_role("link", name="Commission numérique").first.click()
    add_member(page, outsider="Léa Parent", category="Parent élu", detail="CA")
    expect(main).to_contain_text("Léa Parent")
    expect(missing).not_to_contain_text("RRUPN")
    expect(missing.locator("li")).to_have_count(6)
    page.get_by_role("button", name="Soumettre la composition au chef d’établissement").click()
    expect(main.locator(".fr-badge").first).to_have_text("En attente de validation")
    assert_dsfr_styled(page, console)
    screenshot("commission-home")

    # A meeting next week, in the meeting room, with two agenda items.
    page.get_by_role("link", name="Nouvelle réunion").click()
    day = timezone.localdate() + datetime.timedelta(days=7)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Heure").fill("17:00")
    page.get_by_label("Durée (minutes)").fill("90")
    page.locator("#id_place").fill("Salle du conseil")
    page.get_by_label("Ordre du jour").fill("Bilan des usages de l'ENT\nPlan de formation Pix+Édu")
    screenshot("commission-meeting-form")
    page.get_by_role("button", name="Créer la réunion").click()
    expect(page.locator("h1")).to_have_text(f"Réunion du {day:%d/%m/%Y} à 17:00")
    expect(page.locator("#ordre-du-jour li")).to_have_count(2)

    mail.outbox.clear()  # the demo's own notifications
    page.get_by_role("button", name="Envoyer l’invitation aux membres").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("Invitation envoyée à 2 membre(s)")
    [invitation] = mail.outbox
    assert sorted(invitation.to) == [RRUPN, "marc.pinson@ac-limoges.fr"]
    [(filename, ics, _mimetype)] = invitation.attachments
    assert filename.endswith(".ics") and "BEGIN:VEVENT" in ics and "Bilan des usages" in ics

    # Attendance in one form: DSFR draws each radio on its label, as a person clicks it.
    for name, presence in (
        ("Camille Fauvette", "Présent"),
        ("Marc Pinson", "Excusé"),
        ("Léa Parent", "Absent"),
    ):
        page.locator("#presences fieldset", has_text=name).locator(
            "label", has_text=re.compile(f"^{presence}$")
        ).click()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("Présences enregistrées")
    expect(
        page.locator("#presences fieldset", has_text="Marc Pinson").get_by_label("Excusé")
    ).to_be_checked()

    page.get_by_label("Compte rendu").fill(
        "Les usages de l'ENT progressent.\nDeux sessions Pix+Édu en janvier."
    )
    page.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("Compte rendu enregistré")

    page.get_by_label("Action décidée").fill("Organiser un café numérique sur Pix")
    page.get_by_label("Responsable").select_option(label="Marc Pinson")
    page.get_by_label("Échéance").fill((day + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Ajouter l'action").click()
    expect(page.locator("#decisions")).to_contain_text("Organiser un café numérique sur Pix")
    expect(page.locator("#actions-ouvertes")).to_contain_text("Marc Pinson")

    page.get_by_role("button", name="Exporter le compte rendu en PDF").click()
    download_link = page.get_by_role("link", name="Télécharger le compte rendu (PDF)")
    expect(download_link).to_be_visible()
    assert_dsfr_styled(page, console)
    screenshot("commission-meeting")
    with page.expect_download() as download:
        download_link.click()
    pdf_path = tmp_path / "compte-rendu.pdf"
    download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf_path)
    for expected in (
        "Compte rendu de la commission numérique",
        "Collège Guy de Maupassant",
        f"Réunion du {day:%d/%m/%Y} à 17:00",
        "Bilan des usages de l'ENT",
        "Camille Fauvette",
        "Excusé",
        "Léa Parent",
        "Deux sessions Pix+Édu en janvier.",
        "Organiser un café numérique sur Pix",
    ):
        assert expected in text, expected
    assert pdf_page_png(pdf_path, "commission-minutes-pdf").stat().st_size > 10_000

    # The actions page: the decision moves on.
    page.locator(".fr-breadcrumb").get_by_role("link", name="Réunions").click()
    expect(page.locator("h1")).to_have_text("Réunions de la commission")
    page.locator("main .commission-nav").get_by_role("link", name="Actions").click()
    expect(page.locator("h1")).to_have_text("Actions de la commission")
    page.get_by_label("État de « Organiser un café numérique sur Pix »").select_option(
        label="En cours"
    )
    page.get_by_role("button", name="Mettre à jour").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("en cours")
    screenshot("commission-actions")
    assert Meeting.objects.get().attendance.count() == 3
    assert_dsfr_styled(page, console)

    head_validates(browser, browser_context_args)


def head_validates(browser, browser_context_args):
    context = browser.new_context(**browser_context_args)
    hpage = context.new_page()
    hconsole = Console(hpage)
    hpage.goto("/accounts/login/")
    hpage.fill("#id_login", HEAD)
    hpage.fill("#id_password", "demo-rrupn-2026")
    hpage.locator("main").get_by_role("button", name="Se connecter").click()
    hpage.locator("#navigation-principale").get_by_role("link", name="Validations").click()
    hpage.get_by_role("link", name=re.compile("Composition de la commission numérique")).click()
    expect(hpage).to_have_url(re.compile(f"/etablissement/{MAUPASSANT}/commission/$"))
    hpage.get_by_role("button", name="Valider la composition").click()
    expect(hpage.locator("main .fr-badge").first).to_have_text("Composition validée")
    assert Commission.objects.get().validated_by.email == HEAD
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    hpage.screenshot(path=SCREENSHOTS / "commission-validated.png", full_page=True)
    assert_dsfr_styled(hpage, hconsole)
    context.close()
