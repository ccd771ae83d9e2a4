"""The RRUPN dashboard, the head's inbox and the header count run the same number of queries
with 1, 10 and 100 rows (meetings, incidents, waiting items) and establishments of the person."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rrupn.accounts.models import Role

from ..commission.factories_members import commission, meeting
from ..commission.factories_purchases import PurchaseProposalFactory
from ..factories import EstablishmentFactory, RoleAssignmentFactory, UserFactory
from ..maintenance.factories_equipment import EquipmentNeedFactory
from ..maintenance.test_tickets_screens import make_ticket
from ..missions.factories import MissionLetterFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_the_school_screens_run_constant_queries_at_1_10_and_100(client, school):
    head = UserFactory()
    RoleAssignmentFactory(user=head, establishment=school, role=Role.HEAD)
    RoleAssignmentFactory(user=head, establishment=school, role=Role.RRUPN, yearly=True)
    com = commission(school)
    client.force_login(head)
    urls = [
        reverse("dashboard:establishment", args=[school.uai]),
        reverse("dashboard:inbox", args=[school.uai]),
        reverse("missions:list", args=[school.uai]),  # a page with the header's count
    ]
    have = 0
    counts = {}
    for size in (1, 10, 100):
        for n in range(have, size):
            other = EstablishmentFactory()
            RoleAssignmentFactory(user=head, establishment=other, role=Role.RRUPN)
            meeting(com, days=n + 1, created_by=head)
            meeting(commission(other), days=n + 2, created_by=head)
            make_ticket(school, head, age_days=n)
            make_ticket(other, head, age_days=n)
            PurchaseProposalFactory(establishment=school, proposed_by=head)
            EquipmentNeedFactory(establishment=school, proposed_by=head)
        if have == 0:  # one letter per school and year
            MissionLetterFactory(establishment=school, proposed=True, with_tasks=False)
        have = size
        if size == 1:
            for url in urls:  # warm the per-process caches (content types, school year)
                count_queries(client, url)
        counts[size] = [count_queries(client, url) for url in urls]
    assert counts[1] == counts[10] == counts[100], counts
    page = client.get(urls[1]).content.decode()
    assert page.count('class="inbox-entry') == 201
