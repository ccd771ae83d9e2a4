"""The RRUPN dashboard (checklist with deadlines, what waits on whom, meetings, incidents), the
head's approval inbox (one list, decided from the list) and the header (roles, count, switcher)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from commission.models import PurchaseProposal, PurchaseState
from maintenance.models import EquipmentState, TicketStatus
from missions.models import LetterState, MissionLetter
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry
from rrupn.dashboard.models import ChecklistDeadline
from rrupn.dashboard.school_selectors import (
    DONE,
    INFO,
    LATE,
    LATER,
    SOON,
    checklist_deadlines,
    checklist_level,
    checklist_rows,
)
from rrupn.establishments.models import SchoolYear

from ..commission.factories_members import commission, meeting
from ..commission.factories_purchases import PurchaseProposalFactory
from ..factories import EstablishmentFactory, RoleAssignmentFactory, UserFactory
from ..maintenance.factories_equipment import EquipmentNeedFactory
from ..maintenance.test_tickets_screens import make_ticket
from ..missions.factories import MissionLetterFactory
from ..ui.html import assert_every_control_labelled, assert_unique_ids, one, parse

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def person(school, role, **names):
    user = UserFactory(**names)
    RoleAssignmentFactory(user=user, establishment=school, role=role)
    return user


def deadline(key, due_on, year=None):
    year = year or SchoolYear.current()
    row, _created = ChecklistDeadline.objects.update_or_create(
        school_year=year, item_key=key, defaults={"due_on": due_on}
    )
    return row


def html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def dashboard_url(school):
    return reverse("dashboard:establishment", args=[school.uai])


def inbox_url(school):
    return reverse("dashboard:inbox", args=[school.uai])


# --- checklist colours and deadlines ----------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "due_on", "level"),
    [
        (True, datetime.date(2026, 9, 30), DONE),  # done, even past its deadline
        (False, datetime.date(2026, 11, 19), LATE),  # the day after the deadline
        (False, datetime.date(2026, 11, 20), SOON),  # due today
        (False, datetime.date(2026, 12, 20), SOON),  # 30 days ahead
        (False, datetime.date(2026, 12, 21), LATER),  # 31 days ahead
        (False, None, SOON),  # no deadline: amber
        (None, datetime.date(2026, 9, 1), INFO),  # a figure (open incidents): nothing to do
    ],
)
def test_checklist_level_by_date(done, due_on, level):
    assert checklist_level(done, due_on, TODAY) == level


def test_checklist_rows_read_their_deadlines_from_the_reference_data(school):
    year = SchoolYear.current()
    ChecklistDeadline.objects.filter(school_year=year).delete()
    deadline("commission_composed", datetime.date(2026, 10, 15))  # no commission: late
    deadline("training_needs", datetime.date(2026, 12, 1))  # none recorded: due soon
    deadline("rgpd_register", datetime.date(2027, 3, 1))  # none registered: later
    RoleAssignmentFactory(establishment=school, role=Role.RRUPN, yearly=True)
    deadline("rrupn_designated", datetime.date(2026, 9, 30))  # designated: done
    rows = {row.item.key: row for row in checklist_rows(school, year, TODAY)}
    assert rows["commission_composed"].level == LATE
    assert rows["commission_composed"].due_on == datetime.date(2026, 10, 15)
    assert rows["training_needs"].level == SOON
    assert rows["rgpd_register"].level == LATER
    assert rows["rrupn_designated"].level == DONE
    assert rows["mission_letter"].due_on is None and rows["mission_letter"].level == SOON
    assert rows["mission_letter"].level_text == "À faire, sans échéance"
    assert rows["commission_composed"].action_label == "Composer la commission"
    assert rows["rrupn_designated"].action_label == "Voir"


def test_the_default_deadlines_of_the_guide_are_loaded_for_the_current_year():
    deadlines = checklist_deadlines(SchoolYear.current())
    start = SchoolYear.current().start_year
    assert deadlines["mission_letter"] == datetime.date(start, 10, 15)
    assert deadlines["gar_responsables"] == datetime.date(start, 9, 30)
    assert deadlines["pix_certification_sessions"] == datetime.date(start + 1, 3, 31)
    assert deadlines["pix_sixth_campaigns"] == datetime.date(start, 11, 30)


def test_a_year_without_deadlines_reuses_the_previous_year_one_year_later():
    current = SchoolYear.current()
    ChecklistDeadline.objects.filter(school_year=current).delete()
    previous, _created = SchoolYear.objects.get_or_create(start_year=current.start_year - 1)
    deadline("mission_letter", datetime.date(current.start_year - 1, 10, 1), previous)
    deadline(
        "rgpd_register",
        datetime.date(current.start_year, 2, 29 if current.start_year % 4 == 0 else 28),
        previous,
    )
    deadlines = checklist_deadlines(current)
    assert deadlines["mission_letter"] == datetime.date(current.start_year, 10, 1)
    assert deadlines["rgpd_register"] == datetime.date(current.start_year + 1, 2, 28)
    # Once the year has its own dates, the previous year's are not used any more.
    deadline("training_needs", datetime.date(current.start_year, 11, 30))
    assert checklist_deadlines(current) == {
        "training_needs": datetime.date(current.start_year, 11, 30),
        "gar_assignments_done": datetime.date(current.start_year, 9, 30),  # the GAR campaign's
    }


def test_gar_assignments_are_due_on_the_gar_campaigns_date_only(client):
    """One date everywhere: the checklist shows the due date the SRANE set on the campaign,
    and the deadlines admin does not offer a second one for that item."""
    from gar.models import GarCampaign
    from rrupn.dashboard.admin import ChecklistDeadlineForm

    current = SchoolYear.current()
    assert not ChecklistDeadline.objects.filter(item_key="gar_assignments_done").exists()
    assert checklist_deadlines(current)["gar_assignments_done"] == datetime.date(
        current.start_year, 9, 30
    )  # the campaign's default until the SRANE sets it
    GarCampaign.objects.create(school_year=current, due_on=datetime.date(current.start_year, 10, 9))
    assert checklist_deadlines(current)["gar_assignments_done"] == datetime.date(
        current.start_year, 10, 9
    )
    keys = dict(ChecklistDeadlineForm().fields["item_key"].choices)
    assert "gar_responsables" in keys and "gar_assignments_done" not in keys


def test_the_dashboard_shows_each_item_with_its_deadline_state_and_action(client, school):
    rrupn = person(school, Role.RRUPN)
    today = timezone.localdate()
    row = deadline("commission_composed", today - datetime.timedelta(days=3))
    client.force_login(rrupn)
    doc = parse(html(client, dashboard_url(school)))
    line = one(doc, '//tr[@id="point-commission_composed"]')
    assert line.get("data-level") == LATE
    assert "En retard" in line.text_content()  # text, not colour alone
    badge = one(line, './/p[contains(@class, "fr-badge")]')
    assert "fr-badge--error" in badge.get("class")
    assert (today - datetime.timedelta(days=3)).strftime("%d/%m/%Y") in line.text_content()
    link = one(line, ".//a")
    assert link.get("href") == reverse("commission:home", args=[school.uai])
    assert "Composer la commission" in link.text_content()
    assert one(doc, "//h1").text == "Tableau de bord"
    assert_unique_ids(doc)

    # Changing the reference data changes the page.
    row.due_on = today + datetime.timedelta(days=90)
    row.save()
    doc = parse(html(client, dashboard_url(school)))
    line = one(doc, '//tr[@id="point-commission_composed"]')
    assert line.get("data-level") == LATER
    assert row.due_on.strftime("%d/%m/%Y") in line.text_content()
    assert "À venir" in line.text_content()


def test_the_dashboard_says_what_waits_on_whom(client, school):
    rrupn = person(school, Role.RRUPN)
    PurchaseProposalFactory(establishment=school, proposed_by=rrupn)
    PurchaseProposalFactory(establishment=school, proposed_by=rrupn)
    MissionLetterFactory(establishment=school, rrupn=rrupn, signed=True)
    teacher = person(school, Role.TEACHER)
    make_ticket(school, teacher, status=TicketStatus.TO_RRUPN, age_days=2)
    client.force_login(rrupn)
    page = html(client, dashboard_url(school))
    assert "En attente de la direction" in page
    assert "Propositions d&#x27;achat à décider : <strong>2</strong>" in page
    assert "En attente du RRUPN" in page
    assert "à accepter" in page
    assert "Signalement à transmettre : Incident" in page
    assert reverse("dashboard:inbox", args=[school.uai]) not in page.split("<main")[1]

    letter_page = reverse("missions:detail", args=[school.uai, MissionLetter.objects.get().pk])
    assert f'href="{letter_page}"' in page  # the RRUPN's checklist links to the letter

    # The rest of the staff sees how many items wait, not whose letter or report, and the
    # checklist's states without the actions (the letter's page would refuse a teacher).
    client.force_login(teacher)
    page = html(client, dashboard_url(school))
    assert f'href="{letter_page}"' not in page
    assert client.get(letter_page).status_code == 404
    assert "Signalements d&#x27;incident à transmettre : <strong>1</strong>" in page
    assert "Signalement à transmettre : Incident" not in page
    assert "à accepter" not in page


def test_the_dashboard_lists_upcoming_meetings_and_open_incidents_by_age(client, school):
    rrupn = person(school, Role.RRUPN)
    com = commission(school)
    meeting(com, days=-3, place="Passée")
    coming = meeting(com, days=5, place="Salle 12")
    for age in (1, 10, 40):
        make_ticket(school, rrupn, age_days=age)
    make_ticket(school, rrupn, status=TicketStatus.RESOLVED, age_days=100)
    client.force_login(rrupn)
    doc = parse(html(client, dashboard_url(school)))
    meetings = doc.xpath('//h2[@id="reunions"]/following-sibling::ul[1]/li')
    assert [li.text_content().strip() for li in meetings] == [
        f"{timezone.localtime(coming.starts_at):%d/%m/%Y à %H:%M} — Salle 12"
    ]
    row = one(doc, '//table[caption[contains(., "ancienneté")]]/tbody/tr')
    assert [td.text_content().strip() for td in row.xpath("./td")] == ["1", "1", "1", "3"]
    oldest = doc.xpath('//h3[contains(., "Les plus anciens")]/following-sibling::ul[1]/li')
    assert len(oldest) == 3 and "Incident 3" in oldest[0].text_content()


def test_a_person_in_two_schools_sees_both_on_the_dashboard(client, school, other_school):
    rrupn = person(school, Role.RRUPN)
    RoleAssignmentFactory(user=rrupn, establishment=other_school, role=Role.HEAD)
    meeting(commission(other_school), days=9)
    make_ticket(other_school, rrupn, age_days=3)
    client.force_login(rrupn)
    doc = parse(html(client, dashboard_url(school)))
    others = one(doc, '//table[caption[contains(., "autres établissements")]]/tbody')
    text = " ".join(others.text_content().split())
    assert other_school.name in text and "Chef d'établissement" in text
    assert one(others, ".//a").get("href") == dashboard_url(other_school)
    # Both schools' incidents, one row each, and the other school's meeting.
    rows = doc.xpath('//table[caption[contains(., "ancienneté")]]/tbody/tr')
    assert sorted(r.xpath("./th")[0].text_content().strip() for r in rows) == sorted(
        [school.name, other_school.name]
    )
    assert (
        other_school.name
        in one(doc, '//h2[@id="reunions"]/following-sibling::ul[1]').text_content()
    )


# --- the head's inbox --------------------------------------------------------------------------


def inbox_forms(doc, action):
    return doc.xpath(f'//form[@action="{action}"]')


def form_data(form, **extra) -> dict:
    data = {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}
    data.pop("csrfmiddlewaretoken", None)
    data.update(extra)
    return data


@pytest.fixture
def head(school):
    return person(school, Role.HEAD)


@pytest.fixture
def waiting(school, head):
    """A letter proposed by the RRUPN three days ago, then a purchase and an equipment need."""
    rrupn = person(school, Role.RRUPN)
    letter = MissionLetterFactory(establishment=school, rrupn=rrupn, proposed=True)
    MissionLetter.objects.filter(pk=letter.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    letter.refresh_from_db()
    purchase = PurchaseProposalFactory(establishment=school, proposed_by=rrupn, item="Webradio")
    PurchaseProposal.objects.filter(pk=purchase.pk).update(
        proposed_at=timezone.now() - datetime.timedelta(days=1)
    )
    need = EquipmentNeedFactory(establishment=school, proposed_by=rrupn, item="Tablettes")
    return letter, purchase, need


def test_everything_waiting_on_the_head_in_one_list_oldest_first(client, school, head, waiting):
    letter, purchase, need = waiting
    client.force_login(head)
    doc = parse(html(client, inbox_url(school)))
    entries = doc.xpath('//ol[contains(@class, "inbox-list")]/li')
    assert [li.get("data-kind") for li in entries] == [
        "mission_letters",
        "purchases",
        "equipment_needs",
    ]
    assert "3 éléments attendent votre décision" in doc.text_content()
    for li in entries:  # approve and send back right from the list
        assert li.xpath(
            './/button[starts-with(normalize-space(.), "Signer") or starts-with(normalize-space(.), "Accepter") or starts-with(normalize-space(.), "Valider")]'
        )
        assert li.xpath('.//summary[normalize-space(.)="Renvoyer avec un commentaire"]')
        assert li.xpath(".//textarea[@required]")
    assert_every_control_labelled(doc)
    assert_unique_ids(doc)


def test_head_signs_a_letter_from_the_list(client, school, head, waiting):
    letter, _purchase, _need = waiting
    client.force_login(head)
    doc = parse(html(client, inbox_url(school)))
    action = reverse("missions:transition", args=[school.uai, letter.pk, "signer"])
    (form,) = inbox_forms(doc, action)
    response = client.post(action, form_data(form))
    assert response.status_code == 302 and response.url == inbox_url(school)
    letter.refresh_from_db()
    assert letter.state == LetterState.SIGNED and letter.head == head
    page = html(client, inbox_url(school))
    assert "Lettre signée" in page and letter.reference not in page


def test_head_sends_a_letter_back_with_a_comment_from_the_list(client, school, head, waiting):
    letter, _purchase, _need = waiting
    client.force_login(head)
    doc = parse(html(client, inbox_url(school)))
    action = reverse(
        "missions:transition", args=[school.uai, letter.pk, "demander-des-modifications"]
    )
    (form,) = inbox_forms(doc, action)
    assert form.xpath('.//textarea[@name="comment"]')
    response = client.post(action, form_data(form, comment="Préciser les heures de l'IMP."))
    assert response.status_code == 302 and response.url == inbox_url(school)
    letter.refresh_from_db()
    assert letter.state == LetterState.CHANGES_REQUESTED
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(MissionLetter),
        object_id=str(letter.pk),
        action="letter.changes_requested",
    )
    assert entry.comment == "Préciser les heures de l'IMP."


def test_head_refuses_a_purchase_with_a_comment_from_the_list(client, school, head, waiting):
    _letter, purchase, _need = waiting
    client.force_login(head)
    doc = parse(html(client, inbox_url(school)))
    action = reverse("commission:purchase_decide", args=[school.uai, purchase.pk])
    approve, send_back = inbox_forms(doc, action)
    assert form_data(approve)["decision"] == "accepter"
    data = form_data(send_back, comment="Pas cette année : budget épuisé.")
    assert data["decision"] == "refuser"
    response = client.post(action, data)
    assert response.status_code == 302 and response.url == inbox_url(school)
    purchase.refresh_from_db()
    assert purchase.state == PurchaseState.REFUSED
    assert purchase.decision_comment == "Pas cette année : budget épuisé."
    assert "Webradio" not in html(client, inbox_url(school))


def test_head_validates_an_equipment_need_from_the_list(client, school, head, waiting):
    _letter, _purchase, need = waiting
    client.force_login(head)
    doc = parse(html(client, inbox_url(school)))
    action = reverse("maintenance:equipment_decide", args=[school.uai, need.pk])
    approve, _send_back = inbox_forms(doc, action)
    response = client.post(action, form_data(approve))
    assert response.status_code == 302 and response.url == inbox_url(school)
    need.refresh_from_db()
    assert need.state == EquipmentState.VALIDATED


def test_an_unsafe_next_is_ignored(client, school, head, waiting):
    _letter, purchase, _need = waiting
    client.force_login(head)
    action = reverse("commission:purchase_decide", args=[school.uai, purchase.pk])
    response = client.post(
        action, {"decision": "accepter", "comment": "", "next": "https://ailleurs.example/"}
    )
    detail = reverse("commission:purchase_detail", args=[school.uai, purchase.pk])
    assert response.status_code == 302 and response.url == detail


def test_a_direction_member_does_not_get_the_heads_signature_button(client, school, waiting):
    direction = person(school, Role.DIRECTION)
    letter, purchase, _need = waiting
    client.force_login(direction)
    doc = parse(html(client, inbox_url(school)))
    sign = reverse("missions:transition", args=[school.uai, letter.pk, "signer"])
    assert not inbox_forms(doc, sign)  # only the head signs
    assert inbox_forms(doc, reverse("commission:purchase_decide", args=[school.uai, purchase.pk]))


def test_head_validates_the_commission_composition_from_the_list(client, school, head):
    from commission.models import Commission

    com = commission(school)
    Commission.objects.filter(pk=com.pk).update(submitted_at=timezone.now())
    client.force_login(head)
    doc = parse(html(client, inbox_url(school)))
    action = reverse("commission:composition_validate", args=[school.uai])
    (form,) = inbox_forms(doc, action)  # approve only: there is no send-back for a composition
    response = client.post(action, form_data(form))
    assert response.status_code == 302 and response.url == inbox_url(school)
    com.refresh_from_db()
    assert com.validated_at is not None and com.validated_by == head


def test_head_refuses_a_gar_designation_with_a_comment_from_the_list(client, school, head):
    from gar.models import DesignationState

    from ..gar.factories_campaign import DesignationFactory

    teacher = person(school, Role.TEACHER)
    designation = DesignationFactory(
        establishment=school, user=teacher, state=DesignationState.PROPOSED
    )
    client.force_login(head)
    doc = parse(html(client, inbox_url(school)))
    action = reverse("gar:campaign_decide", args=[school.uai, designation.pk])
    _approve, send_back = inbox_forms(doc, action)
    comment_name = f"d{designation.pk}-comment"
    assert send_back.xpath(f'.//textarea[@name="{comment_name}"]')
    response = client.post(
        action, form_data(send_back, **{comment_name: "Déjà deux responsables."})
    )
    assert response.status_code == 302 and response.url == inbox_url(school)
    designation.refresh_from_db()
    assert designation.state == DesignationState.REFUSED
    entry = AuditEntry.objects.get(action="gar.responsable.refused")
    assert entry.comment == "Déjà deux responsables."


# --- header ------------------------------------------------------------------------------------


def test_the_header_counts_what_waits_for_the_head_on_every_page(client, school, head, waiting):
    client.force_login(head)
    for url in (
        dashboard_url(school),
        reverse("missions:list", args=[school.uai]),
        reverse("commission:home", args=[school.uai]),
    ):
        doc = parse(html(client, url))
        count = one(doc, '//header//span[contains(concat(" ", @class, " "), " inbox-count ")]')
        assert count.text_content().strip() == "3 éléments en attente"
        # Below the large breakpoint the menu is folded: the count also follows the roles.
        small = one(doc, '//header//span[contains(@class, "inbox-count-small")]')
        assert small.text_content().strip() == "· 3 validations en attente"
    PurchaseProposal.objects.update(state=PurchaseState.APPROVED)
    doc = parse(html(client, dashboard_url(school)))
    assert (
        one(doc, '//header//span[contains(concat(" ", @class, " "), " inbox-count ")]').text == "2"
    )


def test_outside_the_schools_pages_the_header_still_counts_per_school(
    client, school, other_school, head, waiting
):
    """The profile page belongs to no school: a head of two schools sees one link per school
    with what waits there, and someone who approves nowhere sees none."""
    RoleAssignmentFactory(user=head, establishment=other_school, role=Role.HEAD)
    client.force_login(head)
    doc = parse(html(client, reverse("accounts:profile")))
    links = {
        link.get("href"): " ".join(link.text_content().split())
        for link in doc.xpath('//header//a[contains(@href, "/validations")]')
    }
    assert links == {
        inbox_url(school): f"Validations — {school.name} 3 éléments en attente",
        inbox_url(other_school): f"Validations — {other_school.name}",
    }
    teacher = person(school, Role.TEACHER)
    client.force_login(teacher)
    page = html(client, reverse("accounts:profile"))
    assert "Validations —" not in page and "inbox-count" not in page


def test_the_header_shows_roles_and_establishment_but_no_count_for_a_rrupn(client, school, waiting):
    rrupn = MissionLetter.objects.get().rrupn
    RoleAssignmentFactory(user=rrupn, establishment=school, role=Role.DOCUMENTALISTE)
    client.force_login(rrupn)
    doc = parse(html(client, dashboard_url(school)))
    context = one(doc, '//header//p[@id="contexte-etablissement"]')
    text = " ".join(context.text_content().split())
    assert school.name in text and school.uai in text
    assert "RRUPN, Professeur documentaliste" in text
    assert not doc.xpath('//span[contains(@class, "inbox-count")]')


def test_one_school_no_switcher_two_schools_a_switcher(client, school, other_school):
    user = person(school, Role.RRUPN)
    client.force_login(user)
    assert 'id="choix-etablissement"' not in html(client, dashboard_url(school))
    RoleAssignmentFactory(user=user, establishment=other_school, role=Role.TEACHER)
    assert 'id="choix-etablissement"' in html(client, dashboard_url(school))


def test_the_inbox_count_is_not_shown_to_someone_without_inbox(client, school):
    teacher = person(school, Role.TEACHER)
    PurchaseProposalFactory(establishment=school)
    client.force_login(teacher)
    page = html(client, dashboard_url(school))
    assert "inbox-count" not in page
    assert client.get(inbox_url(school)).status_code == 403
    assert EstablishmentFactory  # the factories module is shared with the query tests


# --- the deadlines' admin ----------------------------------------------------------------------


def test_the_srane_edits_a_deadline_in_the_admin_and_the_dashboard_follows(client, school):
    from ..factories import SraneScopeFactory

    srane = UserFactory(is_staff=True)
    SraneScopeFactory(user=srane, academie=True)
    row = ChecklistDeadline.objects.get(school_year=SchoolYear.current(), item_key="mission_letter")
    client.force_login(srane)
    changelist = reverse("admin:dashboard_checklistdeadline_changelist")
    assert "Lettre de mission signée et acceptée" in html(client, changelist)
    change = reverse("admin:dashboard_checklistdeadline_change", args=[row.pk])
    assert 'value="mission_letter" selected' in html(client, change)
    new_day = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        change,
        {
            "school_year": row.school_year_id,
            "item_key": "mission_letter",
            "due_on": new_day.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row.refresh_from_db()
    assert row.due_on == new_day
    assert AuditEntry.objects.filter(action="reference.changed").exists()
    # An unknown item key is refused, nothing changes.
    response = client.post(
        change,
        {"school_year": row.school_year_id, "item_key": "inconnu", "due_on": "01/10/2026"},
    )
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.due_on == new_day

    rrupn = person(school, Role.RRUPN)
    client.force_login(rrupn)
    doc = parse(html(client, dashboard_url(school)))
    line = one(doc, '//tr[@id="point-mission_letter"]')
    assert line.get("data-level") == LATE and new_day.strftime("%d/%m/%Y") in line.text_content()


def test_a_staff_member_without_srane_scope_cannot_edit_deadlines(client):
    client.force_login(UserFactory(is_staff=True))
    changelist = reverse("admin:dashboard_checklistdeadline_changelist")
    assert client.get(changelist).status_code == 403
