"""Commission and members: services (allowed and refused), gaps, validation, pages, dashboards."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commission.members import selectors, services
from commission.members.dashboard import (
    _composed,
    _inbox_entries,
    _meetings_column,
    _met_this_term,
    _met_this_year_column,
    _open_actions_column,
    _validated,
)
from commission.members.services import CommissionError, MemberData
from commission.models import RECOMMENDED_CATEGORIES, CommissionMember, MemberCategory
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import SchoolYear

from ..factories import EstablishmentFactory, RoleAssignmentFactory, UserFactory
from .factories_members import action, commission, meeting, member, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def rrupn(persona_user):
    return persona_user("rrupn")


@pytest.fixture
def head(persona_user):
    return persona_user("head")


@pytest.fixture
def com(school):
    return commission(school)


def add(com, user, **data):
    data.setdefault("category", MemberCategory.OTHER)
    return services.member_add(
        commission=com, user=user, revision=com.revision, data=MemberData(**data)
    )


# --- Services ----------------------------------------------------------------------------------


def test_one_commission_per_school_year(school, rrupn):
    year = SchoolYear.current()
    created = services.commission_create(
        establishment=school, school_year=year, user=rrupn, modality="conseil_pedagogique"
    )
    assert created.get_modality_display() == "Missions confiées au conseil pédagogique"
    with pytest.raises(CommissionError, match="existe déjà"):
        services.commission_create(
            establishment=school, school_year=year, user=rrupn, modality="ad_hoc"
        )
    assert AuditEntry.objects.filter(action="commission.created", establishment=school).count() == 1


def test_staff_and_named_outsiders_become_members(school, com, rrupn):
    teacher = staff(school, discipline="Mathématiques", first_name="Zoé", last_name="Maths")
    add(com, rrupn, person=teacher, category=MemberCategory.DISCIPLINE_REFERENT, discipline="Maths")
    add(com, rrupn, outsider_name="  Léa   Parent ", category=MemberCategory.PARENT, detail="CA")
    assert [str(m) for m in com.members.order_by("pk")] == ["Zoé Maths", "Léa Parent"]
    com.refresh_from_db()
    assert com.revision == 3
    assert AuditEntry.objects.filter(action="commission.member_added").count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "l'un ou l'autre"),
        ({"outsider_name": "Léa", "person": "teacher"}, "l'un ou l'autre"),
        (
            {"outsider_name": "Léa", "category": MemberCategory.DISCIPLINE_REFERENT},
            "Indiquez la discipline",
        ),
        ({"person": "stranger"}, "ne fait pas partie du personnel"),
        ({"person": "other_year"}, "ne fait pas partie du personnel"),
    ],
)
def test_bad_members_are_refused_in_french(school, com, rrupn, data, message):
    people = {
        "teacher": staff(school),
        "stranger": staff(EstablishmentFactory()),
        # a role of last year no longer counts
        "other_year": RoleAssignmentFactory(
            establishment=school,
            school_year=SchoolYear.objects.get_or_create(start_year=2001)[0],
        ).user,
    }
    if "person" in data:
        data = {**data, "person": people[data["person"]]}
    with pytest.raises(CommissionError, match=message):
        add(com, rrupn, **data)
    assert not com.members.exists()
    com.refresh_from_db()
    assert com.revision == 1  # nothing half-saved


def test_a_member_twice_is_refused(school, com, rrupn):
    teacher = staff(school, first_name="Zoé", last_name="Deux")
    add(com, rrupn, person=teacher)
    com.refresh_from_db()
    with pytest.raises(CommissionError, match="Zoé Deux est déjà membre"):
        add(com, rrupn, person=teacher, category=MemberCategory.VIE_SCOLAIRE)
    add(com, rrupn, outsider_name="Léa Élue", category=MemberCategory.PUPIL)
    com.refresh_from_db()
    with pytest.raises(CommissionError, match="léa élue est déjà membre"):
        add(com, rrupn, outsider_name="léa élue", category=MemberCategory.PUPIL)
    assert com.members.count() == 2


def test_a_stale_page_changes_nothing(school, com, rrupn):
    seen = com.revision
    add(com, rrupn, outsider_name="Premier")
    with pytest.raises(CommissionError, match="modifiée entre-temps"):
        services.member_add(
            commission=com, user=rrupn, revision=seen, data=MemberData("other", outsider_name="B")
        )
    assert list(com.members.values_list("outsider_name", flat=True)) == ["Premier"]


def test_submit_then_the_head_validates(school, com, rrupn, head):
    with pytest.raises(CommissionError, match="au moins un membre"):
        services.composition_submit(commission=com, user=rrupn, revision=com.revision)
    add(com, rrupn, person=rrupn, category=MemberCategory.RRUPN)
    with pytest.raises(CommissionError, match="pas été soumise"):
        services.composition_validate(
            commission=com, user=head, roles={Role.HEAD}, revision=com.revision
        )
    services.composition_submit(commission=com, user=rrupn, revision=com.revision)
    with pytest.raises(CommissionError, match="Seule la direction"):
        services.composition_validate(
            commission=com, user=rrupn, roles={Role.RRUPN}, revision=com.revision
        )
    services.composition_validate(
        commission=com, user=head, roles={Role.HEAD}, revision=com.revision
    )
    com.refresh_from_db()
    assert com.is_validated and com.validated_by == head
    with pytest.raises(CommissionError, match="déjà validée"):
        services.composition_submit(commission=com, user=rrupn, revision=com.revision)


def test_a_change_after_validation_needs_a_new_validation(school, com, rrupn, head):
    first = add(com, rrupn, person=rrupn, category=MemberCategory.RRUPN)
    services.composition_submit(commission=com, user=rrupn, revision=com.revision)
    services.composition_validate(
        commission=com, user=head, roles={Role.HEAD}, revision=com.revision
    )
    assert not selectors.validation_was_cleared(com)

    add(com, rrupn, outsider_name="Léa Parent", category=MemberCategory.PARENT)
    com.refresh_from_db()
    assert com.validated_at is None and com.submitted_at is None and com.validated_by is None
    cleared = AuditEntry.objects.get(action="commission.validation_cleared")
    assert "ajout de Léa Parent" in cleared.summary and cleared.actor == rrupn
    assert selectors.validation_was_cleared(com)

    services.composition_submit(commission=com, user=rrupn, revision=com.revision)
    services.composition_validate(
        commission=com, user=head, roles={Role.HEAD}, revision=com.revision
    )
    services.member_remove(commission=com, member=first, user=rrupn, revision=com.revision)
    com.refresh_from_db()
    assert not com.is_validated
    assert AuditEntry.objects.filter(action="commission.validation_cleared").count() == 2


def test_the_owner_of_actions_stays_until_they_are_handed_over(school, com, rrupn):
    owner = member(com, outsider_name="Léa Responsable")
    action(com, owner=owner)
    with pytest.raises(CommissionError, match="responsable d'actions"):
        services.member_remove(commission=com, member=owner, user=rrupn, revision=com.revision)
    assert CommissionMember.objects.filter(pk=owner.pk).exists()


# --- Gaps ----------------------------------------------------------------------------------------


def test_missing_categories_and_disciplines_without_referent(school, com):
    staff(school, discipline="Éducation musicale")
    staff(school, discipline="education musicale ")  # the same discipline, another spelling
    staff(school, discipline="Histoire-géographie")
    staff(school, Role.DOCUMENTALISTE, discipline="Documentation")
    staff(school, Role.CPE, discipline="Vie scolaire")  # not a teacher: no referent expected
    staff(school, discipline="")
    staff(EstablishmentFactory(), discipline="Allemand")  # another school
    taught = selectors.disciplines_taught(school, SchoolYear.current())
    assert taught == ["Documentation", "Éducation musicale", "Histoire-géographie"]

    member(com, category=MemberCategory.DISCIPLINE_REFERENT, discipline="EDUCATION MUSICALE")
    member(com, category=MemberCategory.DIRECTION)
    members = list(selectors.members_of(com))
    assert selectors.disciplines_without_referent(taught, members) == [
        "Documentation",
        "Histoire-géographie",
    ]
    missing = selectors.missing_categories(members)
    assert MemberCategory.DIRECTION not in missing
    assert MemberCategory.RRUPN in missing and MemberCategory.PARENT not in missing
    assert len(missing) == len(RECOMMENDED_CATEGORIES) - 2


@pytest.mark.parametrize(
    ("day", "term"),
    [
        ("2026-09-01", ("2026-09-01", "2026-12-31")),
        ("2026-12-31", ("2026-09-01", "2026-12-31")),
        ("2027-01-01", ("2027-01-01", "2027-03-31")),
        ("2027-03-31", ("2027-01-01", "2027-03-31")),
        ("2027-04-01", ("2027-04-01", "2027-08-31")),
        ("2027-08-31", ("2027-04-01", "2027-08-31")),
    ],
)
def test_terms(day, term):
    parse = datetime.date.fromisoformat
    assert selectors.term_bounds(parse(day)) == tuple(parse(d) for d in term)


# --- Pages ----------------------------------------------------------------------------------------


def test_rrupn_creates_the_commission_and_adds_members(client, school, rrupn):
    client.force_login(rrupn)
    home = reverse("commission:home", args=[school.uai])
    page = client.get(home).content.decode()
    assert "Aucune commission pour cette année scolaire" in page and "Créer la commission" in page
    response = client.post(
        reverse("commission:commission_create", args=[school.uai]), {"modality": "ad_hoc"}
    )
    assert response.status_code == 302
    com = selectors.commission_of(school, SchoolYear.current())

    teacher = staff(school, discipline="Mathématiques", first_name="Marc", last_name="Pinson")
    add_url = reverse("commission:member_add", args=[school.uai])
    assert client.get(add_url).status_code == 200
    data = {
        "person": teacher.pk,
        "category": "discipline_referent",
        "discipline": "",
        "revision": com.revision,
    }
    response = client.post(add_url, data)
    assert "Indiquez la discipline ou le pôle" in response.content.decode()
    response = client.post(add_url, {**data, "discipline": "Mathématiques"})
    assert response.status_code == 302
    again = client.post(add_url, {**data, "discipline": "Maths", "revision": com.revision + 1})
    assert "Marc Pinson est déjà membre de la commission." in again.content.decode()
    assert com.members.count() == 1

    page = client.get(home).content.decode()
    assert "Marc Pinson" in page and "Mathématiques" in page
    assert "Catégories encore absentes" in page and "Responsable d&#x27;affectation GAR" in page


def test_validation_from_the_head_inbox(client, school, com, rrupn, head):
    add(com, rrupn, person=rrupn, category=MemberCategory.RRUPN)
    client.force_login(rrupn)
    client.post(
        reverse("commission:composition_submit", args=[school.uai]), {"revision": com.revision}
    )
    com.refresh_from_db()
    assert com.submitted_at is not None

    client.force_login(head)
    inbox = client.get(reverse("dashboard:inbox", args=[school.uai])).content.decode()
    assert "Composition de la commission à valider" in inbox
    assert reverse("commission:home", args=[school.uai]) in inbox
    page = client.get(reverse("commission:home", args=[school.uai])).content.decode()
    assert "Valider la composition" in page
    client.post(
        reverse("commission:composition_validate", args=[school.uai]), {"revision": com.revision}
    )
    com.refresh_from_db()
    assert com.is_validated
    inbox = client.get(reverse("dashboard:inbox", args=[school.uai])).content.decode()
    assert "Composition de la commission à valider" not in inbox

    # A change by the RRUPN: the page says a new validation is needed.
    client.force_login(rrupn)
    response = client.post(
        reverse("commission:member_add", args=[school.uai]),
        {"outsider_name": "Léa Parent", "category": "parent", "revision": com.revision},
        follow=True,
    )
    page = response.content.decode()
    assert "ce changement lève la validation" in page
    assert "La composition a changé depuis sa validation" in page


def test_a_stale_removal_says_so(client, school, com, rrupn):
    gone = member(com, outsider_name="Léa Partie")
    client.force_login(rrupn)
    response = client.post(
        reverse("commission:member_remove", args=[school.uai, gone.pk]),
        {"revision": com.revision - 1},
        follow=True,
    )
    assert "modifiée entre-temps" in response.content.decode()
    assert com.members.filter(pk=gone.pk).exists()
    client.post(
        reverse("commission:member_remove", args=[school.uai, gone.pk]), {"revision": com.revision}
    )
    assert not com.members.exists()


def test_teachers_read_but_do_not_write(client, school, com, persona_user):
    member(com, outsider_name="Léa Parent", category=MemberCategory.PARENT)
    client.force_login(persona_user("teacher"))
    page = client.get(reverse("commission:home", args=[school.uai])).content.decode()
    assert "Léa Parent" in page and "Ajouter un membre" not in page and "Retirer" not in page
    response = client.post(
        reverse("commission:member_add", args=[school.uai]),
        {"outsider_name": "Intrus", "category": "other", "revision": com.revision},
    )
    assert response.status_code == 403
    assert com.members.count() == 1


def test_header_links_to_the_commission(client, school, persona_user):
    client.force_login(persona_user("cpe"))
    page = client.get(reverse("dashboard:establishment", args=[school.uai])).content.decode()
    assert f'href="{reverse("commission:home", args=[school.uai])}"' in page


def test_home_queries_stay_constant(client, school, com, rrupn):
    def grow(n):
        for _ in range(n):
            member(com, category=MemberCategory.DISCIPLINE_REFERENT, discipline=f"D{_}")
            member(com, outsider_name=f"Élu {com.members.count()}", category="pupil")
            meeting(com)
            action(com)

    client.force_login(rrupn)
    url = reverse("commission:home", args=[school.uai])
    grow(2)
    client.get(url)  # the session settles on the first visit
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(3)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)


# --- Dashboards -----------------------------------------------------------------------------------


def test_checklist_items(school, com):
    year = SchoolYear.current()
    assert _composed(school, year).done is False
    for category in RECOMMENDED_CATEGORIES:
        member(com, category=category, discipline="Maths")
    assert _composed(school, year).done is True
    assert _validated(school, year).text == "Pas encore soumise à validation"
    com.submitted_at = timezone.now()
    com.save()
    assert "En attente" in _validated(school, year).text
    com.validated_at = timezone.now()
    com.save()
    assert _validated(school, year).done is True

    assert _met_this_term(school, year).done is False
    meeting(com, days=3)  # planned, not held
    assert _met_this_term(school, year).done is False
    meeting(com, days=0, starts_at=timezone.now() - datetime.timedelta(minutes=5))
    assert _met_this_term(school, year).done is True


def test_no_commission_yet(school, other_school):
    year = SchoolYear.current()
    assert _composed(school, year).text == "Aucune commission pour l'année"
    assert _validated(school, year).done is False
    assert _inbox_entries(school, year, None) == []


def test_srane_columns_in_constant_queries_and_without_names(client, persona_user, school):
    year = SchoolYear.current()

    def school_with_activity():
        est = EstablishmentFactory()
        com = commission(est)
        member(com, outsider_name="Élève Secrète", category=MemberCategory.PUPIL)
        meeting(com, days=-10)
        meeting(com, days=-3)
        meeting(com, days=10)  # planned: not counted as held
        action(com)
        action(com, status="done")
        return est

    schools = [school_with_activity(), school_with_activity()]
    columns = (_met_this_year_column, _meetings_column, _open_actions_column)
    with CaptureQueriesContext(connection) as few:
        for column in columns:
            column(schools, year)
    schools += [school_with_activity() for _ in range(3)] + [EstablishmentFactory()]
    with CaptureQueriesContext(connection) as more:
        values = [column(schools, year) for column in columns]
    assert len(more) == len(few) == 3  # one query per column
    met, meetings, actions = values
    assert met[schools[0].pk].done is True and met[schools[-1].pk].done is False
    assert meetings[schools[0].pk].text == "2" and meetings[schools[-1].pk].text == "0"
    assert actions[schools[0].pk].text == "1" and actions[schools[-1].pk].text == "0"

    client.force_login(persona_user("srane_academie"))
    page = client.get(reverse("dashboard:srane_overview")).content.decode()
    assert "Commission réunie cette année" in page and "Actions ouvertes" in page
    assert "Élève Secrète" not in page
    detail = client.get(reverse("dashboard:srane_establishment", args=[schools[0].uai]))
    assert "Dernière réunion le" in detail.content.decode()
    assert "Élève Secrète" not in detail.content.decode()


def test_users_unrelated(school):
    # A person of the portal without any role here is not offered as a member.
    UserFactory()
    assert list(selectors.staff_of(school, SchoolYear.current())) == []
