"""The SRANE sees training needs across its schools, by topic: totals only, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commission.models import Priority
from rrupn.establishments.models import SchoolYear

from ..factories import EstablishmentFactory, SraneScopeFactory
from ..ui.html import parse
from .test_training import make_need

pytestmark = pytest.mark.django_db

URL = "/srane/commission/formation/besoins/"
ENT = "L'ENT et ses applications"
VISIO = "Classe virtuelle et visioconférence"


def rows(client, query=""):
    """{topic: [cells]} of the table body, and the footer's cells."""
    doc = parse(client.get(URL + query).content.decode())
    body = {
        row.xpath("th")[0].text_content(): [td.text_content() for td in row.xpath("td")]
        for row in doc.xpath("//tbody/tr[th]")
    }
    foot = [td.text_content() for td in doc.xpath("//tfoot/tr/td")]
    return body, foot, doc


@pytest.fixture
def needs(school, other_school, far_school):
    make_need(school, staff_count=6, priority=Priority.HIGH)
    make_need(school, staff_count=2, priority=Priority.LOW)  # same school, same topic
    make_need(other_school, staff_count=3, priority=Priority.MEDIUM)
    make_need(other_school, staff_count=4, priority=Priority.HIGH, label=ENT)
    make_need(far_school, staff_count=10, priority=Priority.LOW)
    # Last year's needs are left out.
    make_need(school, staff_count=50, year=SchoolYear.objects.create(start_year=2001))


def test_the_url_is_the_named_one():
    assert reverse("commission_srane:training_needs") == URL


def test_a_departement_srane_sees_its_schools_totals_by_topic(client, needs, school):
    client.force_login(SraneScopeFactory(department="87").user)
    body, foot, doc = rows(client)
    # Thème | établissements | besoins | personnels | haute | moyenne | basse
    assert body == {VISIO: ["2", "3", "11", "6", "3", "2"], ENT: ["1", "1", "4", "4", "0", "0"]}
    assert foot == ["2", "4", "15", "10", "3", "2"]
    assert list(body) == [VISIO, ENT]  # most staff first
    text = doc.text_content()
    assert school.name not in text and "Professeurs de langues" not in text  # aggregates only
    assert "2 établissements sur 2 ont recensé des besoins" in text
    assert not doc.xpath('//select[@name="departement"]')  # one département: no filter


def test_the_academie_filters_by_departement(client, needs):
    client.force_login(SraneScopeFactory(academie=True).user)
    body, foot, _doc = rows(client)
    assert body[VISIO] == ["3", "4", "21", "6", "3", "12"]
    body, foot, doc = rows(client, "?departement=19")
    assert body == {VISIO: ["1", "1", "10", "0", "0", "10"]}
    assert doc.xpath('//option[@value="19"]')[0].get("selected") is not None
    body, _foot, _doc = rows(client, "?departement=99")  # unknown: the whole scope
    assert body[VISIO][2] == "21"


def test_no_need_yet_says_so(client, school):
    client.force_login(SraneScopeFactory(department="87").user)
    page = client.get(URL).content.decode()
    assert "Aucun besoin de formation recensé dans ce périmètre cette année." in page


def test_the_overview_links_to_it_and_shows_each_schools_count(client, needs, school):
    client.force_login(SraneScopeFactory(department="87").user)
    page = client.get(reverse("dashboard:srane_overview")).content.decode()
    assert f'href="{URL}"' in page
    assert "Besoins de formation exprimés" in page and "2 besoins, 8 personnels" in page


def test_queries_do_not_grow_with_schools_and_needs(client):
    client.force_login(SraneScopeFactory(academie=True).user)

    def grow(n):
        for i in range(n):
            est = EstablishmentFactory(department_code="19" if i % 2 else "87")
            make_need(est, staff_count=i + 1, priority=Priority.values[i % 3])
            make_need(est, staff_count=2, label=ENT)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    grow(2)
    count()
    before = count()
    grow(8)
    assert count() == before
