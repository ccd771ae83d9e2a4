"""Responsables d'affectation GAR: who may designate whom, the head's decision, the ENT step."""

from html import unescape

import pytest
from django.urls import reverse

from gar.campaign import responsables as service
from gar.campaign.responsables import DesignationError
from gar.models import DesignationState, RespAffectation
from rrupn.accounts.models import Role, RoleAssignment, RoleSource
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import Ent, SchoolYear

from ..factories import RoleAssignmentFactory
from .factories_campaign import DesignationFactory

pytestmark = pytest.mark.django_db


def staff(school, role, **extra):
    return RoleAssignmentFactory(establishment=school, role=role, **extra).user


def designate(school, person, user, roles):
    return service.responsable_designate(
        establishment=school,
        school_year=SchoolYear.current(),
        person=person,
        user=user,
        roles=roles,
    )


def resp_gar_role(school, person):
    return RoleAssignment.objects.filter(
        user=person, establishment=school, role=Role.RESP_GAR, school_year=SchoolYear.current()
    ).first()


def actions(designation) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(designation.pk), action__startswith="gar.resp")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


# --- who designates whom ----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.RRUPN, Role.DIRECTION, Role.DOCUMENTALISTE])
def test_the_head_designates_an_eligible_person_at_once(school, role):
    head, person = staff(school, Role.HEAD), staff(school, role)
    designation = designate(school, person, head, {Role.HEAD})
    assert designation.state == DesignationState.DESIGNATED
    assert designation.decided_by == head and designation.decided_at is not None
    granted = resp_gar_role(school, person)
    assert granted is not None and granted.source == RoleSource.MANUAL
    assert actions(designation) == ["gar.responsable.designated"]


def test_an_eligible_person_designates_themselves(school):
    documentalist = staff(school, Role.DOCUMENTALISTE)
    designation = designate(school, documentalist, documentalist, {Role.DOCUMENTALISTE})
    assert designation.state == DesignationState.DESIGNATED
    assert resp_gar_role(school, documentalist) is not None


def test_a_teacher_volunteering_is_a_proposal_the_head_approves(school):
    teacher, head = staff(school, Role.TEACHER), staff(school, Role.HEAD)
    designation = designate(school, teacher, teacher, {Role.TEACHER})
    assert designation.state == DesignationState.PROPOSED
    assert resp_gar_role(school, teacher) is None  # not before the head's approval
    service.responsable_decide(designation=designation, user=head, roles={Role.HEAD}, approve=True)
    designation.refresh_from_db()
    assert designation.state == DesignationState.DESIGNATED and designation.decided_by == head
    assert resp_gar_role(school, teacher) is not None
    assert actions(designation) == ["gar.responsable.proposed", "gar.responsable.approved"]


def test_the_rrupn_proposes_a_colleague_and_the_head_refuses(school):
    rrupn, teacher, head = (staff(school, r) for r in (Role.RRUPN, Role.TEACHER, Role.HEAD))
    designation = designate(school, teacher, rrupn, {Role.RRUPN})
    assert designation.state == DesignationState.PROPOSED and designation.proposed_by == rrupn
    service.responsable_decide(
        designation=designation,
        user=head,
        roles={Role.HEAD},
        approve=False,
        comment="Déjà quatre responsables",
    )
    designation.refresh_from_db()
    assert designation.state == DesignationState.REFUSED and resp_gar_role(school, teacher) is None
    assert AuditEntry.objects.get(action="gar.responsable.refused").comment == (
        "Déjà quatre responsables"
    )


def test_the_head_designating_a_teacher_decides_on_the_spot(school):
    head, teacher = staff(school, Role.HEAD), staff(school, Role.TEACHER)
    assert designate(school, teacher, head, {Role.HEAD}).state == DesignationState.DESIGNATED


def test_a_teacher_cannot_designate_a_colleague_nor_a_gestionnaire(school):
    teacher, colleague = staff(school, Role.TEACHER), staff(school, Role.TEACHER)
    with pytest.raises(DesignationError, match="Seuls la direction"):
        designate(school, colleague, teacher, {Role.TEACHER})
    gestionnaire = staff(school, Role.GESTIONNAIRE)
    with pytest.raises(DesignationError, match="Seuls la direction"):
        designate(school, colleague, gestionnaire, {Role.GESTIONNAIRE})
    assert not RespAffectation.objects.exists() and not AuditEntry.objects.exists()


