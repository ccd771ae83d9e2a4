"""Catalogue and subscription pages: what a school sees, manual entry and edit, both imports
through the pages, the SRANE catalogue, the admin, constant query counts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gar.models import GarResource, GarSubscription, Origin
from gar.subscriptions import importers, services
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import Collectivite, SchoolYear

from ..factories import EstablishmentFactory, RoleAssignmentFactory, SraneScopeFactory
from .factories_subscriptions import GarResourceFactory, GarSubscriptionFactory

pytestmark = pytest.mark.django_db


def staff(school, role):
    return RoleAssignmentFactory(establishment=school, role=role).user


def url(name, school, *args):
    return reverse(f"gar:{name}", args=[school.uai, *args])


@pytest.fixture
def gestionnaire_client(client, school):
    client.force_login(staff(school, Role.GESTIONNAIRE))
    return client


def form_data(resource, **changes):
    year = SchoolYear.current()
    data = {
        "idRessource": str(resource.pk),
        "idAbonnement": "ABO-SAISIE-1",
        "commentaireAbonnement": "Bon de commande 2026-17",
        "debutValidite": f"{year.start_year}-09-01",
        "finValidite": "",
        "anneeFinValidite": year.label,
        "typeAffectation": "INDIV",
        "categorieAffectation": "transferable",
        "publicCible": ["ELEVE", "ENSEIGNANT"],
        "nbLicenceGlobale": "",
        "nbLicenceEleve": "200",
        "nbLicenceEnseignant": "illimite",
        "nbLicenceProfDoc": "",
        "nbLicenceAutrePersonnel": "",
        "codeProjetRessource": "",
    }
    return {**data, **changes}


# --- seed catalogue -----------------------------------------------------------------------------


def test_the_seed_catalogue_holds_national_resources_with_valid_arks():
    seeded = GarResource.objects.filter(ark__startswith="ark:/99999/brne-")
    assert seeded.count() >= 4
    for resource in seeded:
        resource.full_clean()
        assert resource.origin == Origin.NATIONAL and "99999" in resource.description


# --- catalogue (school side) --------------------------------------------------------------------


def test_the_catalogue_shows_national_territorial_and_subscribed_resources(client, school):
    region = Collectivite.objects.create(code="region-test", name="Région de test")
    elsewhere = Collectivite.objects.create(code="dept-test", name="Département de test")
    school.collectivite = region
    school.save()
    GarResourceFactory(
        title="Territoriale de la région", origin=Origin.TERRITORIAL, collectivite=region
    )
    GarResourceFactory(
        title="Territoriale d'ailleurs", origin=Origin.TERRITORIAL, collectivite=elsewhere
    )
    GarResourceFactory(title="Nationale retirée", national=True, active=False)
    GarSubscriptionFactory(
        establishment=school, resource__title="Manuel acheté", id_abonnement="ABO-NOTRE"
    )
    GarSubscriptionFactory(resource__title="Manuel du voisin")
    last_year, _ = SchoolYear.objects.get_or_create(start_year=SchoolYear.current().start_year - 1)
    GarSubscriptionFactory(
        establishment=school, school_year=last_year, resource__title="Ancien abonnement"
    )
    client.force_login(staff(school, Role.TEACHER))
    page = client.get(url("subscriptions_catalogue", school)).content.decode()
    assert "BRNE — Mathématiques, cycle 4" in page  # seeded national resource
    assert "Territoriale de la région" in page and "Manuel acheté" in page and "ABO-NOTRE" in page
    for hidden in (
        "Territoriale d&#x27;ailleurs",
        "Nationale retirée",
        "Manuel du voisin",
        "Ancien abonnement",
    ):
        assert hidden not in page
    assert url("subscriptions_create", school) not in page  # a teacher does not subscribe


def test_catalogue_queries_do_not_grow_with_rows(client, school):
    client.force_login(staff(school, Role.DOCUMENTALISTE))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("subscriptions_catalogue", school)).status_code == 200
        return len(ctx)

    for _ in range(2):
        GarSubscriptionFactory(establishment=school)
    count()  # warm the per-process caches (content types, school year)
    two = count()
    for _ in range(5):
        GarSubscriptionFactory(establishment=school)
        GarResourceFactory(national=True)
    assert count() == two


# --- subscription list --------------------------------------------------------------------------


def test_the_list_shows_licences_available_and_used(gestionnaire_client, school):
    GarSubscriptionFactory(
        establishment=school,
        id_abonnement="ABO-A",
        licences_eleve="100",
        used_eleve=120,
        used_enseignant=7,
    )
    GarSubscriptionFactory(
        establishment=school,
        id_abonnement="ABO-B",
        assignment_type="ETABL",
        licences_eleve="",
        licences_enseignant="",
        licences_global="500",
        used_eleve=20,
        used_enseignant=5,
    )
    page = gestionnaire_client.get(url("subscriptions_list", school)).content.decode()
    assert "Élèves : <strong>120</strong> / 100" in page and "dépassé" in page
    assert "Enseignants : <strong>7</strong> / illimité" in page
    assert "Tous publics : <strong>25</strong> / 500" in page
    assert "rapport GAR pas encore importé" in page


def test_the_list_switches_school_year(gestionnaire_client, school):
    current = SchoolYear.current()
    last_year, _ = SchoolYear.objects.get_or_create(start_year=current.start_year - 1)
    GarSubscriptionFactory(establishment=school, school_year=last_year, id_abonnement="ABO-ANCIEN")
    GarSubscriptionFactory(establishment=school, id_abonnement="ABO-ACTUEL")
    page = gestionnaire_client.get(url("subscriptions_list", school)).content.decode()
    assert "ABO-ACTUEL" in page and "ABO-ANCIEN" not in page and last_year.label in page
    page = gestionnaire_client.get(
        url("subscriptions_list", school) + f"?annee={last_year.start_year}"
    ).content.decode()
    assert "ABO-ANCIEN" in page and "ABO-ACTUEL" not in page


def test_list_queries_do_not_grow_with_rows(gestionnaire_client, school):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert gestionnaire_client.get(url("subscriptions_list", school)).status_code == 200
        return len(ctx)

    for _ in range(2):
        GarSubscriptionFactory(establishment=school)
    count()  # warm the per-process caches (content types, school year)
    two = count()
    for _ in range(6):
        GarSubscriptionFactory(establishment=school)
    assert count() == two


# --- manual entry and edit ----------------------------------------------------------------------


def test_the_gestionnaire_enters_a_subscription(gestionnaire_client, school):
    resource = GarResourceFactory()
    response = gestionnaire_client.post(url("subscriptions_create", school), form_data(resource))
    assert response.status_code == 302 and response.url == url("subscriptions_list", school)
    subscription = GarSubscription.objects.get()
    assert subscription.establishment == school and subscription.resource == resource
    assert subscription.licences_enseignant == "ILLIMITE" and subscription.source == "manual"
    assert subscription.publics == ["ELEVE", "ENSEIGNANT"]
    entry = AuditEntry.objects.get(action="gar.subscription.created")
    assert entry.establishment == school and entry.after["nbLicenceEleve"] == "200"


def test_the_form_shows_the_gar_rules_on_their_fields_and_saves_nothing(
    gestionnaire_client, school
):
    resource = GarResourceFactory()
    response = gestionnaire_client.post(
        url("subscriptions_create", school),
        form_data(
            resource,
            idAbonnement="_supprime",
            finValidite=f"{SchoolYear.current().start_year + 1}-06-30",
            nbLicenceProfDoc="3",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "(RG13)" in errors["idAbonnement"][0]
    assert "(RG9)" in errors["anneeFinValidite"][0]
    assert "(RG5)" in errors["nbLicenceProfDoc"][0]
    assert "RG5" in response.content.decode()
    assert not GarSubscription.objects.exists() and not AuditEntry.objects.exists()


def test_national_resources_are_not_offered_for_subscription(gestionnaire_client, school):
    national = GarResourceFactory(national=True, title="Ressource nationale offerte")
    page = gestionnaire_client.get(url("subscriptions_create", school)).content.decode()
    assert "Ressource nationale offerte" not in page
    response = gestionnaire_client.post(url("subscriptions_create", school), form_data(national))
    assert "idRessource" in response.context["form"].errors
    assert not GarSubscription.objects.exists()


def test_the_service_refuses_a_national_resource_and_a_taken_id(school):
    user = staff(school, Role.GESTIONNAIRE)
    GarSubscriptionFactory(id_abonnement="ABO-PRIS")
    form = {
        "idAbonnement": "ABO-PRIS",
        "debutValidite": datetime.date(2026, 9, 1),
        "anneeFinValidite": "2026-2027",
        "typeAffectation": "INDIV",
        "categorieAffectation": "transferable",
        "publicCible": ["ELEVE"],
        "nbLicenceEleve": "10",
    }
    with pytest.raises(services.SubscriptionError) as exc:
        services.subscription_save(
            establishment=school,
            school_year=SchoolYear.current(),
            user=user,
            resource=GarResourceFactory(national=True),
            data=form,
        )
    assert [field for field, _m in exc.value.errors] == ["idRessource", "idAbonnement"]
    assert "déjà enregistré" in exc.value.errors[1][1]


def test_editing_a_subscription_audits_before_and_after(gestionnaire_client, school):
    subscription = GarSubscriptionFactory(
        establishment=school, id_abonnement="ABO-EDIT", used_eleve=30
    )
    edit = url("subscriptions_edit", school, subscription.pk)
    page = gestionnaire_client.get(edit).content.decode()
    assert 'value="ABO-EDIT"' in page and 'value="120"' in page
    response = gestionnaire_client.post(
        edit,
        form_data(
            subscription.resource, idAbonnement="ABO-EDIT", nbLicenceEleve="180", revision="1"
        ),
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.licences_eleve == "180" and subscription.used_eleve == 30
    entry = AuditEntry.objects.get(action="gar.subscription.changed")
    assert entry.before["nbLicenceEleve"] == "120" and entry.after["nbLicenceEleve"] == "180"


def test_two_people_editing_the_same_subscription_the_second_is_told_and_nothing_is_lost(
    gestionnaire_client, school
):
    subscription = GarSubscriptionFactory(establishment=school, id_abonnement="ABO-DEUX")
    edit = url("subscriptions_edit", school, subscription.pk)
    page = gestionnaire_client.get(edit).content.decode()
    assert 'name="revision" value="1"' in page
    # Meanwhile a colleague saves a change from their own form (opened on revision 1).
    colleague = Client()
    colleague.force_login(staff(school, Role.GESTIONNAIRE))
    theirs = form_data(
        subscription.resource, idAbonnement="ABO-DEUX", nbLicenceEleve="150", revision="1"
    )
    assert colleague.post(edit, theirs).status_code == 302
    subscription.refresh_from_db()
    assert (subscription.revision, subscription.licences_eleve) == (2, "150")

    mine = form_data(
        subscription.resource, idAbonnement="ABO-DEUX", nbLicenceEleve="999", revision="1"
    )
    response = gestionnaire_client.post(edit, mine)
    page = response.content.decode()
    assert response.status_code == 200
    assert "modifié par quelqu" in page and "rien n" in page  # said, in French
    assert 'value="999"' in page  # what this person typed is still on the page
    subscription.refresh_from_db()
    assert (subscription.revision, subscription.licences_eleve) == (2, "150")  # not overwritten
    assert AuditEntry.objects.filter(action="gar.subscription.changed").count() == 1

    # Reloaded on the current revision, the same change goes through.
    response = gestionnaire_client.post(edit, {**mine, "revision": "2"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.revision, subscription.licences_eleve) == (3, "999")


def test_an_edit_posted_without_its_revision_is_refused_as_stale(gestionnaire_client, school):
    subscription = GarSubscriptionFactory(establishment=school, id_abonnement="ABO-SANS")
    response = gestionnaire_client.post(
        url("subscriptions_edit", school, subscription.pk),
        form_data(subscription.resource, idAbonnement="ABO-SANS", nbLicenceEleve="999"),
    )
    assert response.status_code == 200 and "modifié par quelqu" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.licences_eleve != "999" and subscription.revision == 1


def test_an_import_does_not_overwrite_a_subscription_saved_since_it_was_read(school, monkeypatch):
    """Read, then a form saves the same subscription, then the import writes: refused."""
    subscription = GarSubscriptionFactory(establishment=school, id_abonnement="ABO-COURSE")
    GarResourceFactory(ark="ark:/99999/ressource-exemple")
    text = importers.sample_subscriptions_csv().replace("ABO-2026-0001", "ABO-COURSE")
    real = services.used_by_public

    def a_form_saves_meanwhile(ids):  # runs between the import's read and its write
        GarSubscription.objects.filter(pk=subscription.pk).update(revision=2, comment="Form")
        return real(ids)

    monkeypatch.setattr(services, "used_by_public", a_form_saves_meanwhile)
    result = services.subscriptions_import(
        establishment=school,
        school_year=subscription.school_year,
        user=staff(school, Role.GESTIONNAIRE),
        text=text,
    )
    assert result.errors and "vient d'être modifié" in str(result.errors[0])
    subscription.refresh_from_db()
    assert (subscription.revision, subscription.comment) == (2, "Form")  # the form's change kept


def test_an_import_that_changes_a_subscription_makes_an_open_form_stale(school):
    subscription = GarSubscriptionFactory(establishment=school, id_abonnement="ABO-IMPORT")
    GarResourceFactory(ark="ark:/99999/ressource-exemple")
    text = importers.sample_subscriptions_csv().replace("ABO-2026-0001", "ABO-IMPORT")
    assert "ABO-IMPORT" in text
    result = services.subscriptions_import(
        establishment=school,
        school_year=subscription.school_year,
        user=staff(school, Role.GESTIONNAIRE),
        text=text,
    )
    assert not result.errors
    subscription.refresh_from_db()
    assert subscription.revision == 2


def test_a_withdrawn_resource_stays_editable_on_its_subscription(gestionnaire_client, school):
    subscription = GarSubscriptionFactory(establishment=school, resource__active=False)
    response = gestionnaire_client.post(
        url("subscriptions_edit", school, subscription.pk),
        form_data(subscription.resource, idAbonnement=subscription.id_abonnement, revision="1"),
    )
    assert response.status_code == 302


def test_another_schools_subscription_is_not_found(gestionnaire_client, school):
    foreign = GarSubscriptionFactory(establishment=EstablishmentFactory())
    response = gestionnaire_client.get(url("subscriptions_edit", school, foreign.pk))
    assert response.status_code == 404
    response = gestionnaire_client.post(url("subscriptions_edit", school, foreign.pk), {})
    assert response.status_code == 404


# --- imports through the pages ------------------------------------------------------------------


def csv_file(text, name="abonnements.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_importing_subscriptions_from_the_page(gestionnaire_client, school):
    GarResourceFactory(ark="ark:/99999/ressource-exemple")
    text = importers.sample_subscriptions_csv()
    page = url("subscriptions_import", school)
    response = gestionnaire_client.post(page, {"fichier": csv_file(text)}, follow=True)
    assert "abonnements créés : 1," in response.content.decode()
    response = gestionnaire_client.post(page, {"fichier": csv_file(text)}, follow=True)
    assert "abonnements créés : 0, modifiés : 0, inchangés : 1." in response.content.decode()
    assert GarSubscription.objects.get().establishment == school


def test_a_bad_import_lists_each_error_with_line_and_column(gestionnaire_client, school):
    text = importers.sample_subscriptions_csv()  # its resource is not in the catalogue
    response = gestionnaire_client.post(
        url("subscriptions_import", school), {"fichier": csv_file(text)}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "1 erreur : rien n’a été importé" in page
    assert "<td>2</td><td><code>idRessource</code></td>" in page
    assert not GarSubscription.objects.exists()


def test_a_refused_upload_says_why(gestionnaire_client, school):
    response = gestionnaire_client.post(
        url("subscriptions_import", school), {"fichier": csv_file("x", name="abonnements.ods")}
    )
    assert "extension .csv ou .txt" in response.content.decode()


def test_the_page_documents_the_format_and_offers_a_sample(gestionnaire_client, school):
    page = gestionnaire_client.get(url("subscriptions_import", school)).content.decode()
    assert "idAbonnement;idRessource;typeIdRessource" in page and "ELEVE|ENSEIGNANT" in page
    response = gestionnaire_client.get(url("subscriptions_import_sample", school))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8").startswith("\ufeffidAbonnement;")


def test_importing_the_report_from_the_page(gestionnaire_client, school):
    subscription = GarSubscriptionFactory(establishment=school, id_abonnement="ABO-R")
    text = (
        ";".join(importers.REPORT_COLUMNS)
        + f"\n{school.uai};ABO-R;;{subscription.resource.ark};88;6;0;0\n"
    )
    response = gestionnaire_client.post(
        url("subscriptions_report_import", school),
        {"fichier": csv_file(text, "rapport.csv")},
        follow=True,
    )
    assert "abonnements mis à jour : 1," in response.content.decode()
    subscription.refresh_from_db()
    assert (subscription.used_eleve, subscription.used_enseignant) == (88, 6)
    bad = text.replace(school.uai, "0190001A")
    response = gestionnaire_client.post(
        url("subscriptions_report_import", school), {"fichier": csv_file(bad, "rapport.csv")}
    )
    assert "<td>2</td><td><code>UAI</code></td>" in response.content.decode()


# --- SRANE catalogue and admin ------------------------------------------------------------------


def test_the_srane_catalogue_counts_schools_of_its_scope(client, school, far_school):
    resource = GarResourceFactory(title="Manuel partagé")
    GarSubscriptionFactory(establishment=school, resource=resource)
    GarSubscriptionFactory(establishment=EstablishmentFactory(), resource=resource)
    GarSubscriptionFactory(establishment=far_school, resource=resource)
    srane = SraneScopeFactory(department="87").user
    client.force_login(srane)
    response = client.get(reverse("gar_srane:subscriptions_catalogue"))
    row = next(r for r in response.context["resources"] if r.pk == resource.pk)
    assert row.school_count == 2  # the Corrèze school is outside the scope
    response = client.get(reverse("gar_srane:subscriptions_catalogue") + "?origine=national")
    assert {r.origin for r in response.context["resources"]} == {Origin.NATIONAL}
    assert "Modifier le catalogue (administration)" not in response.content.decode()


def test_srane_catalogue_queries_do_not_grow(client):
    client.force_login(SraneScopeFactory(academie=True).user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("gar_srane:subscriptions_catalogue"))
        return len(ctx)

    GarSubscriptionFactory()
    GarSubscriptionFactory()
    count()  # warm the per-process caches
    two = count()
    for _ in range(5):
        GarSubscriptionFactory()
    assert count() == two


def srane_staff(academie: bool):
    scope = SraneScopeFactory(academie=True) if academie else SraneScopeFactory(department="87")
    scope.user.is_staff = True
    scope.user.save()
    return scope.user


def test_the_academie_srane_edits_the_catalogue_in_the_admin_with_an_audit(client):
    client.force_login(srane_staff(academie=True))
    add = reverse("admin:gar_garresource_add")
    data = {
        "ark": "ark:/99999/nouvelle-ressource",
        "title": "Nouvelle ressource",
        "distributor": "Éditeur",
        "distributor_id": "",
        "origin": "acquired",
        "collectivite": "",
        "publics": ["ELEVE", "DOCUMENTALISTE"],
        "description": "",
        "active": "on",
    }
    response = client.post(add, {**data, "ark": "ark:/abc/x"})
    assert (
        response.status_code == 200
        and "identifiant ARK (forme attendue" in response.content.decode()
    )
    response = client.post(add, {**data, "origin": "territorial"})
    assert "Une ressource territoriale a une collectivité." in response.content.decode()
    assert client.post(add, data).status_code == 302
    resource = GarResource.objects.get(ark="ark:/99999/nouvelle-ressource")
    assert resource.publics == ["ELEVE", "DOCUMENTALISTE"]
    entry = AuditEntry.objects.get(action="reference.added")
    assert entry.after["title"] == "Nouvelle ressource"


def test_a_departement_srane_cannot_edit_the_catalogue(client):
    client.force_login(srane_staff(academie=False))
    assert client.get(reverse("admin:gar_garresource_changelist")).status_code == 403
    assert client.get(reverse("admin:gar_garsubscription_changelist")).status_code == 403


# --- licence counts and the portal's assignments ------------------------------------------------


def assign(subscription, user, public="ELEVE", licences=50):
    from gar.models import GarAssignment

    return GarAssignment.objects.create(
        subscription=subscription,
        target_kind="establishment",
        public=public,
        licences=licences,
        created_by=user,
    )


def test_an_edit_cannot_leave_more_licences_assigned_than_available(gestionnaire_client, school):
    subscription = GarSubscriptionFactory(establishment=school, id_abonnement="ABO-AFF")
    assign(subscription, staff(school, Role.DOCUMENTALISTE), licences=50)
    edit = url("subscriptions_edit", school, subscription.pk)
    data = form_data(
        subscription.resource, idAbonnement="ABO-AFF", nbLicenceEleve="40", revision="1"
    )
    response = gestionnaire_client.post(edit, data)
    assert response.context["form"].errors["nbLicenceEleve"] == [
        "50 licences élèves déjà affectées dans le portail : il en faut au moins autant "
        "(retirez d'abord des affectations)."
    ]
    subscription.refresh_from_db()
    assert subscription.licences_eleve == "120" and not AuditEntry.objects.exists()
    data["nbLicenceEleve"] = "50"
    assert gestionnaire_client.post(edit, data).status_code == 302


def test_an_import_cannot_leave_an_over_assignment(school):
    user = staff(school, Role.GESTIONNAIRE)
    subscription = GarSubscriptionFactory(
        establishment=school, id_abonnement="ABO-AFF", resource__ark="ark:/99999/aff"
    )
    assign(subscription, user, public="ENSEIGNANT", licences=3)
    year = SchoolYear.current()
    text = (
        "idAbonnement;idRessource;debutValidite;anneeFinValidite;typeAffectation;"
        "nbLicenceEleve;publicCible\n"
        f"ABO-AFF;ark:/99999/aff;01/09/{year.start_year};{year.label};INDIV;120;ELEVE\n"
    )
    result = services.subscriptions_import(
        establishment=school, school_year=year, user=user, text=text
    )
    assert [str(e) for e in result.errors] == [
        "ligne 2, colonne « nbLicenceEnseignant » : 3 licences enseignants déjà affectées dans "
        "le portail : il en faut au moins autant (retirez d'abord des affectations)."
    ]
    subscription.refresh_from_db()
    assert subscription.publics == ["ELEVE", "ENSEIGNANT"]


def test_a_zero_count_is_stored_as_not_given(gestionnaire_client, school):
    resource = GarResourceFactory()
    data = form_data(resource, nbLicenceGlobale="0", nbLicenceEnseignant="00")
    assert gestionnaire_client.post(url("subscriptions_create", school), data).status_code == 302
    subscription = GarSubscription.objects.get()
    assert (subscription.licences_global, subscription.licences_enseignant) == ("", "")
