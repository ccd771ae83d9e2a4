"""The assignment pages: coverage list, a subscription's page, assigning through the forms,
the refusal shown in French, removal, last year's copy; constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gar.assignments import services
from gar.models import AssignmentType, GarAssignment
from rrupn.accounts.models import Role

from .factories_assignments import SubscriptionFactory, division, last_year, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(school, client):
    user = staff(school, Role.DOCUMENTALISTE)
    client.force_login(user)
    return user


def detail_url(school, sub):
    return reverse("gar:assignments_detail", args=[school.uai, sub.pk])


def test_list_shows_coverage_and_licences(client, school, doc):
    assigned = SubscriptionFactory(establishment=school, resource__title="Atlas interactif")
    SubscriptionFactory(establishment=school, resource__title="Lexique", licences_eleve="ILLIMITE")
    SubscriptionFactory(establishment=school, school_year=last_year(), resource__title="Ancien")
    services.assign_divisions(
        subscription=assigned, divisions=[division(school, "3A", 28)], user=doc
    )
    html = client.get(reverse("gar:assignments_list", args=[school.uai])).content.decode()
    assert "1 abonnement sur 2 a au moins une affectation (50 %)" in html
    assert "Élèves : 28 / 60" in html and "Élèves : 0 / illimitées" in html
    assert "À affecter" in html and "Ancien" not in html
    assert "Copier les affectations de l’an dernier" in html


def test_a_teacher_reads_but_cannot_assign(client, school):
    sub = SubscriptionFactory(establishment=school)
    division(school, "3A")
    client.force_login(staff(school))
    html = client.get(detail_url(school, sub)).content.decode()
    assert "Licences" in html and "affecter-classes" not in html and "Copier" not in html
    url = reverse("gar:assignments_divisions", args=[school.uai, sub.pk])
    assert client.post(url, {"divisions": []}).status_code == 403


def test_documentalist_assigns_two_classes_then_is_refused_an_over_assignment(client, school, doc):
    sub = SubscriptionFactory(establishment=school, licences_eleve="60")
    a, b, c = division(school, "3A", 28), division(school, "3B", 27), division(school, "3C", 26)
    url = reverse("gar:assignments_divisions", args=[school.uai, sub.pk])
    response = client.post(url, {"divisions": [a.pk, b.pk]}, follow=True)
    html = response.content.decode()
    assert "Affecté à 3A, 3B : 55 licence(s) élève(s) utilisée(s)." in html
    assert '<td class="licences-affectees">55</td>' in html
    page = client.post(url, {"divisions": [c.pk]})
    html = page.content.decode()
    assert "Licences insuffisantes" in html and "il en reste 5 sur 60" in html
    assert GarAssignment.objects.count() == 2
    # The refused class stays ticked for another try; the assigned ones are no longer offered.
    assert f'value="{c.pk}" id="id_divisions_0" checked' in html
    assert f'value="{a.pk}"' not in html


def test_another_schools_or_last_years_subscription_is_not_found(client, school, other_school, doc):
    theirs = SubscriptionFactory(establishment=other_school)
    old = SubscriptionFactory(establishment=school, school_year=last_year())
    assert client.get(detail_url(school, theirs)).status_code == 404
    assert client.get(detail_url(school, old)).status_code == 404
    theirs_div = division(other_school, "3A")
    mine = SubscriptionFactory(establishment=school)
    url = reverse("gar:assignments_divisions", args=[school.uai, mine.pk])
    page = client.post(url, {"divisions": [theirs_div.pk]})
    assert "Sélectionnez un choix valide" in page.content.decode()
    assert not GarAssignment.objects.exists()


def test_teachers_form_and_whole_establishment(client, school, doc):
    teacher = staff(school, first_name="Julie", last_name="Rougegorge")
    sub = SubscriptionFactory(establishment=school)
    url = reverse("gar:assignments_teachers", args=[school.uai, sub.pk])
    response = client.post(url, {"teachers": [teacher.pk]}, follow=True)
    assert "Affecté à 1 enseignant(s)." in response.content.decode()
    assert "Julie Rougegorge" in response.content.decode()
    etabl = SubscriptionFactory(
        establishment=school,
        assignment_type=AssignmentType.ETABL,
        licences_global="ILLIMITE",
        licences_eleve="",
        licences_enseignant="",
    )
    html = client.get(detail_url(school, etabl)).content.decode()
    assert "affecter-classes" not in html and "Affecter à tout l’établissement" in html
    url = reverse("gar:assignments_establishment", args=[school.uai, etabl.pk])
    response = client.post(url, follow=True)
    assert "Abonnement affecté à tout l&#x27;établissement." in response.content.decode()
    assert "Tout l’établissement" in response.content.decode()


def test_remove_from_the_page(client, school, doc):
    sub = SubscriptionFactory(establishment=school)
    [made] = services.assign_divisions(
        subscription=sub, divisions=[division(school, "3A")], user=doc
    )
    url = reverse("gar:assignments_remove", args=[school.uai, sub.pk, made.pk])
    response = client.post(url, follow=True)
    assert "Affectation retirée" in response.content.decode()
    assert not GarAssignment.objects.exists()
    other = SubscriptionFactory(establishment=school)
    [again] = services.assign_divisions(
        subscription=sub, divisions=[division(school, "3B")], user=doc
    )
    wrong = reverse("gar:assignments_remove", args=[school.uai, other.pk, again.pk])
    assert client.post(wrong).status_code == 404


def test_copy_from_the_list_reports_what_was_not_copied(client, school, doc):
    old_sub = SubscriptionFactory(establishment=school, school_year=last_year())
    for code in ("3A", "4B"):
        GarAssignment.objects.create(
            subscription=old_sub,
            target_kind="division",
            division=division(school, code, year=last_year()),
            public="ELEVE",
            licences=25,
            created_by=doc,
        )
    SubscriptionFactory(establishment=school, resource=old_sub.resource)
    division(school, "3A", 24)
    url = reverse("gar:assignments_copy", args=[school.uai])
    html = client.post(url, follow=True).content.decode()
    assert "1 affectation de l’an dernier copiée." in html.replace("&#x27;", "’")
    assert "la classe ou le groupe 4B n&#x27;existe pas cette année" in html
    assert "1 abonnement sur 1 a au moins une affectation (100 %)" in html
    # Shown once (the message, not "4B" alone: a random CSRF token may contain it).
    again = client.get(reverse("gar:assignments_list", args=[school.uai])).content.decode()
    assert "la classe ou le groupe 4B" not in again


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_list_and_detail_queries_are_constant(client, school, doc):
    sub = SubscriptionFactory(
        establishment=school, licences_eleve="ILLIMITE", licences_enseignant="ILLIMITE"
    )

    def add(n):
        for i in range(n):
            other = SubscriptionFactory(establishment=school)
            d = division(school, f"C{other.pk}-{i}")
            services.assign_divisions(subscription=other, divisions=[d], user=doc)
            services.assign_divisions(subscription=sub, divisions=[d], user=doc)
            services.assign_teachers(subscription=sub, teachers=[staff(school)], user=doc)

    add(2)
    urls = [reverse("gar:assignments_list", args=[school.uai]), detail_url(school, sub)]
    for url in urls:
        _count(client, url)
    before = [_count(client, url) for url in urls]
    add(5)
    assert [_count(client, url) for url in urls] == before
