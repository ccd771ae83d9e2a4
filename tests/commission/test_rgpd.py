"""The RGPD register: read by all staff, kept by the direction and the RRUPN, printable."""

import datetime
import html

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commission.models import ProcessingActivity
from commission.rgpd import services
from commission.rgpd.services import ActivityData, RegisterError
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import Ent

from ..conftest import CSP_SCRIPT_RE
from ..factories import EstablishmentFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = django_settings.BASE_DIR

PILOT_ROLES = frozenset({Role.RRUPN})
TEACHER_ROLES = frozenset({Role.TEACHER})

FIELDS = {
    "name": "Vie scolaire et suivi pédagogique",
    "service": "Pronote",
    "purpose": "Absences, notes, cahier de textes.",
    "data_categories": "Identité, scolarité, évaluations.",
    "people_concerned": "Élèves, responsables légaux, personnels",
    "recipients": "Personnels habilités",
    "retention": "Année scolaire en cours",
    "security_measures": "Comptes nominatifs, habilitations.",
}


def make_activity(school, author, **changes) -> ProcessingActivity:
    return ProcessingActivity.objects.create(
        establishment=school, updated_by=author, **{**FIELDS, **changes}
    )


def data(**changes) -> ActivityData:
    return ActivityData(**{**FIELDS, **changes})


def staff(school, role, **user):
    return RoleAssignmentFactory(establishment=school, role=role, user=UserFactory(**user)).user


def url(name, school, *args):
    return reverse(f"commission:{name}", args=[school.uai, *args])


# --- services ---------------------------------------------------------------------------------


def test_the_rrupn_adds_an_activity_and_the_journal_says_so(school):
    rrupn = staff(school, Role.RRUPN)
    activity = services.activity_create(
        establishment=school, user=rrupn, roles=PILOT_ROLES, data=data(name="  Pronote  ")
    )
    assert activity.name == "Pronote" and activity.updated_by == rrupn
    entry = AuditEntry.objects.get(action="rgpd.activity_created")
    assert entry.establishment == school and entry.after["service"] == "Pronote"


@pytest.mark.parametrize(
    ("roles", "changes", "message"),
    [
        (TEACHER_ROLES, {}, "Seuls la direction et le RRUPN"),
        (PILOT_ROLES, {"retention": "   "}, "Toutes les rubriques"),
        (PILOT_ROLES, {"name": "vie scolaire ET suivi pédagogique"}, "déjà un traitement"),
    ],
)
def test_a_refused_creation_writes_nothing(school, roles, changes, message):
    author = staff(school, Role.RRUPN)
    make_activity(school, author)
    with pytest.raises(RegisterError, match=message):
        services.activity_create(
            establishment=school, user=author, roles=roles, data=data(**changes)
        )
    assert ProcessingActivity.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_the_same_name_is_fine_in_another_school(school, other_school):
    author = staff(school, Role.RRUPN)
    make_activity(other_school, author)
    services.activity_create(establishment=school, user=author, roles=PILOT_ROLES, data=data())
    assert ProcessingActivity.objects.filter(establishment=school).count() == 1


def test_an_update_records_before_and_after_and_refuses_a_stale_form(school):
    author, head = staff(school, Role.RRUPN), staff(school, Role.HEAD)
    activity = make_activity(school, author)
    version = activity.updated_at
    services.activity_update(
        activity=activity,
        user=head,
        roles=frozenset({Role.HEAD}),
        version=version,
        data=data(retention="Deux ans"),
    )
    activity.refresh_from_db()
    assert activity.retention == "Deux ans" and activity.updated_by == head
    entry = AuditEntry.objects.get(action="rgpd.activity_updated")
    assert entry.before["retention"] == "Année scolaire en cours"
    assert entry.after["retention"] == "Deux ans"
    # A second form drawn from the same version would overwrite that change: refused.
    with pytest.raises(RegisterError, match="modifié ou supprimé entre-temps"):
        services.activity_update(
            activity=activity, user=author, roles=PILOT_ROLES, version=version, data=data()
        )
    activity.refresh_from_db()
    assert activity.retention == "Deux ans"
    assert AuditEntry.objects.filter(action="rgpd.activity_updated").count() == 1


