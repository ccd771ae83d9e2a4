"""Pupil names never reach a SRANE user, nor a teacher of another class (issue 7, part 7)."""

import pytest
from django.urls import reverse

from rrupn.accounts.models import Role

from ..factories import SraneScopeFactory
from .followup_data import PUPIL_NAMES, scenario, staff, teacher_of

pytestmark = pytest.mark.django_db

# Every name of the scenario; "=DAVID" also in its HTML-escaped and CSV-defused forms.
NAMES = [name.lstrip("=") for name in PUPIL_NAMES]


def school_urls(data):
    uai = data.school.uai
    return [
        reverse("pix:followup_campaign", args=[uai, data.campaign.pk]),
        reverse("pix:followup_campaign", args=[uai, data.other.pk]),
        reverse("pix:followup_campaign_export", args=[uai, data.campaign.pk]),
        reverse("pix:followup_divisions", args=[uai]),
        reverse("pix:followup_division", args=[uai, "6A"]),
        reverse("pix:followup_division", args=[uai, "6B"]),
        reverse("pix:followup_sixth", args=[uai]),
        reverse("dashboard:establishment", args=[uai]),
    ]


def srane_urls(data):
    return [
        reverse("pix_srane:overview"),
        reverse("dashboard:srane_overview"),
        reverse("dashboard:srane_establishment", args=[data.school.uai]),
    ]


def leaked(client, urls) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url)
        body = response.content.decode("utf-8", "replace")
        found += [f"{name} in {url} ({response.status_code})" for name in NAMES if name in body]
    return found


@pytest.mark.parametrize("academie", [False, True], ids=["departement", "academie"])
def test_srane_never_sees_a_pupil_name(client, school, academie):
    data = scenario(school)
    scope = SraneScopeFactory(academie=True) if academie else SraneScopeFactory(department="87")
    client.force_login(scope.user)
    assert client.get(reverse("pix_srane:overview")).status_code == 200
    assert not leaked(client, srane_urls(data) + school_urls(data))


def test_teacher_of_another_class_never_sees_a_pupil_name_of_6a(client, school):
    data = scenario(school)
    client.force_login(teacher_of(school, data.six_b))
    others = ["ALICE", "BASTIEN", "CHLOÉ", "DAVID", "ÉMILE"]  # the 6A pupils
    for url in school_urls(data):
        body = client.get(url).content.decode("utf-8", "replace")
        assert not [name for name in others if name in body], url


def test_teacher_of_no_class_never_sees_a_pupil_name(client, school):
    data = scenario(school)
    client.force_login(staff(school, Role.TEACHER))
    assert not leaked(client, school_urls(data))


def test_teacher_of_the_class_sees_its_pupils_to_act_on(client, school):
    data = scenario(school)
    client.force_login(teacher_of(school, data.six_a))
    url = reverse("pix:followup_campaign", args=[school.uai, data.campaign.pk])
    body = client.get(url).content.decode()
    for name in ("CHLOÉ", "=DAVID", "ÉMILE"):
        assert name in body
    csv_url = reverse("pix:followup_campaign_export", args=[school.uai, data.campaign.pk])
    assert "ÉMILE" in client.get(csv_url).content.decode("utf-8")
    assert "GASPARD" not in body  # 6B is not theirs


def test_teaching_team_set_on_the_page_opens_the_names(client, school):
    """The RRUPN adds a teacher to 6B's team: that teacher now sees GASPARD."""
    data = scenario(school)
    teacher = staff(school, Role.TEACHER, first_name="Nina", last_name="Prof")
    url = reverse("pix:followup_campaign", args=[school.uai, data.campaign.pk])
    client.force_login(teacher)
    assert "GASPARD" not in client.get(url).content.decode()
    client.force_login(staff(school, Role.RRUPN))
    edit = reverse("pix:followup_team_edit", args=[school.uai, data.six_b.pk])
    assert client.post(edit, {"teachers": [teacher.pk]}).status_code == 302
    client.force_login(teacher)
    assert "GASPARD" in client.get(url).content.decode()
