"""The relay's demo: two announcements (académie, 87), one read; loading twice adds nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from rrupn.accounts.models import User
from rrupn.relay.models import Announcement, AnnouncementRead

CSV = Path(__file__).resolve().parents[2] / "data" / "establishments_limoges.csv"
MAUPASSANT = "0870022B"

pytestmark = pytest.mark.django_db


def test_demo_announcements_are_idempotent(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_establishments", str(CSV), stdout=StringIO())
        call_command("load_demo", stdout=StringIO())
        call_command("load_demo", stdout=StringIO())
    assert Announcement.objects.count() == 2
    assert set(Announcement.objects.values_list("department", flat=True)) == {"", "87"}
    assert AnnouncementRead.objects.count() == 1
    client.force_login(User.objects.get(email="camille.fauvette@ac-limoges.fr"))
    page = client.get(reverse("dashboard:establishment", args=[MAUPASSANT])).content.decode()
    assert "1 annonce non lue." in page and "Appel à FIL" in page
