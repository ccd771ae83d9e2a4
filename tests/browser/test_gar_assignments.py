"""In a real browser: the demo documentalist (and responsable d'affectation) of the collège
Maupassant assigns a subscription to two classes, sees the licences used go up, and is refused
an assignment beyond the licences left."""

import pytest
from playwright.sync_api import expect

from gar.models import GarAssignment, GarResource, GarSubscription, Origin
from rrupn.accounts.demo import MAUPASSANT
from rrupn.accounts.models import User
from rrupn.establishments.divisions import importers, services
from rrupn.establishments.models import Establishment, SchoolYear

from .test_portal import assert_dsfr_styled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCUMENTALIST = "ines.mesange@ac-limoges.fr"
TITLE = "Atlas de géographie interactif"
CLASSES = "code;libelle;type;niveau;effectif;classes\n3A;3e A;CLASSE;3e;28;\n3B;3e B;CLASSE;3e;27;\n3C;3e C;CLASSE;3e;26;\n"


def tick(page, label: str) -> None:
    """Click the label, as a person does (the DSFR label covers its checkbox)."""
    page.locator("label", has_text=label).click()
    expect(page.get_by_label(label)).to_be_checked()


def setup_subscription(email) -> GarSubscription:
    """This year's subscription of the collège (60 licences élèves) and its classes of 3e."""
    school = Establishment.objects.get(uai=MAUPASSANT)
    year = SchoolYear.current()
    result = services.divisions_import(
        establishment=school,
        school_year=year,
        user=User.objects.get(email=email),
        parsed=importers.parse_divisions_csv(CLASSES),
    )
    assert not result.errors, result.errors
    resource = GarResource.objects.create(
        ark="ark:/47198/atlas-geo-test",
        title=TITLE,
        distributor="Éditions du Limousin",
        origin=Origin.ACQUIRED,
        publics=["ELEVE", "ENSEIGNANT"],
    )
    return GarSubscription.objects.create(
        establishment=school,
        school_year=year,
        resource=resource,
        id_abonnement="abo-atlas-2026",
        starts_on=year.starts_on,
        end_school_year=year.label,
        publics=["ELEVE", "ENSEIGNANT"],
        licences_eleve="60",
        licences_enseignant="5",
    )


def test_documentalist_assigns_a_subscription_to_two_classes(page, login, console, screenshot):
    login(DOCUMENTALIST)
    subscription = setup_subscription(DOCUMENTALIST)
    nav = page.locator("#navigation-principale")
    nav.get_by_role("button", name="GAR").click()
    nav.get_by_role("link", name="Affectations").click()
    expect(page.locator("h1")).to_have_text("Affectations GAR")
    row = page.locator("#abonnements-affectations tr", has_text=TITLE)
    expect(row).to_contain_text("Élèves : 0 / 60")
    expect(row).to_contain_text("À affecter")
    row.get_by_role("link", name=TITLE).click()

    expect(page.locator("h1")).to_have_text(TITLE)
    pupils = page.locator("#licences tr", has_text="Élèves")
    expect(pupils.locator(".licences-affectees")).to_have_text("0")
    tick(page, "3A — 3e A (28 élèves)")
    tick(page, "3B — 3e B (27 élèves)")
    page.get_by_role("button", name="Affecter aux classes et groupes choisis").click()
    expect(page.locator(".fr-alert--success")).to_contain_text(
        "Affecté à 3A, 3B : 55 licence(s) élève(s) utilisée(s)."
    )
    expect(pupils.locator(".licences-affectees")).to_have_text("55")
    expect(pupils).to_contain_text("5")  # left
    expect(page.locator("#affectations")).to_contain_text("3A — 3e A")
    expect(page.locator("#affectations")).to_contain_text("3B — 3e B")
    # Already assigned classes are no longer offered.
    expect(page.get_by_label("3A — 3e A (28 élèves)")).to_have_count(0)

    # 3C has 26 pupils, only 5 licences are left: refused, nothing saved.
    tick(page, "3C — 3e C (26 élèves)")
    page.get_by_role("button", name="Affecter aux classes et groupes choisis").click()
    error = page.locator("#erreurs-formulaire")
    expect(error).to_contain_text(
        f"Licences insuffisantes pour « {TITLE} » : 3C demande 26 licences élèves, "
        "il en reste 5 sur 60 (55 déjà affectée(s)). Rien n'a été affecté."
    )
    expect(pupils.locator(".licences-affectees")).to_have_text("55")
    assert GarAssignment.objects.filter(subscription=subscription).count() == 2
    error.scroll_into_view_if_needed()
    assert_dsfr_styled(page, console)
    screenshot("gar-assignments")

    page.get_by_role("link", name="Affectations GAR").click()
    row = page.locator("#abonnements-affectations tr", has_text=TITLE)
    expect(row).to_contain_text("Élèves : 55 / 60")
    expect(row).to_contain_text("2 affectations")