def test_a_deletion_is_for_the_pilots_and_is_journaled(school):
    author = staff(school, Role.RRUPN)
    activity = make_activity(school, author)
    with pytest.raises(RegisterError):
        services.activity_delete(activity=activity, user=author, roles=TEACHER_ROLES)
    assert ProcessingActivity.objects.exists()
    services.activity_delete(activity=activity, user=author, roles=PILOT_ROLES)
    assert not ProcessingActivity.objects.exists()
    entry = AuditEntry.objects.get(action="rgpd.activity_deleted")
    assert entry.before["name"] == FIELDS["name"] and entry.establishment == school


# --- pages ------------------------------------------------------------------------------------


def test_the_register_names_the_head_as_controller_and_the_dpd_from_settings(
    client, school, settings
):
    settings.RGPD_DPD_CONTACT = "dpo@example.test"
    head = staff(school, Role.HEAD, first_name="Hélène", last_name="Mésange")
    staff(school, Role.DIRECTION, first_name="Paul", last_name="Adjoint")
    make_activity(school, head)
    client.force_login(staff(school, Role.TEACHER))
    text = html.unescape(client.get(url("rgpd_register", school)).content.decode())
    controller = text.index("Responsable de traitements")
    assert "Hélène Mésange" in text[controller : controller + 300]
    assert "Paul Adjoint" not in text
    assert '<a href="mailto:dpo@example.test">dpo@example.test</a>' in text
    assert FIELDS["purpose"] in text and "Pronote" in text
    # A teacher reads the register but does not keep it.
    assert url("rgpd_create", school) not in text and "Ajouter depuis un modèle" not in text
    assert client.get(url("rgpd_create", school)).status_code == 403


def test_without_a_head_in_the_portal_the_register_says_so(client, school):
    client.force_login(staff(school, Role.RRUPN))
    text = html.unescape(client.get(url("rgpd_register", school)).content.decode())
    assert "Chef d’établissement non renseigné dans le portail" in text
    assert "dpd@ac-limoges.fr" in text
    assert "Aucun traitement n’est encore inscrit au registre." in text


def test_the_rrupn_adds_edits_and_removes_an_activity_through_the_pages(client, school):
    rrupn = staff(school, Role.RRUPN)
    client.force_login(rrupn)
    response = client.post(url("rgpd_create", school), FIELDS)
    assert response.status_code == 302 and response.url == url("rgpd_register", school)
    activity = ProcessingActivity.objects.get()
    assert activity.establishment == school

    form = client.get(url("rgpd_edit", school, activity.pk)).content.decode()
    assert f'value="{activity.updated_at.isoformat()}"' in form
    version = activity.updated_at.isoformat()
    response = client.post(
        url("rgpd_edit", school, activity.pk),
        {**FIELDS, "recipients": "Vie scolaire", "version": version},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.recipients == "Vie scolaire"

    confirm = client.get(url("rgpd_delete", school, activity.pk)).content.decode()
    assert "Retirer du registre" in confirm
    assert ProcessingActivity.objects.exists()  # a GET removes nothing
    response = client.post(url("rgpd_delete", school, activity.pk))
    assert response.status_code == 302 and not ProcessingActivity.objects.exists()
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "rgpd.activity_created",
        "rgpd.activity_updated",
        "rgpd.activity_deleted",
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"purpose": ""}, "Renseignez cette rubrique du registre."),
        ({"name": "x" * 201}, "au plus 200 caractères"),
        ({"security_measures": "   "}, "Renseignez cette rubrique du registre."),
    ],
)
def test_bad_input_shows_a_french_message_and_saves_nothing(client, school, changes, message):
    client.force_login(staff(school, Role.RRUPN))
    response = client.post(url("rgpd_create", school), {**FIELDS, **changes})
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not ProcessingActivity.objects.exists() and not AuditEntry.objects.exists()


def test_a_duplicate_name_and_a_stale_edit_are_refused_in_the_page(client, school):
    rrupn = staff(school, Role.RRUPN)
    first = make_activity(school, rrupn)
    second = make_activity(school, rrupn, name="ENT", service="ENT")
    client.force_login(rrupn)
    response = client.post(url("rgpd_create", school), {**FIELDS, "name": "ENT"})
    assert "Le registre contient déjà un traitement « ENT »." in html.unescape(
        response.content.decode()
    )
    stale = (first.updated_at - datetime.timedelta(seconds=5)).isoformat()
    response = client.post(
        url("rgpd_edit", school, first.pk), {**FIELDS, "retention": "Dix ans", "version": stale}
    )
    assert "modifié ou supprimé entre-temps" in html.unescape(response.content.decode())
    response = client.post(
        url("rgpd_edit", school, first.pk), {**FIELDS, "retention": "Dix ans", "version": "?"}
    )
    assert "rechargez la page" in html.unescape(response.content.decode())
    response = client.post(
        url("rgpd_edit", school, second.pk),
        {**FIELDS, "version": second.updated_at.isoformat()},  # renamed onto the first one
    )
    assert "déjà un traitement" in html.unescape(response.content.decode())
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.retention == FIELDS["retention"] and second.name == "ENT"
    assert not AuditEntry.objects.exists()


