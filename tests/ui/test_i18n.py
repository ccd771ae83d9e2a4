"""French first, English through the catalogue compiled by `make env` (Babel, no gettext)."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from rrupn.establishments.models import Division, DivisionKind, SchoolYear

from ..commission.factories_members import commission, meeting
from ..gar.factories_campaign import SubscriptionFactory, campaign
from .html import one, parse

PARIS = ZoneInfo("Europe/Paris")
CATALOGUE = Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.po"
CORE_SCREENS = (
    "templates/base.html",
    "templates/partials/",
    "templates/dashboard/",
    "templates/account/",
    "templates/components/",
    "templates/crispy_dsfr/",
    "templates/403.html",
    "templates/404.html",
    "rrupn/dashboard/",
)


def test_catalogue_is_compiled_and_current():
    compiled = CATALOGUE.with_suffix(".mo")
    assert compiled.exists(), "locale/en/LC_MESSAGES/django.mo is missing: run `make env`"
    assert compiled.stat().st_mtime >= CATALOGUE.stat().st_mtime, "stale .mo: run `make env`"


def test_core_screens_are_fully_translated():
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    core = [
        message
        for message in catalogue
        if message.id and any(path.startswith(CORE_SCREENS) for path, _line in message.locations)
    ]
    assert len(core) > 100
    untranslated = [
        message.id
        for message in core
        if message.fuzzy
        or not (message.string if isinstance(message.string, str) else all(message.string))
    ]
    assert not untranslated


def _untranslated(messages) -> list[str]:
    return [
        str(message.id)
        for message in messages
        if message.fuzzy
        or not (message.string if isinstance(message.string, str) else all(message.string))
    ]


def test_every_catalogue_entry_is_translated():
    """`make messages` brings new French strings in untranslated or fuzzy: each must get its
    English before it lands, or English users would meet French (or a wrong guess) on screen."""
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    messages = [message for message in catalogue if message.id]
    assert len(messages) > 900
    assert not _untranslated(messages)


@pytest.mark.django_db
def test_issue_pages_speak_english(client, persona_user, school):
    """Mission letters, the digital committee and the SRANE overview, after choosing English."""
    client.force_login(persona_user("rrupn"))
    letters = reverse("missions:list", args=[school.uai])
    client.post(reverse("set_language"), {"language": "en", "next": letters})

    doc = parse(client.get(letters).content.decode())
    assert doc.get("lang") == "en"
    assert one(doc, "//h1").text == "Mission letters"
    assert "Draft a mission letter" in doc.text_content()
    assert "Lettres de mission" not in doc.text_content()

    doc = parse(client.get(reverse("commission:home", args=[school.uai])).content.decode())
    assert one(doc, "//h1").text == "Digital committee"
    assert "No committee for this school year" in [
        h.text_content().strip() for h in doc.xpath("//h2")
    ]
    body = " ".join(doc.text_content().split())
    assert "Set up the committee" in body and "Commission numérique" not in body

    client.force_login(persona_user("srane_academie"))  # the language cookie outlives the login
    doc = parse(client.get(reverse("dashboard:srane_overview")).content.decode())
    assert one(doc, "//h1").text == "SRANE overview"
    headings = [h.text_content().strip() for h in doc.xpath("//h2")]
    assert "IMP of the letters in force, by département" in headings
    body = " ".join(doc.text_content().split())
    assert "Export the mission letters (ZIP)" in body
    assert "Notable practices shared by the schools" in body
    assert "Exporter les lettres de mission" not in body


@pytest.mark.django_db
def test_gar_and_class_pages_speak_english(client, persona_user, school):
    """Issue 5's GAR campaign checklist and classes list, and a meeting's time with 'at' (the
    French 'à' used to sit inside the date format), after choosing English."""
    year = SchoolYear.current()
    campaign(timezone.localdate() + datetime.timedelta(days=12))
    SubscriptionFactory(establishment=school, resource__title="Lumni Enseignement")
    third = Division.objects.create(
        establishment=school,
        school_year=year,
        code="3A",
        kind=DivisionKind.DIVISION,
        pupil_count=28,
    )
    Division.objects.create(
        establishment=school, school_year=year, code="LAT3", kind=DivisionKind.GROUP, pupil_count=12
    ).divisions.set([third])
    rrupn = persona_user("rrupn")
    client.force_login(rrupn)
    checklist = reverse("gar:campaign", args=[school.uai])
    client.post(reverse("set_language"), {"language": "en", "next": checklist})

    doc = parse(client.get(checklist).content.decode())
    assert one(doc, "//h1").text == f"GAR assignment campaign {year.label}"
    body = " ".join(doc.text_content().split())
    assert "12 days left." in body and "GAR assignments done: 0/1" in body
    assert "No assignment manager appointed" not in body  # that is the dashboard's wording
    assert "Mark as done" in body and "Start-of-year campaign" in body  # header GAR menu
    assert "Il reste" not in body and "Marquer fait" not in body and "faites :" not in body

    doc = parse(client.get(reverse("divisions:list", args=[school.uai])).content.decode())
    assert one(doc, "//h1").text == "Classes and groups"
    body = " ".join(doc.text_content().split())
    assert "28 pupils in classes." in body and "Add a class or a group" in body
    headers = [th.text_content().strip() for th in doc.xpath("//thead//th")]
    assert headers[:6] == ["Code", "Label", "Type", "Level", "Pupils", "Parent classes"]
    assert "élèves en classe" not in body

    held = meeting(commission(school), starts_at=datetime.datetime(2026, 3, 5, 17, 0, tzinfo=PARIS))
    doc = parse(client.get(reverse("commission:meeting_list", args=[school.uai])).content.decode())
    link = one(doc, f'//a[contains(@href, "/{held.pk}/")]')
    assert link.text_content().strip() == "05/03/2026 at 17:00"


@pytest.mark.django_db
def test_dashboard_follows_the_language_switch(client, persona_user, school):
    client.force_login(persona_user("rrupn"))
    dashboard = reverse("dashboard:establishment", args=[school.uai])

    doc = parse(client.get(dashboard).content.decode())
    assert doc.get("lang") == "fr"
    assert one(doc, "//h1").text == "Tableau de bord"

    response = client.post(reverse("set_language"), {"language": "en", "next": dashboard})
    assert response.status_code == 302 and response.url == dashboard
    doc = parse(client.get(dashboard).content.decode())
    assert doc.get("lang") == "en"
    assert one(doc, "//h1").text == "Dashboard"
    body = doc.text_content()
    assert "Log out" in body and "The school year at a glance" in body
    assert "Se déconnecter" not in body
    assert one(doc, '//button[@name="language"]').get("value") == "fr"

    client.post(reverse("set_language"), {"language": "fr", "next": dashboard})
    assert one(parse(client.get(dashboard).content.decode()), "//h1").text == "Tableau de bord"


@pytest.mark.django_db
def test_french_first_even_for_an_english_browser(client, persona_user, school):
    client.force_login(persona_user("rrupn"))
    dashboard = reverse("dashboard:establishment", args=[school.uai])
    response = client.get(dashboard, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    doc = parse(response.content.decode())
    assert doc.get("lang") == "fr" and "Se déconnecter" in doc.text_content()
    assert response.headers["Content-Language"] == "fr"


def test_the_form_pack_speaks_english_too():
    from .test_crispy_pack import PackForm

    with translation.override("en"):
        html = (
            engines["django"]
            .from_string("{% load crispy_forms_tags %}{{ f|crispy }}")
            .render({"f": PackForm()})
        )
    assert "Notes (optional)" in " ".join(parse(html).text_content().split())
    assert "Unless stated otherwise, all fields are required." in html


@pytest.mark.parametrize(
    "language,expected",
    [
        ("fr", "05/03/2026 · 05/03/2026 · 05/03/2026 14:30"),
        ("en", "5 March 2026 · 05/03/2026 · 05/03/2026 14:30"),
    ],
)
def test_dates_are_day_first(language, expected, settings):
    moment = datetime.datetime(2026, 3, 5, 14, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))
    template = engines["django"].from_string(
        '{{ day|date }} · {{ day|date:"SHORT_DATE_FORMAT" }} · {{ moment|date:"SHORT_DATETIME_FORMAT" }}'
    )
    with translation.override(language):
        assert template.render({"day": moment.date(), "moment": moment}) == expected
