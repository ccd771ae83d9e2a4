"""The dashboard block and the SRANE list and detail run as many queries with 2 announcements,
reads and RRUPN as with 12."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rrupn.relay.models import AnnouncementRead

from ..factories import EstablishmentFactory
from .helpers import announce, rrupn_of

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_relay_pages_run_constant_queries(client, school, srane87):
    rrupn = rrupn_of(school)
    first = announce(title="Première")
    urls_rrupn = [
        reverse("dashboard:establishment", args=[school.uai]),
        reverse("relay:list", args=[school.uai]),
    ]
    urls_srane = [reverse("relay_srane:list"), reverse("relay_srane:detail", args=[first.pk])]
    have, counts = 0, {}
    for size in (2, 12):
        for n in range(have, size):
            announcement = first if n == 0 else announce(title=f"Annonce {n}")
            other = EstablishmentFactory()
            colleague = rrupn_of(other)
            for reader in (rrupn, colleague):
                AnnouncementRead.objects.create(announcement=announcement, user=reader)
            announce(department="", title=f"Académie {n}")  # unread
        have = size
        client.force_login(rrupn)
        for url in urls_rrupn:  # warm the caches and the new session (current school)
            count_queries(client, url)
        rrupn_counts = [count_queries(client, url) for url in urls_rrupn]
        client.force_login(srane87)
        srane_counts = [count_queries(client, url) for url in urls_srane]
        counts[size] = rrupn_counts + srane_counts
    assert counts[2] == counts[12], counts
    client.force_login(srane87)
    detail = client.get(urls_srane[1]).content.decode()
    assert detail.count('class="read-row"') == 13  # the RRUPN of `school` and 12 others
