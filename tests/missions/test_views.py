"""The letter pages: form, detail with history, actions, and what the three screens show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions.models import LetterState, MissionLetter, MissionTask, SharingPartner
from rrupn.accounts.models import Role

from ..factories import EstablishmentFactory, SraneScopeFactory
from .factories import MissionLetterFactory, staff_member

pytestmark = pytest.mark.django_db


def form_data(letter_rrupn, school_year, **extra):
    tasks = list(MissionTask.objects.filter(function__number__in=[1, 3]).order_by("pk")[:3])
    data = {
        "rrupn": letter_rrupn.pk,
        "starts_on": school_year.starts_on.isoformat(),
        "ends_on": school_year.ends_on.isoformat(),
        "imp_rate": "",
        "imp_multiple": "1",
        "clauses": "Une heure par semaine.",
        "revision": "",
    }
    for task in tasks:
        data[f"task_{task.pk}"] = "on"
        data[f"partner_{task.pk}"] = ""
    data[f"partner_{tasks[-1].pk}"] = str(SharingPartner.objects.get(code="admin-ent").pk)
    data.update(extra)
    return data, tasks


def test_the_head_drafts_proposes_and_signs_through_the_pages(client, school):
    head, teacher = staff_member(school, Role.HEAD), staff_member(school, Role.TEACHER)
    client.force_login(head)
    page = client.get(reverse("missions:create", args=[school.uai])).content.decode()
    assert (
        "Conseil de l&#x27;équipe de direction" in page
        or "Conseil de l'équipe de direction" in page
    )
    assert "Partagée avec" in page and "Retenir cette fonction" in page

    from rrupn.establishments.models import SchoolYear

    data, tasks = form_data(teacher, SchoolYear.current())
    response = client.post(reverse("missions:create", args=[school.uai]), data)
    letter = MissionLetter.objects.get()
    assert response.url == reverse("missions:detail", args=[school.uai, letter.pk])
    assert {t.task for t in letter.tasks.all()} == set(tasks)
    assert letter.tasks.get(task=tasks[-1]).shared_with.code == "admin-ent"

    detail = client.get(response.url).content.decode()
    assert "Proposer à l’autre partie" in detail and "Historique" in detail
    client.post(
        reverse("missions:transition", args=[school.uai, letter.pk, "proposer"]),
        {"revision": letter.revision},
    )
    letter.refresh_from_db()
    assert letter.state == LetterState.PROPOSED
    inbox = client.get(reverse("dashboard:inbox", args=[school.uai])).content.decode()
    assert "en attente de votre signature" in inbox
    client.post(
        reverse("missions:transition", args=[school.uai, letter.pk, "signer"]),
        {"revision": letter.revision},
    )
    letter.refresh_from_db()
    assert letter.state == LetterState.SIGNED

    client.force_login(teacher)
    detail = client.get(reverse("missions:detail", args=[school.uai, letter.pk])).content.decode()
    assert "Accepter la lettre" in detail
    client.post(
        reverse("missions:transition", args=[school.uai, letter.pk, "accepter"]),
        {"revision": letter.revision},
    )
    letter.refresh_from_db()
    assert letter.state == LetterState.ACTIVE
    dashboard = client.get(reverse("dashboard:establishment", args=[school.uai])).content.decode()
    assert "Lettre de mission signée et acceptée" in dashboard and "En vigueur" in dashboard


def test_bad_input_gets_a_french_message_and_changes_nothing(client, school):
    head = staff_member(school, Role.HEAD)
    stranger = staff_member(EstablishmentFactory(), Role.TEACHER)
    client.force_login(head)
    from rrupn.establishments.models import SchoolYear

    data, _tasks = form_data(stranger, SchoolYear.current())
    response = client.post(reverse("missions:create", args=[school.uai]), data)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    teacher = staff_member(school, Role.TEACHER)
    fourth = MissionTask.objects.filter(function__number=4).first()
    data, _tasks = form_data(teacher, SchoolYear.current(), **{f"task_{fourth.pk}": "on"})
    body = client.post(reverse("missions:create", args=[school.uai]), data).content.decode()
    assert "qui n’est pas retenue" in body or "qui n&#x27;est pas retenue" in body
    assert not MissionLetter.objects.exists()


def test_a_direction_member_cannot_sign(client, school):
    letter = MissionLetterFactory(establishment=school, proposed=True)
    client.force_login(staff_member(school, Role.DIRECTION))
    detail = client.get(reverse("missions:detail", args=[school.uai, letter.pk])).content.decode()
    assert "Signer la lettre" not in detail
    response = client.post(
        reverse("missions:transition", args=[school.uai, letter.pk, "signer"]),
        {"revision": letter.revision},
        follow=True,
    )
    assert (
        "Seul le chef d’établissement signe" in response.content.decode()
        or "Seul le chef d&#x27;établissement" in response.content.decode()
    )
    letter.refresh_from_db()
    assert letter.state == LetterState.PROPOSED


def test_a_stale_action_is_refused_with_a_message(client, school):
    letter = MissionLetterFactory(establishment=school, proposed=True)
    head = staff_member(school, Role.HEAD)
    client.force_login(head)
    response = client.post(
        reverse("missions:transition", args=[school.uai, letter.pk, "signer"]),
        {"revision": letter.revision - 1},
        follow=True,
    )
    assert "modifiée entre-temps" in response.content.decode()
    letter.refresh_from_db()
    assert letter.state == LetterState.PROPOSED


def test_a_teacher_sees_only_letters_naming_them(client, school):
    letter = MissionLetterFactory(establishment=school)
    other_teacher = staff_member(school, Role.TEACHER)
    client.force_login(other_teacher)
    assert client.get(reverse("missions:detail", args=[school.uai, letter.pk])).status_code == 404
    assert (
        letter.reference
        not in client.get(reverse("missions:list", args=[school.uai])).content.decode()
    )
    client.force_login(letter.rrupn)
    assert client.get(reverse("missions:detail", args=[school.uai, letter.pk])).status_code == 200


def test_a_signed_letter_cannot_be_edited(client, school):
    letter = MissionLetterFactory(establishment=school, signed=True)
    client.force_login(letter.created_by)
    response = client.get(reverse("missions:edit", args=[school.uai, letter.pk]), follow=True)
    assert "plus modifiable" in response.content.decode()


def test_srane_overview_shows_letter_state_and_imp_totals(client, school, other_school, far_school):
    from decimal import Decimal

    from missions.models import ImpRate

    MissionLetterFactory(
        establishment=school, active=True, imp_rate=ImpRate.objects.get(amount=Decimal("625"))
    )
    MissionLetterFactory(establishment=other_school, proposed=True)
    client.force_login(SraneScopeFactory(academie=True).user)
    body = client.get(reverse("dashboard:srane_overview")).content.decode()
    assert "Lettre de mission" in body and "En vigueur" in body and "Proposée" in body
    assert "Aucune lettre de mission" in body  # far_school
    assert "625,00 €" in body


def test_list_and_srane_queries_do_not_grow_with_letters(client, school):
    head = staff_member(school, Role.HEAD)
    srane = SraneScopeFactory(academie=True).user

    def add_letters(n):
        for _ in range(n):
            MissionLetterFactory(establishment=EstablishmentFactory(), active=True)
        # Several versions in the own school: one replaced, one in force, one in preparation.
        MissionLetter.objects.filter(establishment=school).delete()
        MissionLetterFactory(
            establishment=school, created_by=head, state=LetterState.REPLACED, version=1
        )
        MissionLetterFactory(establishment=school, created_by=head, active=True, version=2)
        MissionLetterFactory(establishment=school, created_by=head, version=3)

    def queries(user, url):
        client.force_login(user)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [
        (head, reverse("missions:list", args=[school.uai])),
        (head, reverse("dashboard:establishment", args=[school.uai])),
        (head, reverse("dashboard:inbox", args=[school.uai])),
        (srane, reverse("dashboard:srane_overview")),
    ]
    add_letters(2)
    before = [queries(user, url) for user, url in urls]
    add_letters(15)
    assert [queries(user, url) for user, url in urls] == before
