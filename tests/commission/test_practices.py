"""Remarkable practices: recorded by the school's pilots, shared with the SRANE's feed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commission.models import RemarkablePractice
from commission.practices import services
from commission.practices.services import PracticeData, PracticeError
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import SchoolYear

from ..factories import EstablishmentFactory, RoleAssignmentFactory, SraneScopeFactory, UserFactory
from .factories_practices import PracticeFactory

pytestmark = pytest.mark.django_db


def staff(school, role):
    return RoleAssignmentFactory(establishment=school, role=role).user


def data(author, **changes) -> PracticeData:
    values = {
        "title": "Carte mentale collaborative",
        "discipline": "Histoire-géographie",
        "level": "5e",
        "description": "Les élèves construisent en groupe la carte d'un chapitre.",
        "tools": "Digipad, ENT",
        "author": author,
    }
    return PracticeData(**{**values, **changes})


def create(school, user, roles, **changes):
    return services.practice_create(
        establishment=school,
        school_year=SchoolYear.current(),
        user=user,
        roles=roles,
        data=data(changes.pop("author", user), **changes),
    )


# --- services ----------------------------------------------------------------------------------


def test_rrupn_records_a_colleagues_practice(school):
    rrupn, teacher = staff(school, Role.RRUPN), staff(school, Role.TEACHER)
    practice = create(school, rrupn, {Role.RRUPN}, author=teacher)
    assert practice.author == teacher and practice.shared_at is None
    entry = AuditEntry.objects.get(action="practice.created")
    assert entry.actor == rrupn and entry.establishment == school


@pytest.mark.parametrize("role", [Role.TEACHER, Role.DOCUMENTALISTE, Role.GESTIONNAIRE])
def test_other_roles_cannot_record(school, role):
    user = staff(school, role)
    with pytest.raises(PracticeError, match="RRUPN"):
        create(school, user, {role})
    assert not RemarkablePractice.objects.exists()


def test_the_author_must_be_staff_of_the_school(school, other_school):
    stranger = staff(other_school, Role.TEACHER)
    with pytest.raises(PracticeError, match="ne fait pas partie du personnel"):
        create(school, staff(school, Role.RRUPN), {Role.RRUPN}, author=stranger)
    assert not RemarkablePractice.objects.exists()


@pytest.mark.parametrize("field", ["title", "discipline", "level", "description"])
def test_blank_fields_are_refused(school, field):
    with pytest.raises(PracticeError):
        create(school, staff(school, Role.RRUPN), {Role.RRUPN}, **{field: "  "})
    assert not RemarkablePractice.objects.exists()


def test_share_and_stop_sharing_are_audited_and_idempotent(school):
    rrupn = staff(school, Role.RRUPN)
    practice = create(school, rrupn, {Role.RRUPN})
    stale = RemarkablePractice.objects.get(pk=practice.pk)
    services.practice_share(practice=practice, user=rrupn, roles={Role.RRUPN})
    assert practice.shared_at is not None
    with pytest.raises(PracticeError, match="déjà partagée"):
        services.practice_share(practice=stale, user=rrupn, roles={Role.RRUPN})
    services.practice_unshare(practice=practice, user=rrupn, roles={Role.RRUPN})
    practice.refresh_from_db()
    assert practice.shared_at is None
    with pytest.raises(PracticeError, match="n'est pas partagée"):
        services.practice_unshare(practice=practice, user=rrupn, roles={Role.RRUPN})
    entries = AuditEntry.objects.filter(object_id=str(practice.pk)).order_by("at", "id")
    assert [e.action for e in entries] == [
        "practice.created",
        "practice.shared",
        "practice.unshared",
    ]
    shared = entries[1]
    assert shared.before["partagée"] is False and shared.after["partagée"] is True


def test_a_teacher_cannot_share(school):
    practice = PracticeFactory(establishment=school)
    with pytest.raises(PracticeError):
        services.practice_share(
            practice=practice, user=staff(school, Role.TEACHER), roles={Role.TEACHER}
        )
    practice.refresh_from_db()
    assert practice.shared_at is None


# --- school pages ------------------------------------------------------------------------------


def test_rrupn_records_edits_and_shares_through_the_pages(client, school):
    rrupn = staff(school, Role.RRUPN)
    teacher = staff(school, Role.TEACHER)
    client.force_login(rrupn)
    create_url = reverse("commission:practice_create", args=[school.uai])
    form = client.get(create_url).content.decode()
    assert 'id="pratique-remarquable"' in form and str(teacher) in form
    response = client.post(
        create_url,
        {
            "title": "Podcast en anglais",
            "author": teacher.pk,
            "discipline": "Anglais",
            "level": "3e",
            "description": "Chaque élève enregistre une présentation de deux minutes.",
            "tools": "Baladodiffusion",
        },
    )
    list_url = reverse("commission:practice_list", args=[school.uai])
    assert response.status_code == 302 and response.url == list_url
    practice = RemarkablePractice.objects.get()
    assert practice.author == teacher and practice.school_year == SchoolYear.current()

    page = client.get(list_url).content.decode()
    assert "Podcast en anglais" in page and "Partager avec le SRANE" in page
    edit_url = reverse("commission:practice_edit", args=[school.uai, practice.pk])
    assert 'value="Podcast en anglais"' in client.get(edit_url).content.decode()
    client.post(
        edit_url,
        {
            "title": "Podcast en anglais (LV1)",
            "author": teacher.pk,
            "discipline": "Anglais",
            "level": "3e",
            "description": "Deux minutes par élève.",
            "tools": "",
        },
    )
    practice.refresh_from_db()
    assert practice.title == "Podcast en anglais (LV1)" and practice.tools == ""

    client.post(reverse("commission:practice_share", args=[school.uai, practice.pk]))
    practice.refresh_from_db()
    assert practice.shared_at is not None
    page = client.get(list_url).content.decode()
    assert "Partagée avec le SRANE le" in page and "Ne plus partager" in page
    again = client.post(
        reverse("commission:practice_share", args=[school.uai, practice.pk]), follow=True
    )
    assert "déjà partagée" in again.content.decode()
    client.post(reverse("commission:practice_unshare", args=[school.uai, practice.pk]))
    practice.refresh_from_db()
    assert practice.shared_at is None


def test_bad_input_saves_nothing(client, school, other_school):
    client.force_login(staff(school, Role.RRUPN))
    stranger = staff(other_school, Role.TEACHER)
    response = client.post(
        reverse("commission:practice_create", args=[school.uai]),
        {
            "title": "",
            "author": stranger.pk,
            "discipline": "Anglais",
            "level": "3e",
            "description": "x",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Ce champ est obligatoire" in page
    assert "Sélectionnez un choix valide" in page  # the stranger is not offered
    assert not RemarkablePractice.objects.exists()


def test_teacher_reads_the_list_without_the_buttons(client, school):
    PracticeFactory(establishment=school, title="Escape game en SVT")
    PracticeFactory(title="Pratique d'une autre école")
    client.force_login(staff(school, Role.TEACHER))
    page = client.get(reverse("commission:practice_list", args=[school.uai])).content.decode()
    assert "Escape game en SVT" in page and "autre école" not in page
    assert "Partager avec le SRANE" not in page and "Enregistrer une pratique" not in page


def test_another_schools_practice_is_not_found(client, school, other_school):
    theirs = PracticeFactory(establishment=other_school)
    client.force_login(staff(school, Role.RRUPN))
    assert (
        client.get(reverse("commission:practice_edit", args=[school.uai, theirs.pk])).status_code
        == 404
    )
    share = reverse("commission:practice_share", args=[school.uai, theirs.pk])
    assert client.post(share).status_code == 404
    theirs.refresh_from_db()
    assert theirs.shared_at is None


# --- the SRANE feed ----------------------------------------------------------------------------


@pytest.fixture
def feed_schools():
    return {
        "87": EstablishmentFactory(name="Collège Léonard-Limosin", department_code="87"),
        "19": EstablishmentFactory(name="Lycée d'Arsonval", department_code="19", kind="lycee"),
        "23": EstablishmentFactory(name="Collège de Guéret", department_code="23"),
    }


def feed(client, **params):
    response = client.get(reverse("commission_srane:practice_feed"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_feed_shows_shared_practices_newest_first_within_scope(client, feed_schools):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    author = UserFactory(first_name="Jeanne", last_name="Barret")
    PracticeFactory(
        establishment=feed_schools["87"],
        title="Ancienne",
        author=author,
        shared_at=now - timedelta(days=3),
    )
    PracticeFactory(establishment=feed_schools["87"], title="Récente", shared_at=now)
    PracticeFactory(establishment=feed_schools["87"], title="Non partagée")
    PracticeFactory(establishment=feed_schools["23"], title="Creusoise", shared=True)
    client.force_login(SraneScopeFactory(department="87").user)
    page = feed(client)
    assert page.index("Récente") < page.index("Ancienne")
    assert "Non partagée" not in page and "Creusoise" not in page
    assert "Collège Léonard-Limosin" in page and "Jeanne Barret" in page
    assert 'id="filtre-departement"' not in page  # one département: nothing to choose
    # A département outside the scope is ignored, not obeyed.
    assert "Creusoise" not in feed(client, departement="23")


def test_feed_filters_by_departement_and_discipline(client, feed_schools):
    PracticeFactory(
        establishment=feed_schools["87"], title="Maths 87", discipline="Mathématiques", shared=True
    )
    PracticeFactory(
        establishment=feed_schools["19"], title="Maths 19", discipline="mathématiques", shared=True
    )
    PracticeFactory(
        establishment=feed_schools["19"], title="Anglais 19", discipline="Anglais", shared=True
    )
    client.force_login(SraneScopeFactory(academie=True).user)
    everything = feed(client)
    assert all(t in everything for t in ("Maths 87", "Maths 19", "Anglais 19"))
    assert 'id="filtre-departement"' in everything
    assert everything.count('<option value="Mathématiques"') == 1  # one spelling offered
    corrèze = feed(client, departement="19")
    assert "Maths 87" not in corrèze and "Maths 19" in corrèze and "Anglais 19" in corrèze
    maths = feed(client, discipline="Mathématiques")
    assert "Maths 87" in maths and "Maths 19" in maths and "Anglais 19" not in maths
    both = feed(client, departement="19", discipline="Anglais")
    assert "Anglais 19" in both and "Maths" not in both
    assert "Anglais 19" in feed(client, discipline="Discipline inconnue")  # ignored


def test_feed_is_paginated_and_keeps_the_filters(client, feed_schools):
    for n in range(25):
        PracticeFactory(establishment=feed_schools["87"], title=f"Pratique {n:02d}", shared=True)
    client.force_login(SraneScopeFactory(academie=True).user)
    first = feed(client, departement="87", discipline="Français")
    assert "25 pratiques partagées" in first
    assert "?departement=87&amp;discipline=Fran%C3%A7ais&amp;page=2" in first
    second = feed(client, departement="87", discipline="Français", page=2)
    assert second.count('<article class="practice') == 5


def test_feed_queries_do_not_grow_with_practices(client, feed_schools):
    def add(n):
        for i in range(n):
            school = feed_schools["87" if i % 2 else "19"]
            PracticeFactory(establishment=school, discipline=f"Discipline {i % 4}", shared=True)

    client.force_login(SraneScopeFactory(academie=True).user)
    url = reverse("commission_srane:practice_feed")
    add(3)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    count()  # warm the per-process caches
    small = count()
    add(27)
    assert count() == small


def test_school_list_queries_do_not_grow(client, school):
    rrupn = staff(school, Role.RRUPN)
    client.force_login(rrupn)
    url = reverse("commission:practice_list", args=[school.uai])

    def add(n):
        for _ in range(n):
            PracticeFactory(establishment=school, author=staff(school, Role.TEACHER), shared=True)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    add(3)
    count()
    small = count()
    add(12)
    assert count() == small


def test_srane_overview_links_the_feed_and_shows_the_latest_five(client, feed_schools):
    for n in range(7):
        PracticeFactory(establishment=feed_schools["87"], title=f"Partagée {n}", shared=True)
    PracticeFactory(establishment=feed_schools["23"], title="Hors périmètre", shared=True)
    client.force_login(SraneScopeFactory(department="87").user)
    page = client.get(reverse("dashboard:srane_overview")).content.decode()
    assert reverse("commission_srane:practice_feed") in page
    assert "Dernières pratiques remarquables partagées" in page
    assert sum(f"Partagée {n}" in page for n in range(7)) == 5
    assert "Partagée 6" in page and "Hors périmètre" not in page


def test_staff_cannot_open_the_feed(client, school):
    client.force_login(staff(school, Role.HEAD))
    assert client.get(reverse("commission_srane:practice_feed")).status_code == 403
