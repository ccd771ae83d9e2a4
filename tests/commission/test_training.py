"""Training needs and actions of a school: services, pages, dashboard item."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commission.models import (
    NeedOrigin,
    Priority,
    TrainingAction,
    TrainingKind,
    TrainingNeed,
    TrainingTopic,
)
from commission.training import services
from commission.training.services import ActionData, NeedData
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import SchoolYear

from ..factories import EstablishmentFactory, RoleAssignmentFactory
from ..ui.html import assert_every_control_labelled, assert_unique_ids, parse

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def staff(school, role):
    return RoleAssignmentFactory(establishment=school, role=role).user


def topic(label="Classe virtuelle et visioconférence"):
    return TrainingTopic.objects.get(label=label)


def make_need(school, author=None, *, staff_count=6, priority=Priority.HIGH, label=None, year=None):
    author = author or staff(school, Role.RRUPN)
    return TrainingNeed.objects.create(
        establishment=school,
        school_year=year or SchoolYear.current(),
        topic=topic(label) if label else topic(),
        audience="Professeurs de langues",
        staff_count=staff_count,
        priority=priority,
        origin=NeedOrigin.PIX_EDU,
        created_by=author,
    )


def make_action(school, author=None):
    """A past café numérique of `school` answering one of its needs."""
    need = make_need(school, author)
    return TrainingAction.objects.create(
        establishment=school,
        school_year=need.school_year,
        kind=TrainingKind.CAFE,
        topic=need.topic,
        title="Ouvrir une classe virtuelle",
        presenter="Mme Dupuy",
        held_on=TODAY,
        attendees=9,
        need=need,
        created_by=need.created_by,
    )


def need_data(**extra):
    data = dict(
        topic=topic(),
        audience="Équipe de vie scolaire",
        staff_count=4,
        priority=Priority.MEDIUM,
        origin=NeedOrigin.SURVEY,
    )
    return NeedData(**{**data, **extra})


def cafe(**extra):
    data = dict(
        kind=TrainingKind.CAFE,
        topic=topic(),
        title="La classe virtuelle en 30 minutes",
        presenter="M. Martin",
        held_on=TODAY + datetime.timedelta(days=7),
    )
    return ActionData(**{**data, **extra})


# --- services --------------------------------------------------------------------------------


def test_a_need_is_recorded_for_the_year_and_audited(school):
    rrupn, year = staff(school, Role.RRUPN), SchoolYear.current()
    need = services.need_create(
        establishment=school, school_year=year, user=rrupn, data=need_data()
    )
    assert need.school_year == year and need.created_by == rrupn
    entry = AuditEntry.objects.get(action="training.need_created")
    assert entry.establishment == school and entry.after["personnels"] == 4
    services.need_update(need=need, user=rrupn, data=need_data(staff_count=7))
    need.refresh_from_db()
    assert need.staff_count == 7
    assert AuditEntry.objects.get(action="training.need_updated").before["personnels"] == 4


def test_a_need_for_nobody_is_refused(school):
    with pytest.raises(services.TrainingError, match="au moins une personne"):
        services.need_create(
            establishment=school,
            school_year=SchoolYear.current(),
            user=staff(school, Role.RRUPN),
            data=need_data(staff_count=0),
        )
    assert not TrainingNeed.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_on": None}, "date du café numérique"),
        ({"presenter": "  "}, "qui anime"),
        ({"attendees": 12}, "une fois l'action tenue"),  # the café is next week
        ({"attendees": -1, "held_on": TODAY}, "négatif"),
        ({"duration_minutes": 0}, "au moins une minute"),
    ],
)
def test_a_cafe_numerique_needs_a_date_a_presenter_and_real_figures(school, change, message):
    with pytest.raises(services.TrainingError, match=message):
        services.action_create(
            establishment=school,
            school_year=SchoolYear.current(),
            user=staff(school, Role.RRUPN),
            data=cafe(**change),
        )
    assert not TrainingAction.objects.exists()


def test_a_fil_request_needs_no_date_and_an_action_answers_a_need_of_the_school(school):
    rrupn, year = staff(school, Role.RRUPN), SchoolYear.current()
    need = make_need(school, rrupn)
    fil = services.action_create(
        establishment=school,
        school_year=year,
        user=rrupn,
        data=cafe(kind=TrainingKind.FIL, held_on=None, presenter="", need=need),
    )
    assert fil.need == need and fil.duration_minutes == 30
    assert AuditEntry.objects.get(action="training.action_created").after["besoin"] == need.pk

    foreign = make_need(EstablishmentFactory())
    with pytest.raises(services.TrainingError, match="n'appartient pas"):
        services.action_create(
            establishment=school, school_year=year, user=rrupn, data=cafe(need=foreign)
        )
    last_year = make_need(school, rrupn, year=SchoolYear.objects.create(start_year=2001))
    with pytest.raises(services.TrainingError, match="n'appartient pas"):
        services.action_create(
            establishment=school, school_year=year, user=rrupn, data=cafe(need=last_year)
        )
    with pytest.raises(services.TrainingError, match="porte sur le thème"):
        services.action_create(
            establishment=school,
            school_year=year,
            user=rrupn,
            data=cafe(need=need, topic=topic("Intelligence artificielle en classe")),
        )
    assert TrainingAction.objects.count() == 1


# --- pages ---------------------------------------------------------------------------------


def test_the_rrupn_gathers_needs_and_organises_a_cafe_through_the_pages(client, school):
    client.force_login(staff(school, Role.RRUPN))
    uai = school.uai
    form = client.get(reverse("commission:training_need_create", args=[uai])).content.decode()
    assert_every_control_labelled(parse(form))
    response = client.post(
        reverse("commission:training_need_create", args=[uai]),
        {
            "topic": topic().pk,
            "detail": "Ouvrir une classe virtuelle depuis l'ENT",
            "audience": "Professeurs de langues",
            "staff_count": "6",
            "priority": Priority.HIGH,
            "origin": NeedOrigin.PIX_EDU,
        },
    )
    assert response.url == reverse("commission:training", args=[uai])
    need = TrainingNeed.objects.get(establishment=school)

    new_cafe = reverse("commission:training_action_create", args=[uai])
    page = client.get(f"{new_cafe}?type=cafe&besoin={need.pk}").content.decode()
    doc = parse(page)
    assert doc.xpath('//input[@name="kind"][@value="cafe"]')[0].get("checked") is not None
    assert doc.xpath('//input[@name="duration_minutes"]')[0].get("value") == "30"
    assert (
        doc.xpath(f'//select[@name="need"]/option[@value="{need.pk}"]')[0].get("selected")
        is not None
    )
    response = client.post(
        new_cafe,
        {
            "kind": TrainingKind.CAFE,
            "topic": topic().pk,
            "title": "La classe virtuelle en 30 minutes",
            "need": need.pk,
            "presenter": "Mme Dupuy",
            "held_on": TODAY.isoformat(),
            "duration_minutes": "30",
            "attendees": "11",
        },
    )
    assert response.status_code == 302
    action = TrainingAction.objects.get()
    assert (action.need, action.attendees, action.school_year) == (need, 11, SchoolYear.current())

    page = client.get(reverse("commission:training", args=[uai])).content.decode()
    doc = parse(page)
    assert_unique_ids(doc)
    assert not doc.xpath("//*[@style]")
    assert "Café numérique" in page and "trentaine de minutes" in page and "Pix+Édu" in page
    assert "1 besoin recensé, 6 personnels concernés." in page
    assert "La classe virtuelle en 30 minutes" in page and TODAY.strftime("%d/%m/%Y") in page


def test_bad_input_gets_french_messages_and_nothing_is_saved(client, school):
    client.force_login(staff(school, Role.HEAD))
    page = client.post(
        reverse("commission:training_need_create", args=[school.uai]),
        {
            "topic": topic().pk,
            "audience": "Tous",
            "staff_count": "0",
            "priority": "urgent",
            "origin": NeedOrigin.SURVEY,
        },
    ).content.decode()
    assert "Le besoin doit concerner au moins une personne." in page
    assert "Sélectionnez un choix valide" in page
    page = client.post(
        reverse("commission:training_action_create", args=[school.uai]),
        {
            "kind": TrainingKind.CAFE,
            "topic": topic().pk,
            "title": "Sans date",
            "presenter": "",
            "held_on": "",
            "duration_minutes": "30",
            "attendees": "-3",
        },
    ).content.decode()
    assert "Le nombre de participants ne peut pas être négatif." in page
    page = client.post(
        reverse("commission:training_action_create", args=[school.uai]),
        {
            "kind": TrainingKind.CAFE,
            "topic": topic().pk,
            "title": "Sans date",
            "duration_minutes": "30",
        },
    ).content.decode()
    assert "Indiquez la date du café numérique." in page
    assert not TrainingNeed.objects.exists() and not TrainingAction.objects.exists()


def test_staff_read_training_but_only_pilots_write_and_other_schools_are_not_found(client, school):
    action = make_action(school)
    client.force_login(staff(school, Role.TEACHER))
    page = client.get(reverse("commission:training", args=[school.uai])).content.decode()
    assert action.title in page and "Recenser un besoin" not in page
    url = reverse("commission:training_need_create", args=[school.uai])
    assert client.post(url, {}).status_code == 403

    foreign = make_action(EstablishmentFactory())
    client.force_login(staff(school, Role.RRUPN))
    for url in [
        reverse("commission:training_need_edit", args=[school.uai, foreign.need_id]),
        reverse("commission:training_action_edit", args=[school.uai, foreign.pk]),
    ]:
        assert client.get(url).status_code == 404
    # A foreign need id in the query string is ignored, not offered.
    page = client.get(
        reverse("commission:training_action_create", args=[school.uai])
        + f"?besoin={foreign.need_id}"
    ).content.decode()
    need_select = parse(page).xpath('//select[@name="need"]')[0]
    assert need_select.xpath("option/@value") == ["", str(action.need_id)]


def test_editing_an_action_records_its_attendance(client, school):
    action = make_action(school)
    client.force_login(staff(school, Role.DIRECTION))
    url = reverse("commission:training_action_edit", args=[school.uai, action.pk])
    form = parse(client.get(url).content.decode())
    assert form.xpath('//input[@name="attendees"]')[0].get("value") == "9"
    data = {
        "kind": action.kind,
        "topic": action.topic_id,
        "title": action.title,
        "need": action.need_id,
        "presenter": action.presenter,
        "held_on": TODAY.isoformat(),
        "duration_minutes": "45",
        "attendees": "14",
    }
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.attendees, action.duration_minutes) == (14, 45)
    entry = AuditEntry.objects.get(action="training.action_updated")
    assert entry.before["participants"] == 9 and entry.after["participants"] == 14


def test_training_page_queries_do_not_grow_with_needs_and_actions(client, school):
    user = staff(school, Role.RRUPN)
    client.force_login(user)
    url = reverse("commission:training", args=[school.uai])

    def grow(n):
        for _ in range(n):
            action = make_action(school, user)
            TrainingAction.objects.create(
                establishment=school,
                school_year=action.school_year,
                kind=TrainingKind.FIL,
                topic=action.topic,
                title="Demande de FIL",
                need=action.need,
                created_by=user,
            )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    grow(2)
    count()
    before = count()
    grow(6)
    assert count() == before


def test_the_dashboard_checklist_says_whether_needs_were_gathered(client, school):
    client.force_login(staff(school, Role.RRUPN))
    url = reverse("dashboard:establishment", args=[school.uai])
    page = client.get(url).content.decode()
    assert "Besoins de formation recensés" in page and "Aucun besoin recensé" in page
    make_need(school, staff_count=5)
    make_need(school, staff_count=3, year=SchoolYear.objects.create(start_year=2001))
    page = client.get(url).content.decode()
    assert "1 besoin, 5 personnels" in page