def test_another_school_s_activity_is_not_found_from_this_one(client, school, other_school):
    rrupn = staff(school, Role.RRUPN)
    foreign = make_activity(other_school, rrupn)
    client.force_login(rrupn)
    for name in ("rgpd_edit", "rgpd_delete"):
        assert client.get(url(name, school, foreign.pk)).status_code == 404
        assert client.post(url(name, school, foreign.pk), FIELDS).status_code == 404
    assert ProcessingActivity.objects.get() == foreign


def test_a_common_service_prefills_the_form(client):
    lycee = EstablishmentFactory(kind="lycee", ent=Ent.objects.get(code="lycee-connecte"))
    client.force_login(staff(lycee, Role.RRUPN))
    register = client.get(url("rgpd_register", lycee)).content.decode()
    assert "Ajouter depuis un modèle" in register and 'value="pronote"' in register
    text = html.unescape(client.get(url("rgpd_create", lycee) + "?modele=ent").content.decode())
    assert 'value="ENT Lycée connecté"' in text
    assert "Formulaire prérempli avec le modèle « Espace numérique de travail (ENT) »" in text
    text = html.unescape(client.get(url("rgpd_create", lycee) + "?modele=pix").content.decode())
    assert 'value="Pix — Pix Orga"' in text
    response = client.get(url("rgpd_create", lycee) + "?modele=inconnu")
    assert "Ce modèle de traitement n&#x27;existe pas." in response.content.decode()
    assert not ProcessingActivity.objects.exists()


def test_the_printable_register_has_the_document_only_and_a_nonced_print_script(client, school):
    head = staff(school, Role.HEAD, first_name="Hélène", last_name="Mésange")
    make_activity(school, head)
    make_activity(school, head, name="ENT", service="ENT")
    client.force_login(staff(school, Role.CPE))
    response = client.get(url("rgpd_print", school))
    text = html.unescape(response.content.decode())
    assert "Registre des activités de traitement" in text and "Hélène Mésange" in text
    assert "1. ENT" in text and "2. Vie scolaire et suivi pédagogique" in text
    today = datetime.date.today().strftime("%d/%m/%Y")
    assert f"Registre édité le {today}." in text
    # The button works without inline script: a static file carrying the CSP nonce.
    assert "data-print hidden" in text and "js/print-button.js" in text
    assert not CSP_SCRIPT_RE.search(text) and "onclick" not in text
    css = (ROOT / "static" / "css" / "portal.css").read_text()
    print_rules = css[css.index("@media print") :]
    assert ".fr-header" in print_rules and ".fr-footer" in print_rules


def test_the_register_pages_run_a_constant_number_of_queries(client, school):
    rrupn = staff(school, Role.RRUPN)
    for n in range(2):
        staff(school, Role.HEAD)
        make_activity(school, UserFactory(), name=f"Traitement {n}")
    client.force_login(rrupn)
    urls = [url("rgpd_register", school), url("rgpd_print", school)]

    def counts():
        result = []
        for address in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(address).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    counts()  # the first request after the login also stores the session
    before = counts()
    for n in range(2, 6):
        staff(school, Role.HEAD)
        make_activity(school, UserFactory(), name=f"Traitement {n}")
    assert counts() == before
    assert "Traitement 5" in client.get(urls[1]).content.decode()


def test_the_dashboard_checklist_points_to_the_register(client, school):
    rrupn = staff(school, Role.RRUPN)
    client.force_login(rrupn)
    dashboard = reverse("dashboard:establishment", args=[school.uai])
    text = html.unescape(client.get(dashboard).content.decode())
    assert "Registre RGPD des services numériques tenu" in text
    assert "Aucun traitement inscrit" in text
    make_activity(school, rrupn)
    make_activity(school, rrupn, name="ENT")
    text = html.unescape(client.get(dashboard).content.decode())
    assert "2 traitements inscrits" in text and url("rgpd_register", school) in text
