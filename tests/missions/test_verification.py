"""The public verification page: anyone checks a printed letter's code, learns whether it is
authentic and in force, and sees what identifies it, nothing more."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from missions.models import ImpRate, LetterState, MissionLetter
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry

from ..factories import RoleAssignmentFactory, UserFactory
from .factories import MissionLetterFactory

pytestmark = pytest.mark.django_db

NOT_FOUND = "Ce code ne correspond à aucune lettre de mission."


def person(school, first, last, role, **extra):
    user = UserFactory(
        first_name=first, last_name=last, email=f"{last.lower()}@ac-limoges.fr", **extra
    )
    RoleAssignmentFactory(user=user, establishment=school, role=role)
    return user


@pytest.fixture
def letter(school):
    return MissionLetterFactory(
        establishment=school,
        created_by=person(school, "Hélène", "Duroc", Role.HEAD),
        rrupn=person(school, "Camille", "Fauvette", Role.TEACHER, discipline="Technologie"),
        active=True,
        imp_rate=ImpRate.objects.get(amount=Decimal("1250")),
        imp_multiple=Decimal("2"),
        clauses="Clause confidentielle : deux demi-journées.",
    )


def verify(client, code):
    return client.get(reverse("verification:code", args=[code]))


def text(response) -> str:
    return response.content.decode()


def test_the_form_is_public(client):
    response = client.get(reverse("verification:form"))
    assert response.status_code == 200
    page = text(response)
    assert 'name="code"' in page and "Vérifier une lettre de mission" in page
    assert NOT_FOUND not in page


def test_an_authentic_letter_shows_what_identifies_it(client, letter, school):
    response = verify(client, letter.verification_code)
    assert response.status_code == 200
    page = text(response)
    assert "Lettre de mission authentique" in page
    for expected in (
        school.name,
        school.uai,
        school.commune,
        letter.school_year.label,
        "Hélène Duroc",
        "Camille Fauvette",
        letter.reference,
        "En vigueur",
        f"{letter.signed_at.astimezone(_paris()):%d/%m/%Y %H:%M}",
        f"{letter.accepted_at.astimezone(_paris()):%d/%m/%Y %H:%M}",
    ):
        assert expected in page, expected
    assert 'name="robots" content="noindex"' in page


def _paris():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Paris")


def test_the_page_never_shows_the_content_of_the_letter(client, letter):
    page = text(verify(client, letter.verification_code))
    assert letter.tasks.exists()
    for chosen in letter.tasks.select_related("task__function"):
        for shown in (chosen.task.title, chosen.task.function.title):
            assert shown not in page and escape(shown) not in page, shown
    for hidden in ("IMP", "2500", "2 500", "1250", "Clause confidentielle", "Technologie"):
        assert hidden not in page, hidden
    assert letter.rrupn.email not in page and letter.head.email not in page


@pytest.mark.parametrize(
    "typed",
    [
        lambda c: c.lower(),
        lambda c: "-".join(c[i : i + 5] for i in range(0, 20, 5)),  # as printed on the PDF
        lambda c: f"  {c[:10]} {c[10:]} ",
        lambda c: "-".join(c[i : i + 5] for i in range(0, 20, 5)).lower(),
    ],
)
def test_codes_are_compared_without_case_spaces_or_dashes(client, letter, typed):
    code = typed(letter.verification_code)
    by_query = client.get(reverse("verification:form"), {"code": code})
    assert by_query.status_code == 200 and letter.reference in text(by_query)
    if code.strip() == code and " " not in code:
        assert verify(client, code).status_code == 200


@pytest.mark.parametrize(
    "code",
    [
        "ABCDEFGHJKMNPQRSTUVW",  # right shape, no such letter
        "ABCD",  # too short
        "A" * 40,  # too long
        "<script>alert(1)</script>",
        "ABCDE_FGHJK_MNPQR_STUV",
        "ÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉ",
        "' OR 1=1 --",
    ],
)
def test_unknown_or_forged_codes_are_not_found_and_change_nothing(client, letter, code):
    before = (MissionLetter.objects.values().get(pk=letter.pk), AuditEntry.objects.count())
    for response in (
        client.get(reverse("verification:form"), {"code": code}),
        verify(client, code.replace("/", "")),
    ):
        assert response.status_code == 404
        page = text(response)
        assert NOT_FOUND in page
        assert letter.reference not in page and "<script>alert" not in page
    after = (MissionLetter.objects.values().get(pk=letter.pk), AuditEntry.objects.count())
    assert after == before


def test_a_code_of_another_letter_does_not_leak_it(client, letter, other_school):
    other = MissionLetterFactory(establishment=other_school, active=True)
    page = text(verify(client, letter.verification_code))
    assert other_school.name not in page and other.reference not in page


@pytest.mark.parametrize("trait", [{}, {"proposed": True}])
def test_a_letter_not_yet_signed_is_not_verifiable(client, school, trait):
    draft = MissionLetterFactory(establishment=school, **trait)
    response = verify(client, draft.verification_code)
    assert response.status_code == 404 and NOT_FOUND in text(response)
    assert draft.reference not in text(response)


def test_a_signed_letter_awaits_the_acceptance(client, school):
    letter = MissionLetterFactory(establishment=school, signed=True)
    page = text(verify(client, letter.verification_code))
    assert "en attente d’acceptation par le RRUPN" in page
    assert "pas encore acceptée" in page


def test_a_replaced_letter_is_authentic_but_no_longer_in_force(client, letter, school):
    MissionLetter.objects.filter(pk=letter.pk).update(state=LetterState.REPLACED)
    amendment = MissionLetterFactory(
        establishment=school,
        version=2,
        amends=letter,
        rrupn=letter.rrupn,
        created_by=letter.head,
        active=True,
    )
    old = text(verify(client, letter.verification_code))
    assert "Lettre de mission authentique" in old and letter.reference in old
    assert "Remplacée par un avenant (version 2)" in old
    assert "n’est plus en vigueur" in old
    assert "fr-badge--success" not in old

    new = text(verify(client, amendment.verification_code))
    assert amendment.reference in new and "En vigueur" in new
    assert "fr-badge--success" in new


def test_an_archived_letter_is_authentic_but_no_longer_in_force(client, letter):
    MissionLetter.objects.filter(pk=letter.pk).update(state=LetterState.ARCHIVED)
    page = text(verify(client, letter.verification_code))
    assert "Lettre de mission authentique" in page
    assert "Archivée" in page and "n’est plus en vigueur" in page


def test_logged_in_people_see_the_same_answer(client, letter, persona_user):
    client.force_login(persona_user("teacher"))
    response = verify(client, letter.verification_code)
    assert response.status_code == 200 and letter.reference in text(response)


def test_the_pdf_link_leads_to_the_page(client, letter, settings):
    from missions.pdf import verification_url

    url = verification_url(letter)
    assert url.startswith(settings.SITE_URL + "/")
    response = client.get(url.removeprefix(settings.SITE_URL))
    assert response.status_code == 200 and letter.reference in text(response)


def test_the_answer_costs_a_fixed_number_of_queries(client, letter, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        verify(client, letter.verification_code)
