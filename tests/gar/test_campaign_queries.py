"""The campaign pages cost the same number of queries at 1 and at 50 schools (and rows)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gar.models import CampaignReminder, DesignationState
from rrupn.accounts.models import Role

from ..factories import EstablishmentFactory, RoleAssignmentFactory, SraneScopeFactory
from .factories_campaign import DesignationFactory, SubscriptionFactory, campaign

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def populated_school(name="Collège"):
    """Two rows of every relation the pages read: subscriptions (one done), designations
    (designated and proposed), reminders."""
    school = EstablishmentFactory(name=name)
    SubscriptionFactory(establishment=school, done=True)
    SubscriptionFactory(establishment=school)
    DesignationFactory(establishment=school)
    DesignationFactory(establishment=school, state=DesignationState.PROPOSED)
    row = campaign(timezone.localdate() - datetime.timedelta(days=1))
    for _ in range(2):
        CampaignReminder.objects.create(campaign=row, establishment=school, recipients=["a@b.fr"])
    return school


def add_schools(n):
    for i in range(n):
        populated_school(f"Collège {i:03d}")


@pytest.mark.parametrize(
    "url_name", ["gar_srane:campaign", "dashboard:srane_overview"], ids=["campaign", "overview"]
)
def test_srane_pages_at_1_and_50_schools(client, url_name):
    client.force_login(SraneScopeFactory(academie=True).user)
    url = reverse(url_name)
    add_schools(1)
    count_queries(client, url)  # warm the per-process caches (content types, school year)
    one = count_queries(client, url)
    add_schools(49)
    fifty = count_queries(client, url)
    assert fifty == one
    assert client.get(url).content.decode().count("Collège 0") >= 50  # every school listed


def test_school_pages_do_not_grow_with_rows(client):
    school = populated_school()
    head = RoleAssignmentFactory(establishment=school, role=Role.HEAD).user
    client.force_login(head)
    urls = [
        reverse("gar:campaign", args=[school.uai]),
        reverse("gar:campaign_responsables", args=[school.uai]),
        reverse("dashboard:establishment", args=[school.uai]),
        reverse("dashboard:inbox", args=[school.uai]),
    ]
    for url in urls:
        count_queries(client, url)
    before = [count_queries(client, url) for url in urls]
    for _ in range(10):
        SubscriptionFactory(establishment=school, done=True)
        DesignationFactory(establishment=school)
        DesignationFactory(establishment=school, state=DesignationState.PROPOSED)
        RoleAssignmentFactory(establishment=school, role=Role.TEACHER)
    assert [count_queries(client, url) for url in urls] == before
