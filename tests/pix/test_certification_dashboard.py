"""Certification on the three screens: the checklist item and the SRANE column."""

import pytest
from django.urls import reverse

from pix.certification import dashboard
from rrupn.dashboard.registry import checklist, srane_columns
from rrupn.establishments.models import Division, DivisionKind, SchoolYear

from ..conftest import make_persona
from ..factories import EstablishmentFactory
from .factories import CertificationSessionFactory

pytestmark = pytest.mark.django_db


def division(school, code, level="", kind=DivisionKind.DIVISION, school_year=None):
    return Division.objects.create(
        establishment=school,
        school_year=school_year or SchoolYear.current(),
        code=code,
        level=level,
        pupil_count=25,
        kind=kind,
    )


def item():
    return next(i for i in checklist if i.key == "pix_certification_sessions")


def column():
    return next(c for c in srane_columns if c.key == "pix_certification")


def status(school):
    return item().status(school, SchoolYear.current())


def test_checklist_not_applicable_without_certification_classes(school):
    division(school, "5A", "5e")
    division(school, "LAT3", "3e", kind=DivisionKind.GROUP)  # a group is not a class
    last_year, _ = SchoolYear.objects.get_or_create(start_year=SchoolYear.current().start_year - 1)
    division(school, "3A", "3e", school_year=last_year)  # last year's classes do not count
    found = status(school)
    assert found.done is None
    assert found.text == "Sans objet : aucune classe de 3e, terminale, CAP ou BTS cette année"
    assert found.url == reverse("pix:certification_sessions", args=[school.uai])


def test_checklist_done_when_every_level_has_a_session(school):
    division(school, "3A", "3e")
    division(school, "3B", "3e")
    division(school, "TG1", "")  # terminale, by its code
    found = status(school)
    assert (found.done, found.text) == (False, "À planifier : 3e, Terminale")

    last_year, _ = SchoolYear.objects.get_or_create(start_year=SchoolYear.current().start_year - 1)
    CertificationSessionFactory(establishment=school, school_year=last_year, level="terminale")
    CertificationSessionFactory(establishment=EstablishmentFactory(), level="terminale")
    CertificationSessionFactory(establishment=school, level="3e")
    found = status(school)
    assert (found.done, found.text) == (False, "À planifier : Terminale · planifiées : 3e")

    CertificationSessionFactory(establishment=school, level="terminale")
    found = status(school)
    assert (found.done, found.text) == (True, "Planifiées : 3e, Terminale")


def test_the_rrupn_dashboard_shows_the_item(client, school):
    division(school, "3A", "3e")
    client.force_login(make_persona("rrupn", school))
    page = client.get(reverse("dashboard:establishment", args=[school.uai])).content.decode()
    assert "Sessions de certification Pix planifiées" in page and "À planifier : 3e" in page


def schools_for_the_column():
    """A: 3e classes, a session with results and a planned one; B: a 3e class, no session;
    C: nothing; D: no class in the portal but a planned session; E: a CAP class, a session of
    another level only."""
    a, b, c, d, e = (EstablishmentFactory() for _ in range(5))
    division(a, "3A", "3e")
    division(a, "3B", "3e")
    CertificationSessionFactory(establishment=a, candidates=28, certified=25)
    CertificationSessionFactory(establishment=a, candidates=30)
    division(b, "3A", "3e")
    CertificationSessionFactory(establishment=d, candidates=20)
    division(e, "2CAP", "")
    CertificationSessionFactory(establishment=e, level="bts", candidates=12, certified=12)
    return [a, b, c, d, e]


def test_srane_column_values(django_assert_num_queries):
    schools = schools_for_the_column()
    year = SchoolYear.current()
    with django_assert_num_queries(2):
        values = column().values(schools, year)
    a, b, c, d, e = (values[s.pk] for s in schools)
    assert (a.done, a.text) == (True, "25/28 certifiés (89 %) · 1 session planifiée (30 candidats)")
    assert (b.done, b.text) == (False, "Aucune session")
    assert (c.done, c.text) == (None, "")
    assert (d.done, d.text) == (None, "1 session planifiée (20 candidats)")
    assert (e.done, e.text) == (False, "12/12 certifiés (100 %)")


def test_srane_column_runs_two_queries_for_twenty_schools(django_assert_num_queries):
    schools = schools_for_the_column()
    for _ in range(3):
        schools += schools_for_the_column()
    assert len(schools) == 20
    year = SchoolYear.current()
    with django_assert_num_queries(2):
        values = column().values(schools, year)
    assert len(values) == 20


def test_the_srane_overview_shows_the_column(client, school):
    division(school, "3A", "3e")
    CertificationSessionFactory(establishment=school, candidates=28, certified=27)
    client.force_login(make_persona("srane_department", school))
    page = client.get(reverse("dashboard:srane_overview")).content.decode()
    assert "Certification" in page and "27/28 certifiés (96 %)" in page


def test_column_status_pluralises():
    totals = dashboard.SessionTotals(sessions=2, candidates=50, levels={"3e"})
    found = dashboard.column_status({"3e"}, totals)
    assert (found.done, found.text) == (True, "2 sessions planifiées (50 candidats)")
