"""Certification sessions: plan, change, delete; bad input refused in French, nothing saved."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pix.certification import services
from pix.certification.selectors import certification_level
from pix.models import CertificationSession
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import Division, DivisionKind, SchoolYear

from ..conftest import make_persona
from ..factories import EstablishmentFactory
from .factories import CertificationSessionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("level", "code", "expected"),
    [
        ("3e", "3A", "3e"),
        ("3ème", "X1", "3e"),
        ("", "3B", "3e"),
        ("", "301", "3e"),
        ("Terminale", "TG1", "terminale"),
        ("", "TSTMG", "terminale"),
        ("Tle", "T2", "terminale"),
        ("", "2CAP", "cap"),
        ("Terminale CAP", "TCAP", "cap"),
        ("", "BTS SIO 2", "bts"),
        ("BTS2", "SIO2", "bts"),
        ("", "1CAP", None),  # first year: certified next year
        ("", "BTS1 NDRC", None),
        ("4e", "4A", None),
        ("1re", "T1", None),  # the level, when filled in, wins over the code
        ("", "6A", None),
        ("", "", None),
    ],
)
def test_certification_level_of_a_class(level, code, expected):
    assert certification_level(level, code) == expected


def year():
    return SchoolYear.current()


def division(school, code, level="", pupils=25, kind=DivisionKind.DIVISION, school_year=None):
    return Division.objects.create(
        establishment=school,
        school_year=school_year or year(),
        code=code,
        level=level,
        pupil_count=pupils,
        kind=kind,
    )


def day(month=3, dd=15) -> datetime.date:
    start = year().start_year
    return datetime.date(start + 1 if month < 9 else start, month, dd)


def form_data(**overrides) -> dict:
    data = {
        "level": "3e",
        "date": day().strftime("%d/%m/%Y"),
        "room": "Salle B12",
        "candidates": "28",
        "certified": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def rrupn(school):
    return make_persona("rrupn", school)


@pytest.fixture
def logged(client, rrupn):
    client.force_login(rrupn)
    return client


def url(name, school, *args):
    return reverse(f"pix:{name}", args=[school.uai, *args])


def test_the_rrupn_plans_a_session_with_classes_and_results(logged, school):
    a3, b3 = division(school, "3A", "3e"), division(school, "3B", "3e")
    division(school, "4A", "4e")
    page = logged.get(url("certification_create", school)).content.decode()
    assert "3A (25 élèves)" in page and "4A (25 élèves)" not in page  # certification classes
    assert "Pré-novice (0 à 63 pix)" in page and "Expert 2 (896 à 1023 pix)" in page
    response = logged.post(
        url("certification_create", school),
        form_data(
            divisions=[a3.pk, b3.pk],
            certified="26",
            band_novice2="3",
            band_independant1="20",
            band_independant2="5",
        ),
    )
    assert response.status_code == 302
    session = CertificationSession.objects.get()
    assert (session.establishment, session.school_year, session.level) == (school, year(), "3e")
    assert (session.date, session.room, session.candidates, session.certified) == (
        day(),
        "Salle B12",
        28,
        26,
    )
    assert session.score_bands == {"novice2": 3, "independant1": 20, "independant2": 5}
    assert set(session.divisions.all()) == {a3, b3}
    entry = AuditEntry.objects.get(action="pix.certification_session_created")
    assert entry.establishment == school and entry.after["classes"] == ["3A", "3B"]

    listing = logged.get(url("certification_sessions", school)).content.decode()
    assert day().strftime("%d/%m/%Y") in listing and "3A, 3B" in listing
    assert "Indépendant 1 : 20" in listing and "Salle B12" in listing


BAD_INPUTS = [
    ({"certified": "29"}, "Il y a 29 certifiés pour 28 candidats : impossible."),
    (
        {"band_novice1": "20", "band_novice2": "9"},
        "La répartition des scores compte 29 candidats, plus que les 28 candidats de la session.",
    ),
    ({"candidates": "0"}, "Indiquez au moins un candidat."),
    ({"candidates": ""}, "Indiquez le nombre de candidats."),
    ({"candidates": "vingt"}, "Indiquez le nombre de candidats en nombre entier"),
    ({"band_expert1": "-1"}, "Un nombre de candidats ne peut pas être négatif."),
    ({"certified": "-2"}, "Le nombre de certifiés ne peut pas être négatif."),
    ({"date": "31/02/2027"}, "Indiquez une date au format JJ/MM/AAAA."),
    ({"date": "15/03/2001"}, "La date doit être dans l&#x27;année scolaire"),
    ({"date": ""}, "Indiquez la date de la session."),
    ({"level": "2nde"}, "Choisissez le niveau : 3e, terminale, CAP ou BTS."),
    ({"level": "terminale", "divisions": ["3A"]}, "Classes qui ne sont pas des classes de"),
    ({"divisions": ["4A"]}, "Une des classes choisies n&#x27;existe pas cette année."),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUTS)
def test_bad_input_is_refused_in_french_and_nothing_is_saved(logged, school, changes, message):
    codes = {d.code: d.pk for d in (division(school, "3A", "3e"), division(school, "4A", "4e"))}
    if "divisions" in changes:
        changes = {**changes, "divisions": [codes[c] for c in changes["divisions"]]}
    response = logged.post(url("certification_create", school), form_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CertificationSession.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="pix.").exists()


def session_state(session) -> tuple:
    session.refresh_from_db()
    return (
        session.level,
        session.date,
        session.room,
        session.candidates,
        session.certified,
        session.score_bands,
        sorted(session.divisions.values_list("code", flat=True)),
    )


def test_an_edit_with_bad_counts_changes_nothing(logged, school):
    a3 = division(school, "3A", "3e")
    session = CertificationSessionFactory(
        establishment=school, candidates=20, certified=18, score_bands={"novice2": 18}
    )
    session.divisions.set([a3])
    before = session_state(session)
    page = logged.get(url("certification_edit", school, session.pk)).content.decode()
    assert 'name="band_novice2" value="18"' in page and 'value="20"' in page
    for changes in (
        {"candidates": "20", "certified": "21"},
        {"candidates": "20", "band_avance1": "3", "band_novice2": "18"},
        {"candidates": "20", "date": "01/09/2001"},
    ):
        response = logged.post(
            url("certification_edit", school, session.pk), form_data(divisions=[a3.pk], **changes)
        )
        assert response.status_code == 200
        assert session_state(session) == before
    assert not AuditEntry.objects.exists()

    response = logged.post(
        url("certification_edit", school, session.pk),
        form_data(candidates="20", certified="19", band_novice2="19", room="CDI"),
    )
    assert response.status_code == 302
    assert session_state(session) == ("3e", day(), "CDI", 20, 19, {"novice2": 19}, [])
    entry = AuditEntry.objects.get(action="pix.certification_session_changed")
    assert entry.before["certifiés"] == 18 and entry.after["certifiés"] == 19


def test_the_service_refuses_what_the_form_would(school, rrupn):
    data = services.SessionData(level="3e", date=day(), candidates=10, certified=11)
    roles = frozenset({"rrupn"})
    with pytest.raises(services.CertificationError, match="11 certifiés pour 10 candidats"):
        services.session_create(
            establishment=school, school_year=year(), user=rrupn, roles=roles, data=data
        )
    data = services.SessionData(level="3e", date=day(), candidates=10, score_bands={"x": 1})
    with pytest.raises(services.CertificationError, match="tranche inconnue"):
        services.session_create(
            establishment=school, school_year=year(), user=rrupn, roles=roles, data=data
        )
    data = services.SessionData(level="3e", date=day(), candidates=10)
    with pytest.raises(services.CertificationError, match="Seuls la direction et le RRUPN"):
        services.session_create(
            establishment=school,
            school_year=year(),
            user=rrupn,
            roles=frozenset({"teacher"}),
            data=data,
        )
    assert not CertificationSession.objects.exists()


def test_delete_asks_for_confirmation_then_deletes(logged, school):
    session = CertificationSessionFactory(establishment=school, candidates=17)
    page = logged.get(url("certification_delete", school, session.pk))
    assert page.status_code == 200 and "Supprimer la session" in page.content.decode()
    assert CertificationSession.objects.filter(pk=session.pk).exists()
    response = logged.post(url("certification_delete", school, session.pk))
    assert response.status_code == 302
    assert not CertificationSession.objects.filter(pk=session.pk).exists()
    entry = AuditEntry.objects.get(action="pix.certification_session_deleted")
    assert entry.before["candidats"] == 17


def test_a_teacher_reads_the_sessions_but_cannot_change_them(client, school):
    session = CertificationSessionFactory(establishment=school)
    client.force_login(make_persona("teacher", school))
    page = client.get(url("certification_sessions", school)).content.decode()
    assert "15/03/" in page and "Planifier une session" not in page and "Modifier" not in page
    for name, args in [
        ("certification_create", ()),
        ("certification_edit", (session.pk,)),
        ("certification_delete", (session.pk,)),
    ]:
        assert client.post(url(name, school, *args), form_data()).status_code == 403
    assert CertificationSession.objects.filter(pk=session.pk).exists()


def test_sessions_of_other_schools_and_years_are_out_of_reach(logged, school):
    other = CertificationSessionFactory(establishment=EstablishmentFactory())
    last_year, _ = SchoolYear.objects.get_or_create(start_year=year().start_year - 1)
    old = CertificationSessionFactory(establishment=school, school_year=last_year, candidates=31)
    for session in (other, old):
        assert logged.get(url("certification_edit", school, session.pk)).status_code == 404
        assert logged.post(url("certification_delete", school, session.pk)).status_code == 404
    assert CertificationSession.objects.count() == 2
    # Earlier years stay readable, without buttons.
    page = logged.get(url("certification_sessions", school)).content.decode()
    assert last_year.label in page and "Aucune session de certification" in page
    page = logged.get(
        url("certification_sessions", school) + f"?annee={last_year.start_year}"
    ).content.decode()
    assert "31" in page and "Planifier une session" not in page


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_runs_constant_queries(logged, school):
    def add(n):
        for i in range(n):
            session = CertificationSessionFactory(
                establishment=school, score_bands={"novice1": 2}, certified=3
            )
            session.divisions.set(
                [division(school, f"3{len(Division.objects.all())}-{i}", "3e") for _ in range(2)]
            )

    path = url("certification_sessions", school)
    add(2)
    count_queries(logged, path)  # warm the per-process caches
    small = count_queries(logged, path)
    add(18)
    assert count_queries(logged, path) == small
