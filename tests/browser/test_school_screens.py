"""In a real browser: the demo RRUPN completes a checklist item from the dashboard (follows the
row's action and does it), the demo head approves two different kinds of item from the inbox
list; screenshots of both screens at desktop (1280) and mobile (375) widths."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from commission.models import PurchaseProposal, PurchaseState, TrainingNeed
from maintenance.models import EquipmentNeed, EquipmentState
from rrupn.accounts.demo import MAUPASSANT
from rrupn.accounts.models import User
from rrupn.dashboard.models import ChecklistDeadline
from rrupn.establishments.models import Establishment, SchoolYear

from ..commission.factories_purchases import PurchaseProposalFactory
from ..maintenance.factories_equipment import EquipmentNeedFactory
from .test_portal import assert_dsfr_styled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RRUPN = "camille.fauvette@ac-limoges.fr"
HEAD = "henri.bergeronnette@ac-limoges.fr"
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 800}


def both_widths(page, screenshot, name):
    screenshot(f"{name}-desktop")
    page.set_viewport_size(MOBILE)
    expect(page.locator("h1")).to_be_visible()
    screenshot(f"{name}-mobile")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= MOBILE["width"] + 1, f"{name}: the page scrolls sideways ({width}px)"
    page.set_viewport_size(DESKTOP)


def test_rrupn_completes_a_checklist_item_from_the_dashboard(
    page, live_server, login, console, screenshot
):
    school = Establishment.objects.get(uai=MAUPASSANT)
    year = SchoolYear.current()
    TrainingNeed.objects.filter(establishment=school, school_year=year).delete()
    due = timezone.localdate() + datetime.timedelta(days=10)
    ChecklistDeadline.objects.update_or_create(
        school_year=year, item_key="training_needs", defaults={"due_on": due}
    )
    ChecklistDeadline.objects.update_or_create(
        school_year=year,
        item_key="commission_met_this_term",
        defaults={"due_on": timezone.localdate() - datetime.timedelta(days=2)},
    )

    login(RRUPN)
    expect(page).to_have_url(f"{live_server.url}/etablissement/{MAUPASSANT}/")
    header = page.locator("#contexte-etablissement")
    expect(header).to_contain_text("Maupassant")
    expect(header).to_contain_text("RRUPN")
    row = page.locator("#point-training_needs")
    expect(row).to_have_attribute("data-level", "soon")
    expect(row).to_contain_text("Échéance proche")
    expect(row).to_contain_text(due.strftime("%d/%m/%Y"))
    expect(row).to_contain_text("Aucun besoin recensé")
    assert_dsfr_styled(page, console)
    both_widths(page, screenshot, "rrupn-school-dashboard")

    row.get_by_role("link", name="Recenser les besoins").click()
    page.get_by_role("link", name="Recenser un besoin").click()
    form = page.locator("#besoin-formation")
    form.get_by_label("Thème").select_option(index=1)
    form.get_by_label("Public").fill("Professeurs de mathématiques")
    form.get_by_label("Nombre de personnels concernés").fill("4")
    form.get_by_text("Haute", exact=True).click()
    form.get_by_text("Enquête auprès des équipes").click()
    form.get_by_role("button", name="Enregistrer le besoin").click()
    page.wait_for_load_state("networkidle")
    assert TrainingNeed.objects.filter(establishment=school, school_year=year).count() == 1

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Tableau de bord"
    ).click()
    row = page.locator("#point-training_needs")
    expect(row).to_have_attribute("data-level", "done")
    expect(row).to_contain_text("Fait")
    expect(row).to_contain_text("1 besoin, 4 personnels")
    assert_dsfr_styled(page, console)


def test_head_approves_two_kinds_of_item_from_the_inbox(
    page, live_server, login, console, screenshot
):
    school = Establishment.objects.get(uai=MAUPASSANT)
    rrupn = User.objects.get(email=RRUPN)
    purchase = PurchaseProposalFactory(
        establishment=school, proposed_by=rrupn, item="Micro de webradio", quantity=3
    )
    need = EquipmentNeedFactory(
        establishment=school, proposed_by=rrupn, item="Tablettes pour la 6e B", quantity=12
    )
    waiting_before = (
        PurchaseProposal.objects.filter(establishment=school, state=PurchaseState.PROPOSED).count()
        + EquipmentNeed.objects.filter(establishment=school, state=EquipmentState.PROPOSED).count()
    )

    login(HEAD)
    count = page.locator("header .inbox-count")
    expect(count).to_be_visible()
    total = int(count.inner_text().split()[0])
    assert total >= waiting_before
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Validations"
    ).click()
    expect(page.locator("h1")).to_have_text("Ce qui attend votre validation")
    entries = page.locator("ol.inbox-list > li")
    expect(entries).to_have_count(total)
    assert_dsfr_styled(page, console)
    both_widths(page, screenshot, "head-inbox")

    purchase_entry = entries.filter(has_text="Micro de webradio")
    expect(purchase_entry).to_have_attribute("data-kind", "purchases")
    purchase_entry.get_by_role("button", name="Accepter l'achat").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("Proposition d'achat acceptée")
    expect(page).to_have_url(f"{live_server.url}/etablissement/{MAUPASSANT}/validations/")
    expect(entries.filter(has_text="Micro de webradio")).to_have_count(0)

    need_entry = entries.filter(has_text="Tablettes pour la 6e B")
    expect(need_entry).to_have_attribute("data-kind", "equipment_needs")
    need_entry.get_by_role("button", name="Valider le besoin").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("Besoin validé")
    expect(entries.filter(has_text="Tablettes pour la 6e B")).to_have_count(0)
    left = total - 2
    if left:
        plural = "éléments en attente" if left > 1 else "élément en attente"
        expect(page.locator("header .inbox-count")).to_have_text(f"{left} {plural}")
    else:
        expect(page.locator("header .inbox-count")).to_have_count(0)

    purchase.refresh_from_db()
    need.refresh_from_db()
    assert purchase.state == PurchaseState.APPROVED and purchase.decided_by.email == HEAD
    assert need.state == EquipmentState.VALIDATED
    assert_dsfr_styled(page, console)