def test_a_second_live_designation_of_the_same_person_is_refused(school):
    head, documentalist = staff(school, Role.HEAD), staff(school, Role.DOCUMENTALISTE)
    designate(school, documentalist, head, {Role.HEAD})
    with pytest.raises(DesignationError, match="déjà désigné"):
        designate(school, documentalist, documentalist, {Role.DOCUMENTALISTE})
    assert RespAffectation.objects.count() == 1 and AuditEntry.objects.count() == 1


def test_a_person_without_a_role_in_the_school_is_refused(school, other_school):
    outsider = staff(other_school, Role.DOCUMENTALISTE)
    with pytest.raises(DesignationError, match="n'a pas de rôle"):
        designate(school, outsider, staff(school, Role.HEAD), {Role.HEAD})
    assert not RespAffectation.objects.exists()


def test_a_decision_already_taken_is_not_taken_twice(school):
    teacher, head = staff(school, Role.TEACHER), staff(school, Role.HEAD)
    designation = designate(school, teacher, teacher, {Role.TEACHER})
    stale = RespAffectation.objects.get(pk=designation.pk)
    service.responsable_decide(designation=designation, user=head, roles={Role.HEAD}, approve=False)
    with pytest.raises(DesignationError, match="refusée"):
        service.responsable_decide(designation=stale, user=head, roles={Role.HEAD}, approve=True)
    assert resp_gar_role(school, teacher) is None


# --- withdrawal and the ENT step ----------------------------------------------------------------


def test_withdrawal_takes_the_yearly_role_back_but_not_a_permanent_one(school):
    head, documentalist = staff(school, Role.HEAD), staff(school, Role.DOCUMENTALISTE)
    RoleAssignmentFactory(user=documentalist, establishment=school, role=Role.RESP_GAR)
    designation = designate(school, documentalist, head, {Role.HEAD})
    service.responsable_withdraw(designation=designation, user=documentalist, roles=set())
    designation.refresh_from_db()
    assert designation.state == DesignationState.WITHDRAWN
    assert resp_gar_role(school, documentalist) is None
    assert RoleAssignment.objects.filter(
        user=documentalist, role=Role.RESP_GAR, school_year__isnull=True
    ).exists()
    # Withdrawn: the person may be designated again.
    assert designate(school, documentalist, head, {Role.HEAD}).state == "designated"


def test_only_the_direction_or_the_person_withdraws(school):
    designation = DesignationFactory(establishment=school)
    rrupn = staff(school, Role.RRUPN)
    with pytest.raises(DesignationError, match="retirent"):
        service.responsable_withdraw(designation=designation, user=rrupn, roles={Role.RRUPN})
    designation.refresh_from_db()
    assert designation.state == DesignationState.DESIGNATED


def test_the_person_confirms_the_ent_step_once(school):
    designation = DesignationFactory(establishment=school)
    with pytest.raises(DesignationError, match="Seuls la personne"):
        service.responsable_confirm_ent(
            designation=designation, user=staff(school, Role.TEACHER), roles={Role.TEACHER}
        )
    service.responsable_confirm_ent(designation=designation, user=designation.user, roles=set())
    designation.refresh_from_db()
    assert designation.done_in_ent_at is not None
    with pytest.raises(DesignationError, match="déjà confirmé"):
        service.responsable_confirm_ent(designation=designation, user=designation.user, roles=set())
    # The admin ENT who did it may confirm for the person.
    other = DesignationFactory(establishment=school)
    admin = staff(school, Role.ADMIN_ENT)
    service.responsable_confirm_ent(designation=other, user=admin, roles={Role.ADMIN_ENT})


def test_a_proposal_cannot_be_confirmed_in_the_ent(school):
    designation = DesignationFactory(establishment=school, state=DesignationState.PROPOSED)
    with pytest.raises(DesignationError, match="Seule une personne désignée"):
        service.responsable_confirm_ent(designation=designation, user=designation.user, roles=set())


# --- the page -------------------------------------------------------------------------------------


def page(client, school) -> str:
    response = client.get(reverse("gar:campaign_responsables", args=[school.uai]))
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.mark.parametrize(
    ("ent", "expected"),
    [
        (("lycee-connecte", "Lycée connecté"), "groupe manuel « RESP-AFFECT-GAR »"),
        (("ent-creuse", "ENT Creuse"), "service « Médiacentre »"),
        (None, "accorde, dans EduGAR, la délégation"),
    ],
)
def test_the_page_shows_the_procedure_of_the_schools_ent(client, school, ent, expected):
    if ent:
        school.ent = Ent.objects.get_or_create(code=ent[0], defaults={"name": ent[1]})[0]
        school.save()
    client.force_login(staff(school, Role.RRUPN))
    assert expected in page(client, school)


