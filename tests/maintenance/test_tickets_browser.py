"""In a real browser: a teacher reports an incident (a fake photo refused), the RRUPN forwards it
to the Haute-Vienne GLPI, then reports an académie network incident with a photo, pastes the text
into AMÉRANA and marks it as sent."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from maintenance.models import Channel, Delivery, DeliveryStatus, Ticket, TicketStatus
from rrupn.accounts.demo import MAUPASSANT
from tests.browser import conftest as browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

base_url = browser.base_url
browser_context_args = browser.browser_context_args
browser_type_launch_args = browser.browser_type_launch_args
console = browser.console
login = browser.login
reference_data = browser.reference_data
screenshot = browser.screenshot

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def glpi_on_loopback(reference_data):
    """The Haute-Vienne GLPI on a closed loopback port: a delivery attempt never leaves the
    machine (it fails and stays in the outbox for a later attempt)."""
    Channel.objects.filter(code="glpi-cd87").update(url="http://127.0.0.1:9/apirest.php")
    Ticket.objects.all().delete()


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state("networkidle")


def open_report_form(page):
    page.goto(f"/etablissement/{MAUPASSANT}/")
    nav = page.locator("#navigation-principale")
    nav.get_by_role("button", name="Maintenance").click()
    nav.get_by_role("link", name="Signaler un incident").click()
    expect(page.locator("h1")).to_have_text("Signaler un incident")


def test_report_forward_and_handoff(page, login, console, screenshot, tmp_path):
    fake = Path(tmp_path / "photo.png")
    fake.write_bytes(b"pas une image")
    real = Path(tmp_path / "routeur.png")
    real.write_bytes(PNG)

    login("julie.rougegorge@ac-limoges.fr")  # a teacher of Maupassant
    open_report_form(page)
    page.locator("#id_category").select_option(label="Poste de travail, ordinateur portable")
    page.locator("#id_title").fill("Poste du bureau 12 sans son")
    page.locator("#id_description").fill("Plus aucun son depuis la mise à jour de lundi.")
    page.locator("#id_room").fill("12")
    page.locator("#id_attachments").set_input_files(str(fake))
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.locator("main")).to_contain_text("n'est pas un vrai fichier PNG")
    assert not Ticket.objects.exists()
    page.locator("#id_attachments").set_input_files([])
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.locator(".fr-alert")).to_contain_text("signalé au RRUPN")
    expect(page.locator("main")).to_contain_text("État : Signalé au RRUPN")
    logout(page)

    login("camille.fauvette@ac-limoges.fr")  # the RRUPN
    page.goto(f"/etablissement/{MAUPASSANT}/maintenance/incidents/")
    expect(page.locator("#a-transmettre")).to_have_text("Signalements à transmettre")
    page.get_by_role("link", name="Poste du bureau 12 sans son").first.click()
    page.get_by_role("button", name="Transmettre l’incident").click()
    expect(page.locator(".fr-alert")).to_contain_text(
        "confié à : GLPI du département de la Haute-Vienne"
    )
    ticket = Ticket.objects.get(title="Poste du bureau 12 sans son")
    assert ticket.status != TicketStatus.TO_RRUPN and ticket.channel.code == "glpi-cd87"
    assert Delivery.objects.filter(ticket=ticket).count() == 1

    open_report_form(page)
    page.locator("#id_category").select_option(
        label="Réseau académique (ARENA, messagerie, applications académiques)"
    )
    page.locator("#id_title").fill("ARENA inaccessible")
    page.locator("#id_description").fill("Erreur 503 sur le portail ARENA depuis ce matin.")
    page.locator("#id_attachments").set_input_files(str(real))
    page.get_by_role("button", name="Envoyer le signalement").click()
    handoff = page.locator("#transmission-manuelle")
    expect(handoff).to_contain_text("AMÉRANA")
    text = page.locator("#texte-a-copier").input_value()
    assert MAUPASSANT in text and "ARENA inaccessible" in text and "RRUPN-" in text
    expect(page.get_by_role("link", name="routeur.png")).to_be_visible()
    screenshot("incident-transmission-manuelle")
    page.locator("#id_external_ref").fill("AMR-2026-1187")
    page.get_by_role("button", name="Marquer comme transmis").click()
    expect(page.locator(".fr-alert")).to_contain_text("marqué comme transmis (AMR-2026-1187)")
    expect(page.locator("main")).to_contain_text("État : Transmis")
    arena = Ticket.objects.get(title="ARENA inaccessible")
    assert arena.status == TicketStatus.SENT and arena.external_ref == "AMR-2026-1187"
    assert Delivery.objects.get(ticket=arena).status == DeliveryStatus.SENT
    screenshot("incident-liste")
    assert not console.csp_violations()
