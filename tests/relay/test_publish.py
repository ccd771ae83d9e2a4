"""The SRANE publishes, changes and withdraws announcements: scope, validation, audit, e-mail."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from rrupn.audit.models import AuditEntry
from rrupn.relay.models import Announcement

from .helpers import announce, rrupn_of

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    today = timezone.localdate()
    data = {
        "title": "Appel à FIL : classes virtuelles",
        "kind": "fil",
        "body": "Inscriptions avant le 15.\nDétails : https://tribu.phm.education.gouv.fr/x",
        "link_url": "https://www.ac-limoges.fr/fil",
        "department": "87",
        "publish_on": today.isoformat(),
        "expires_on": "",
    }
    return {**data, **overrides}


def test_a_departement_srane_publishes_to_its_departement(client, srane87):
    client.force_login(srane87)
    response = client.post(reverse("relay_srane:create"), form_data())
    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("relay_srane:detail", args=[announcement.pk])
    assert announcement.department == "87" and announcement.author == srane87
    entry = AuditEntry.objects.get(action="relay.published")
    assert entry.actor == srane87 and entry.after["department"] == "87"


@pytest.mark.parametrize("department", ["19", ""])
def test_a_departement_srane_cannot_publish_elsewhere(client, srane87, department):
    client.force_login(srane87)
    response = client.post(reverse("relay_srane:create"), form_data(department=department))
    assert response.status_code == 200
    assert "Vous ne pouvez publier que pour les RRUPN de votre département." in (
        response.content.decode()
    )
    assert not Announcement.objects.exists() and not AuditEntry.objects.exists()


def test_the_service_refuses_another_departement_too(srane87):
    from rrupn.access.scopes import user_access
    from rrupn.establishments.models import SchoolYear
    from rrupn.relay import services

    access = user_access(srane87, SchoolYear.current())
    data = services.AnnouncementData(
        title="T", body="B", kind="other", link_url="", department="23",
        publish_on=timezone.localdate(), expires_on=None,
    )  # fmt: skip
    with pytest.raises(services.RelayError, match="votre département"):
        services.announcement_publish(access=access, user=srane87, data=data)
    assert not Announcement.objects.exists()


@pytest.mark.parametrize("department", ["", "19", "23"])
def test_the_academie_srane_publishes_anywhere(client, srane_academie, department):
    client.force_login(srane_academie)
    response = client.post(reverse("relay_srane:create"), form_data(department=department))
    assert response.status_code == 302
    assert Announcement.objects.get().department == department


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Ce champ est obligatoire."),
        ({"body": "   "}, "Ce champ est obligatoire."),
        ({"link_url": "javascript:alert(1)"}, "commençant par http:// ou https://"),
        ({"link_url": "ftp://example.org/x"}, "commençant par http:// ou https://"),
        (
            {"expires_on": "2020-01-01"},
            "La date de fin d’affichage ne peut pas précéder la date de publication.",
        ),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_saved(client, srane87, overrides, message):
    client.force_login(srane87)
    response = client.post(reverse("relay_srane:create"), form_data(**overrides))
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'").replace("&rsquo;", "’")
    assert message in page
    assert not Announcement.objects.exists() and not AuditEntry.objects.exists()


def test_edit_and_archive_are_audited(client, srane87):
    announcement = announce(author=srane87)
    client.force_login(srane87)
    response = client.post(
        reverse("relay_srane:edit", args=[announcement.pk]),
        form_data(title="Titre corrigé", publish_on=timezone.localdate().isoformat()),
    )
    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.title == "Titre corrigé"
    changed = AuditEntry.objects.get(action="relay.changed")
    assert changed.before["title"] == "Numéro 3 de la LINE"
    assert changed.after["title"] == "Titre corrigé"

    response = client.post(reverse("relay_srane:archive", args=[announcement.pk]))
    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.archived_at is not None and announcement.archived_by == srane87
    assert AuditEntry.objects.filter(action="relay.archived").count() == 1
    # Twice: refused, no second audit row.
    client.post(reverse("relay_srane:archive", args=[announcement.pk]))
    assert AuditEntry.objects.filter(action="relay.archived").count() == 1


def test_a_departement_srane_cannot_reach_another_departements_announcement(client, srane87):
    other = announce(department="19")
    everyone = announce(department="")
    client.force_login(srane87)
    for announcement in (other, everyone):
        for name in ("relay_srane:detail", "relay_srane:edit", "relay_srane:reads_csv"):
            assert client.get(reverse(name, args=[announcement.pk])).status_code == 404
        response = client.post(reverse("relay_srane:archive", args=[announcement.pk]))
        assert response.status_code == 404
    assert not Announcement.objects.filter(archived_at__isnull=False).exists()
    assert other.title not in client.get(reverse("relay_srane:list")).content.decode()


def test_a_teacher_gets_403_on_the_srane_pages(client, school):
    from rrupn.accounts.models import Role

    from ..factories import RoleAssignmentFactory

    teacher = RoleAssignmentFactory(establishment=school, role=Role.TEACHER).user
    announcement = announce()
    client.force_login(teacher)
    for name, args in [
        ("relay_srane:list", []),
        ("relay_srane:create", []),
        ("relay_srane:detail", [announcement.pk]),
        ("relay_srane:edit", [announcement.pk]),
        ("relay_srane:reads_csv", [announcement.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert client.post(reverse("relay_srane:create"), form_data()).status_code == 403
    assert Announcement.objects.count() == 1


def test_email_once_per_audience_member(
    client,
    srane87,
    school,
    other_school,
    far_school,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    twice = rrupn_of(school)
    rrupn_of(other_school, user=twice)  # RRUPN of two schools of 87: one e-mail
    second = rrupn_of(other_school)
    rrupn_of(far_school)  # Corrèze: not in the audience
    client.force_login(srane87)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("relay_srane:create"), form_data(email="on"))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == sorted([twice.email, second.email])
    assert all(len(m.to) == 1 for m in mailoutbox)
    assert "Appel à FIL : classes virtuelles" in mailoutbox[0].subject
    assert Announcement.objects.get().emailed_at is not None


def test_no_email_without_the_checkbox(
    client, srane87, school, mailoutbox, django_capture_on_commit_callbacks
):
    rrupn_of(school)
    client.force_login(srane87)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("relay_srane:create"), form_data())
    assert Announcement.objects.exists() and not mailoutbox


def test_a_future_publication_date_schedules(client, srane87):
    client.force_login(srane87)
    later = timezone.localdate() + datetime.timedelta(days=3)
    client.post(reverse("relay_srane:create"), form_data(publish_on=later.isoformat()))
    announcement = Announcement.objects.get()
    assert timezone.localdate(announcement.published_at) == later
    assert announcement.state() == "scheduled"


def test_a_scheduled_announcements_email_waits_for_its_publication_day(
    client, srane87, school, mailoutbox, django_capture_on_commit_callbacks
):
    """RRUPNs are not told of an announcement they cannot see yet: the e-mail leaves when the
    periodic task finds the publication has come, once however often it runs."""
    from rrupn.relay.services import announcement_emails_due
    from rrupn.relay.tasks import send_due_announcement_emails

    member = rrupn_of(school)
    client.force_login(srane87)
    later = timezone.localdate() + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("relay_srane:create"), form_data(publish_on=later.isoformat(), email="on")
        )
    announcement = Announcement.objects.get()
    assert announcement.email_pending and announcement.emailed_at is None and not mailoutbox
    page = client.get(reverse("relay_srane:detail", args=[announcement.pk])).content.decode()
    assert "courriel prévu le jour de la publication" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_announcement_emails.apply().get() == 0  # not yet
    assert not mailoutbox

    publication = announcement.published_at + datetime.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert announcement_emails_due(now=publication) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert announcement_emails_due(now=publication) == 0  # claimed: never twice
    assert [m.to for m in mailoutbox] == [[member.email]]
    announcement.refresh_from_db()
    assert not announcement.email_pending and announcement.emailed_at is not None
