"""The three screens run a constant number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rrupn.accounts.models import Role
from rrupn.audit.services import audit_record

from ..factories import EstablishmentFactory, RoleAssignmentFactory, SraneScopeFactory, UserFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_srane_overview_queries_do_not_grow_with_establishments(client):
    client.force_login(SraneScopeFactory(academie=True).user)
    url = reverse("dashboard:srane_overview")

    def add(n):
        for _ in range(n):
            est = EstablishmentFactory()
            RoleAssignmentFactory(establishment=est, role=Role.RRUPN, yearly=True)

    add(2)
    count_queries(client, url)  # warm the per-process caches
    small = count_queries(client, url)
    add(20)
    assert count_queries(client, url) == small
    assert small <= 30  # one or two per registered column; constancy is the real check


def test_dashboard_and_inbox_queries_are_constant(client, school):
    user = UserFactory()
    RoleAssignmentFactory(user=user, establishment=school, role=Role.HEAD)
    for _ in range(2):  # at least two rows of each relation, so an N+1 shows
        RoleAssignmentFactory(user=user, establishment=EstablishmentFactory(), role=Role.TEACHER)
        RoleAssignmentFactory(establishment=school, role=Role.RRUPN, yearly=True)
        audit_record(actor=user, action="test", establishment=school, after={"x": 1})
    client.force_login(user)
    urls = [
        reverse("dashboard:establishment", args=[school.uai]),
        reverse("dashboard:inbox", args=[school.uai]),
        reverse("dashboard:audit_log", args=[school.uai]),
    ]
    for url in urls:  # warm the per-process caches (content types, current school year)
        count_queries(client, url)
    before = [count_queries(client, url) for url in urls]
    for _ in range(10):
        RoleAssignmentFactory(user=user, establishment=EstablishmentFactory(), role=Role.TEACHER)
        RoleAssignmentFactory(establishment=school, role=Role.RRUPN, yearly=True)
        audit_record(actor=user, action="test", establishment=school, after={"x": 1})
    assert [count_queries(client, url) for url in urls] == before
    # One or two per registered checklist item and inbox source (each app adds its own), plus
    # the dashboard's meetings and incidents; constancy is the real check.
    assert max(before) <= 45