def test_more_than_15_in_lycee_connecte_is_warned(client, school):
    school.ent = Ent.objects.get_or_create(
        code="lycee-connecte", defaults={"name": "Lycée connecté"}
    )[0]
    school.save()
    client.force_login(staff(school, Role.HEAD))
    for _ in range(15):
        DesignationFactory(establishment=school)
    assert "alerte-quinze" not in page(client, school)
    DesignationFactory(establishment=school)
    html = page(client, school)
    assert "16 personnes désignées : Lycée connecté n’en transmet que 15 au GAR" in html


def test_no_warning_past_15_without_lycee_connecte(client, school):
    client.force_login(staff(school, Role.HEAD))
    for _ in range(16):
        DesignationFactory(establishment=school)
    assert "alerte-quinze" not in page(client, school)


def test_a_teacher_proposes_themselves_and_the_head_decides_from_the_inbox(client, school):
    teacher, head = staff(school, Role.TEACHER), staff(school, Role.HEAD)
    client.force_login(teacher)
    html = page(client, school)
    assert "Me proposer comme responsable d’affectation" in html
    assert 'id="designation"' not in html  # no form to designate others
    url = reverse("gar:campaign_designate", args=[school.uai])
    response = client.post(url, {"person": teacher.pk}, follow=True)
    assert "le chef d'établissement la voit dans ses validations" in unescape(
        response.content.decode()
    )
    designation = RespAffectation.objects.get()
    assert designation.state == DesignationState.PROPOSED

    client.force_login(head)
    inbox = unescape(client.get(reverse("dashboard:inbox", args=[school.uai])).content.decode())
    assert "Désignations de responsables d'affectation GAR" in inbox
    assert f"Responsable d'affectation GAR proposé : {teacher}</a> — Se propose lui-même" in inbox
    assert f"#designation-{designation.pk}" in inbox
    decide = reverse("gar:campaign_decide", args=[school.uai, designation.pk])
    client.post(decide, {f"d{designation.pk}-decision": "accepter"})
    designation.refresh_from_db()
    assert designation.state == DesignationState.DESIGNATED
    inbox = unescape(client.get(reverse("dashboard:inbox", args=[school.uai])).content.decode())
    assert f"proposé : {teacher}" not in inbox


def test_the_head_designates_from_the_form_and_the_person_confirms_the_ent(client, school):
    head, documentalist = staff(school, Role.HEAD), staff(school, Role.DOCUMENTALISTE)
    client.force_login(head)
    assert "— éligible" in page(client, school)
    url = reverse("gar:campaign_designate", args=[school.uai])
    client.post(url, {"person": documentalist.pk})
    designation = RespAffectation.objects.get(user=documentalist)
    assert designation.state == DesignationState.DESIGNATED

    client.force_login(documentalist)
    html = page(client, school)
    assert "Me désigner" not in html  # already designated
    client.post(reverse("gar:campaign_ent_done", args=[school.uai, designation.pk]))
    designation.refresh_from_db()
    assert designation.done_in_ent_at is not None
    client.post(reverse("gar:campaign_withdraw", args=[school.uai, designation.pk]))
    designation.refresh_from_db()
    assert designation.state == DesignationState.WITHDRAWN


def test_a_person_of_another_school_cannot_be_chosen(client, school, other_school):
    client.force_login(staff(school, Role.HEAD))
    outsider = staff(other_school, Role.TEACHER)
    url = reverse("gar:campaign_designate", args=[school.uai])
    response = client.post(url, {"person": outsider.pk})
    assert response.status_code == 400
    assert "Choisissez une personne qui a un rôle" in unescape(response.content.decode())
    assert not RespAffectation.objects.exists()


def test_another_schools_designation_is_not_found(client, school, other_school):
    theirs = DesignationFactory(establishment=other_school)
    client.force_login(staff(school, Role.HEAD))
    for name in ("campaign_withdraw", "campaign_ent_done", "campaign_decide"):
        assert client.post(reverse(f"gar:{name}", args=[school.uai, theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == DesignationState.DESIGNATED
