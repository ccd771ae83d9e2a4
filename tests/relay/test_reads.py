"""What the RRUPN see and mark read; what the SRANE sees of it (list, detail, CSV)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from rrupn.accounts.models import Role
from rrupn.establishments.models import SchoolYear
from rrupn.relay import selectors, services
from rrupn.relay.models import AnnouncementRead

from ..factories import RoleAssignmentFactory, UserFactory
from .helpers import announce, rrupn_of

pytestmark = pytest.mark.django_db


def dashboard(client, school):
    response = client.get(reverse("dashboard:establishment", args=[school.uai]))
    assert response.status_code == 200
    return response.content.decode()


def test_audience_is_the_current_rrupn_of_the_departement(school, other_school, far_school):
    first, second = rrupn_of(school), rrupn_of(other_school)
    rrupn_of(far_school)
    last_year = UserFactory()
    old, _ = SchoolYear.objects.get_or_create(start_year=SchoolYear.current().start_year - 1)
    RoleAssignmentFactory(user=last_year, establishment=school, role=Role.RRUPN, school_year=old)
    RoleAssignmentFactory(establishment=school, role=Role.HEAD)
    year = SchoolYear.current()
    members = selectors.audience_members(announce("87"), year)
    assert {user for user, _est in members} == {first, second}
    everyone = selectors.audience_members(announce(""), year)
    assert len(everyone) == 3


def test_mark_read_is_idempotent_and_redirects_to_a_safe_next(client, school):
    rrupn = rrupn_of(school)
    announcement = announce()
    client.force_login(rrupn)
    url = reverse("relay:mark_read", args=[school.uai, announcement.pk])
    back = reverse("dashboard:establishment", args=[school.uai])
    response = client.post(url, {"next": back})
    assert response.status_code == 302 and response.url == back
    first = AnnouncementRead.objects.get().read_at
    response = client.post(url, {"next": "https://evil.example/"})
    assert response.url == reverse("relay:list", args=[school.uai])
    assert AnnouncementRead.objects.get().read_at == first  # one row, first time kept
    read = services.announcement_mark_read(announcement=announcement, user=rrupn)
    assert read.read_at == first and AnnouncementRead.objects.count() == 1


def test_a_rrupn_of_another_departement_never_sees_it(client, school, far_school):
    far = rrupn_of(far_school)
    announcement = announce("87", title="Réservé à la Haute-Vienne")
    client.force_login(far)
    assert "Réservé à la Haute-Vienne" not in dashboard(client, far_school)
    page = client.get(reverse("relay:list", args=[far_school.uai])).content.decode()
    assert "Réservé à la Haute-Vienne" not in page
    url = reverse("relay:mark_read", args=[far_school.uai, announcement.pk])
    assert client.post(url).status_code == 404
    assert not AnnouncementRead.objects.exists()


def test_rrupn_of_two_departements_sees_both_once_each(client, school, far_school):
    person = rrupn_of(school)
    rrupn_of(far_school, user=person)
    announce("87", title="Pour le 87")
    announce("19", title="Pour le 19")
    announce("", title="Pour tous")
    announce("23", title="Pour le 23")
    client.force_login(person)
    page = client.get(reverse("relay:list", args=[school.uai])).content.decode()
    for title in ("Pour le 87", "Pour le 19", "Pour tous"):
        assert page.count(f">{title}</h3>") == 1, title
    assert "Pour le 23" not in page


def test_dashboard_block_unread_first_with_text_and_mark_read(client, school):
    rrupn = rrupn_of(school)
    now = timezone.now()
    older = announce(title="Ancienne", published_at=now - datetime.timedelta(days=5))
    newer = announce(title="Récente", published_at=now - datetime.timedelta(days=1))
    AnnouncementRead.objects.create(announcement=newer, user=rrupn)
    client.force_login(rrupn)
    page = dashboard(client, school)
    assert "Annonces du SRANE" in page and "1 annonce non lue." in page
    assert page.index("Ancienne") < page.index("Récente")  # unread first
    assert page.count("relay-unread") == 1 and "Non lue" in page
    assert page.count("Marquer comme lu") == 1
    assert reverse("relay:mark_read", args=[school.uai, older.pk]) in page
    assert reverse("relay:list", args=[school.uai]) in page


def test_expired_archived_and_scheduled_are_hidden(client, school):
    rrupn = rrupn_of(school)
    today = timezone.localdate()
    announce(title="Expirée", expires_on=today - datetime.timedelta(days=1))
    announce(title="Retirée", archived_at=timezone.now())
    announce(title="Programmée", published_at=timezone.now() + datetime.timedelta(days=2))
    announce(title="Dernier jour", expires_on=today)
    client.force_login(rrupn)
    for page in (
        dashboard(client, school),
        client.get(reverse("relay:list", args=[school.uai])).content.decode(),
    ):
        assert "Dernier jour" in page
        for hidden in ("Expirée", "Retirée", "Programmée"):
            assert hidden not in page


@pytest.mark.parametrize("role", [Role.HEAD, Role.TEACHER])
def test_non_rrupn_staff_do_not_see_the_block(client, school, role):
    person = RoleAssignmentFactory(establishment=school, role=role).user
    announce(title="Pour les RRUPN")
    client.force_login(person)
    page = dashboard(client, school)
    assert "Annonces du SRANE" not in page and "Pour les RRUPN" not in page
    assert client.get(reverse("relay:list", args=[school.uai])).status_code == 403


def test_body_is_escaped_and_links_made_clickable(client, school):
    rrupn = rrupn_of(school)
    announce(body="Voir https://tribu.example.org/doc\n<script>alert(1)</script>")
    client.force_login(rrupn)
    page = client.get(reverse("relay:list", args=[school.uai])).content.decode()
    assert '<a href="https://tribu.example.org/doc"' in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<br>" in page


def test_srane_list_detail_and_csv_show_who_has_read(
    client, srane87, school, other_school, far_school
):
    reader = rrupn_of(school, first_name="Camille", last_name="Fauvette")
    rrupn_of(other_school, first_name="Hugo", last_name="Bouvreuil")
    rrupn_of(far_school)  # another département: not in the audience
    announcement = announce(title="=cmd|' /C calc'!A0")
    AnnouncementRead.objects.create(announcement=announcement, user=reader)
    client.force_login(srane87)
    listing = client.get(reverse("relay_srane:list")).content.decode()
    assert "lu par 1 / 2 RRUPN" in listing
    detail = client.get(reverse("relay_srane:detail", args=[announcement.pk])).content.decode()
    assert "Lue par 1 / 2 RRUPN." in detail
    assert detail.count('class="read-row"') == 2
    assert detail.index("Hugo Bouvreuil") < detail.index("Camille Fauvette")  # not read first
    assert far_school.name not in detail

    response = client.get(reverse("relay_srane:reads_csv", args=[announcement.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Département", "UAI", "Établissement", "RRUPN", "Courriel", "Lue le"]
    by_name = {row[3]: row for row in rows[1:]}
    assert set(by_name) == {"Camille Fauvette", "Hugo Bouvreuil"}
    assert by_name["Hugo Bouvreuil"][5] == "non lue"
    assert by_name["Camille Fauvette"][5] != "non lue"


def test_csv_cells_are_formula_safe(client, srane87, school):
    school.name = '=HYPERLINK("http://x")'
    school.save()
    rrupn_of(school)
    announcement = announce()
    client.force_login(srane87)
    response = client.get(reverse("relay_srane:reads_csv", args=[announcement.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][2] == '\'=HYPERLINK("http://x")'


def test_contacts_page(client, school):
    from rrupn.relay.models import SraneContact

    teacher = RoleAssignmentFactory(establishment=school, role=Role.TEACHER).user
    client.force_login(teacher)
    page = client.get(reverse("relay_srane:contacts")).content.decode()
    assert "ce.dane@ac-limoges.fr" in page  # the data migration's functional mailbox
    assert "Aucun contact enregistré pour ce département" in page
    SraneContact.objects.all().delete()
    page = client.get(reverse("relay_srane:contacts")).content.decode()
    assert "Aucun contact n’est encore enregistré" in page
    SraneContact.objects.create(
        department="23", name="Chargé de mission", function="SRANE 23", email="srane23@example.org"
    )
    page = client.get(reverse("relay_srane:contacts")).content.decode()
    assert "srane23@example.org" in page


def test_contacts_page_refused_without_role_or_scope(client):
    client.force_login(UserFactory())
    assert client.get(reverse("relay_srane:contacts")).status_code == 403
