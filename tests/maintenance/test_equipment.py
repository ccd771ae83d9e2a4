"""Equipment needs for the collectivité's campaign: proposed by the RRUPN or the direction,
validated or refused by the direction, listed for the year with totals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maintenance.equipment import services
from maintenance.equipment.services import EquipmentError, NeedData
from maintenance.models import EquipmentNeed, EquipmentState
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import SchoolYear

from ..factories import RoleAssignmentFactory
from .factories_equipment import EquipmentNeedFactory

pytestmark = pytest.mark.django_db


def staff(school, role):
    return RoleAssignmentFactory(establishment=school, role=role).user


def data(**changes) -> NeedData:
    values = {
        "item": "Classe mobile (16 tablettes)",
        "quantity": 2,
        "justification": "Travail en îlots en SVT et en langues.",
        "priority": 1,
    }
    return NeedData(**{**values, **changes})


def propose(school, user, roles, **changes):
    return services.need_propose(
        establishment=school,
        school_year=SchoolYear.current(),
        user=user,
        roles=roles,
        data=data(**changes),
    )


def audit_actions(need) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(need.pk), action__startswith="equipment.")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


# --- services ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.RRUPN, Role.HEAD, Role.DIRECTION])
def test_rrupn_and_direction_propose_with_an_audit_row(school, role):
    user = staff(school, role)
    need = propose(school, user, {role})
    assert need.state == EquipmentState.PROPOSED and need.priority == 1
    assert need.proposed_by == user and need.school_year == SchoolYear.current()
    [entry] = AuditEntry.objects.filter(action="equipment.proposed")
    assert entry.establishment == school and entry.after["état"] == "proposed"


@pytest.mark.parametrize("role", [Role.TEACHER, Role.GESTIONNAIRE, Role.DOCUMENTALISTE])
def test_other_roles_cannot_propose(school, role):
    with pytest.raises(EquipmentError, match="RRUPN"):
        propose(school, staff(school, role), {role})
    assert not EquipmentNeed.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantity": 0}, "supérieur ou égal à 1"),
        ({"quantity": -4}, "supérieur ou égal à 1"),
        ({"justification": "   "}, "Justifiez le besoin"),
        ({"item": ""}, "matériel demandé"),
        ({"priority": 4}, "1 \\(haute\\), 2 \\(moyenne\\) ou 3"),
    ],
)
def test_bad_data_is_refused_and_nothing_saved(school, changes, message):
    with pytest.raises(EquipmentError, match=message):
        propose(school, staff(school, Role.RRUPN), {Role.RRUPN}, **changes)
    assert not EquipmentNeed.objects.exists() and not AuditEntry.objects.exists()


def test_head_validates_and_the_proposer_is_told(
    school, mailoutbox, django_capture_on_commit_callbacks
):
    rrupn, head = staff(school, Role.RRUPN), staff(school, Role.HEAD)
    need = propose(school, rrupn, {Role.RRUPN})
    with django_capture_on_commit_callbacks(execute=True):
        services.need_decide(need=need, user=head, roles={Role.HEAD}, validate=True)
    need.refresh_from_db()
    assert need.state == EquipmentState.VALIDATED
    assert need.decided_by == head and need.decided_at is not None
    assert audit_actions(need) == ["equipment.proposed", "equipment.validated"]
    entry = AuditEntry.objects.get(action="equipment.validated")
    assert entry.before["état"] == "proposed" and entry.after["état"] == "validated"
    [mail] = mailoutbox
    assert mail.to == [rrupn.email]
    assert "validé" in mail.subject and "Classe mobile (16 tablettes)" in mail.subject
    assert str(head) in mail.body and "priorité 1" in mail.body
    assert reverse("maintenance:equipment_detail", args=[school.uai, need.pk]) in mail.body


def test_refusal_needs_a_comment_which_reaches_the_proposer(
    school, mailoutbox, django_capture_on_commit_callbacks
):
    rrupn, direction = staff(school, Role.RRUPN), staff(school, Role.DIRECTION)
    need = propose(school, rrupn, {Role.RRUPN})
    with pytest.raises(EquipmentError, match="motif du refus"):
        services.need_decide(
            need=need, user=direction, roles={Role.DIRECTION}, validate=False, comment=" "
        )
    need.refresh_from_db()
    assert need.state == EquipmentState.PROPOSED and audit_actions(need) == ["equipment.proposed"]
    with django_capture_on_commit_callbacks(execute=True):
        services.need_decide(
            need=need,
            user=direction,
            roles={Role.DIRECTION},
            validate=False,
            comment="Hors référentiel de la collectivité & déjà doté.",
        )
    need.refresh_from_db()
    assert need.state == EquipmentState.REFUSED
    assert AuditEntry.objects.get(action="equipment.refused").comment == need.decision_comment
    [mail] = mailoutbox
    assert "refusé" in mail.subject
    assert "Hors référentiel de la collectivité & déjà doté." in mail.body  # plain text


@pytest.mark.parametrize("role", [Role.RRUPN, Role.GESTIONNAIRE, Role.TEACHER])
def test_only_the_direction_validates(school, role):
    need = EquipmentNeedFactory(establishment=school)
    with pytest.raises(EquipmentError, match="direction"):
        services.need_decide(need=need, user=staff(school, role), roles={role}, validate=True)
    need.refresh_from_db()
    assert need.state == EquipmentState.PROPOSED


def test_two_decisions_never_both_apply(school, mailoutbox, django_capture_on_commit_callbacks):
    need = EquipmentNeedFactory(establishment=school)
    head, direction = staff(school, Role.HEAD), staff(school, Role.DIRECTION)
    stale = EquipmentNeed.objects.get(pk=need.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.need_decide(need=need, user=head, roles={Role.HEAD}, validate=True)
        with pytest.raises(EquipmentError, match="déjà été décidé"):
            services.need_decide(
                need=stale, user=direction, roles={Role.DIRECTION}, validate=False, comment="Non."
            )
    need.refresh_from_db()
    assert need.state == EquipmentState.VALIDATED and need.decided_by == head
    assert need.decision_comment == "" and audit_actions(need) == ["equipment.validated"]
    assert len(mailoutbox) == 1


def test_deciding_ones_own_need_sends_no_mail(
    school, mailoutbox, django_capture_on_commit_callbacks
):
    head = staff(school, Role.HEAD)
    need = propose(school, head, {Role.HEAD})
    with django_capture_on_commit_callbacks(execute=True):
        services.need_decide(need=need, user=head, roles={Role.HEAD}, validate=True)
    assert mailoutbox == []


# --- pages -------------------------------------------------------------------------------------


def test_rrupn_proposes_through_the_form(client, school):
    client.force_login(staff(school, Role.RRUPN))
    url = reverse("maintenance:equipment_create", args=[school.uai])
    page = client.get(url).content.decode()
    assert 'id="besoin-equipement"' in page and "Priorité" in page
    response = client.post(
        url,
        {
            "item": "Visualiseuse",
            "quantity": "3",
            "priority": "1",
            "justification": "Montrer les gestes techniques.",
        },
    )
    need = EquipmentNeed.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("maintenance:equipment_detail", args=[school.uai, need.pk])
    assert (need.item, need.quantity, need.priority) == ("Visualiseuse", 3, 1)
    detail = client.get(response.url).content.decode()
    assert "Montrer les gestes techniques." in detail
    assert 'id="decision-besoin"' not in detail  # the RRUPN does not validate


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("quantity", "0", "La quantité doit être au moins 1."),
        ("quantity", "-2", "La quantité doit être au moins 1."),
        ("quantity", "trois", "Indiquez la quantité en nombre entier"),
        ("justification", "  ", "Justifiez le besoin : pour quel usage, quelles classes ?"),
        ("priority", "7", "Choisissez une priorité de 1 à 3."),
        ("item", "", "Indiquez le matériel demandé."),
    ],
)
def test_bad_input_gives_a_french_message_and_saves_nothing(client, school, field, value, message):
    client.force_login(staff(school, Role.RRUPN))
    post = {"item": "Visualiseuse", "quantity": "1", "priority": "2", "justification": "Oui."}
    response = client.post(
        reverse("maintenance:equipment_create", args=[school.uai]), {**post, field: value}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EquipmentNeed.objects.exists() and not AuditEntry.objects.exists()


def test_list_shows_the_years_needs_and_totals(client, school, other_school):
    year = SchoolYear.current()
    EquipmentNeedFactory(establishment=school, quantity=3, item="Tablette")
    EquipmentNeedFactory(
        establishment=school, quantity=5, state=EquipmentState.VALIDATED, item="Casque"
    )
    EquipmentNeedFactory(
        establishment=school, quantity=7, state=EquipmentState.REFUSED, item="Imprimante 3D"
    )
    last_year, _ = SchoolYear.objects.get_or_create(start_year=year.start_year - 1)
    EquipmentNeedFactory(establishment=school, school_year=last_year, item="Ancien TBI")
    EquipmentNeedFactory(establishment=other_school, item="Autre école")
    client.force_login(staff(school, Role.RRUPN))
    response = client.get(reverse("maintenance:equipment_list", args=[school.uai]))
    totals = services.totals_of(school, year)
    assert (totals.needs, totals.items) == (3, 15)
    assert totals.line(EquipmentState.VALIDATED).items == 5
    page = response.content.decode()
    assert "Tablette" in page and "Casque" in page and "Imprimante 3D" in page
    assert "Ancien TBI" not in page and "Autre école" not in page
    assert "<td>15</td>" in page and "Décider" not in page  # the RRUPN does not decide


def test_head_validates_from_the_inbox(
    client, school, mailoutbox, django_capture_on_commit_callbacks
):
    rrupn, head = staff(school, Role.RRUPN), staff(school, Role.HEAD)
    need = EquipmentNeedFactory(establishment=school, proposed_by=rrupn, quantity=4)
    EquipmentNeedFactory(establishment=school, state=EquipmentState.VALIDATED, item="Déjà vu")
    client.force_login(head)
    inbox = client.get(reverse("dashboard:inbox", args=[school.uai])).content.decode()
    assert "Besoins d&#x27;équipement à valider" in inbox
    assert f"Besoin d&#x27;équipement : {need.item} × 4" in inbox and "Déjà vu" not in inbox
    detail_url = reverse("maintenance:equipment_detail", args=[school.uai, need.pk])
    assert f"{detail_url}#decision" in inbox

    decide = reverse("maintenance:equipment_decide", args=[school.uai, need.pk])
    refused = client.post(decide, {"decision": "refuser", "comment": ""})
    assert refused.status_code == 200 and "Indiquez le motif du refus." in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide, {"decision": "valider", "comment": "Prioritaire."})
    assert response.status_code == 302 and response.url == detail_url
    need.refresh_from_db()
    assert need.state == EquipmentState.VALIDATED and need.decision_comment == "Prioritaire."
    assert [m.to for m in mailoutbox] == [[rrupn.email]]
    inbox = client.get(reverse("dashboard:inbox", args=[school.uai])).content.decode()
    assert "Besoin d&#x27;équipement :" not in inbox
    again = client.post(decide, {"decision": "refuser", "comment": "Non."}, follow=True)
    assert "déjà été décidé" in again.content.decode()
    need.refresh_from_db()
    assert need.state == EquipmentState.VALIDATED


def test_another_schools_need_is_not_found(client, school, other_school):
    theirs = EquipmentNeedFactory(establishment=other_school)
    client.force_login(staff(school, Role.HEAD))
    assert (
        client.get(
            reverse("maintenance:equipment_detail", args=[school.uai, theirs.pk])
        ).status_code
        == 404
    )
    decide = reverse("maintenance:equipment_decide", args=[school.uai, theirs.pk])
    assert client.post(decide, {"decision": "valider"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == EquipmentState.PROPOSED


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_inbox_and_csv_queries_are_constant(client, school):
    head = staff(school, Role.HEAD)

    def add(n):
        for _ in range(n):
            EquipmentNeedFactory(establishment=school, proposed_by=staff(school, Role.RRUPN))
            services.need_decide(
                need=EquipmentNeedFactory(establishment=school),
                user=head,
                roles={Role.HEAD},
                validate=True,
            )

    add(2)
    client.force_login(head)
    urls = [
        reverse("maintenance:equipment_list", args=[school.uai]),
        reverse("dashboard:inbox", args=[school.uai]),
        reverse("maintenance:equipment_export_csv", args=[school.uai]),
    ]
    for url in urls:
        _count(client, url)  # warm the per-process caches
    before = [_count(client, url) for url in urls]
    add(10)
    assert [_count(client, url) for url in urls] == before


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.RRUPN, True), (Role.HEAD, True), (Role.GESTIONNAIRE, False), (Role.TEACHER, False)],
)
def test_the_equipment_menu_link_follows_the_capability(client, school, role, shown):
    client.force_login(staff(school, role))
    page = client.get(reverse("dashboard:establishment", args=[school.uai])).content.decode()
    assert 'id="menu-maintenance"' in page
    assert (reverse("maintenance:equipment_list", args=[school.uai]) in page) is shown
