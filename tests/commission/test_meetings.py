"""Meetings: agenda, attendance, minutes, actions, the .ics invitation, the minutes PDF."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commission.members import services
from commission.members.ics import escape, fold, meeting_ics
from commission.members.pdf import minutes_pdf_render
from commission.members.services import CommissionError, MeetingData
from commission.models import Action, ActionStatus, Attendance, MemberCategory, Presence
from rrupn.audit.models import AuditEntry

from ..conftest import service_or_skip
from ..factories import EstablishmentFactory
from .factories_members import action, commission, meeting, member, staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def rrupn(persona_user):
    return persona_user("rrupn")


@pytest.fixture
def com(school):
    return commission(school)


def in_days(days, hour=17):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


# --- Meetings, attendance, minutes ---------------------------------------------------------------


def test_create_a_meeting_with_its_agenda(com, rrupn):
    data = MeetingData(
        starts_at=in_days(10),
        place=" CDI ",
        agenda=["Bilan des usages", "", "  Choix de l'ENT  "],
    )
    created = services.meeting_create(commission=com, user=rrupn, data=data)
    assert created.place == "CDI"
    assert list(created.agenda.values_list("title", flat=True)) == [
        "Bilan des usages",
        "Choix de l'ENT",
    ]
    entry = AuditEntry.objects.get(action="commission.meeting_created")
    assert entry.establishment == com.establishment


def test_a_meeting_needs_a_place_or_a_link(com, rrupn):
    with pytest.raises(CommissionError, match="un lieu ou un lien"):
        services.meeting_create(
            commission=com, user=rrupn, data=MeetingData(starts_at=in_days(3), place="  ")
        )
    assert not com.meetings.exists()


def test_attendance_in_one_form(com, rrupn):
    present, excused, absent = (member(com) for _ in range(3))
    stranger = member(commission(EstablishmentFactory()))
    held = meeting(com, days=-1)
    with pytest.raises(CommissionError, match="pas membre"):
        services.attendance_record(
            meeting=held,
            user=rrupn,
            revision=held.revision,
            presences={present.pk: Presence.PRESENT, stranger.pk: Presence.PRESENT},
        )
    assert not Attendance.objects.exists()
    presences = {
        present.pk: Presence.PRESENT,
        excused.pk: Presence.EXCUSED,
        absent.pk: Presence.ABSENT,
    }
    services.attendance_record(
        meeting=held, user=rrupn, revision=held.revision, presences=presences
    )
    recorded = dict(held.attendance.values_list("member_id", "presence"))
    assert recorded == presences
    # Recorded again: replaced, not doubled.
    services.attendance_record(
        meeting=held, user=rrupn, revision=held.revision, presences={absent.pk: "present"}
    )
    assert dict(held.attendance.values_list("member_id", "presence")) == {absent.pk: "present"}


def test_stale_minutes_are_refused(com, rrupn):
    held = meeting(com, days=-1)
    seen = held.revision
    services.minutes_save(meeting=held, user=rrupn, revision=seen, minutes="Première version")
    with pytest.raises(CommissionError, match="modifiée entre-temps"):
        services.minutes_save(meeting=held, user=rrupn, revision=seen, minutes="Écrasement")
    held.refresh_from_db()
    assert held.minutes == "Première version"


# --- Actions ------------------------------------------------------------------------------------


def test_an_action_owner_must_be_a_member_of_that_commission(com, rrupn):
    outsider = member(commission(EstablishmentFactory()))
    held = meeting(com, days=-1)
    with pytest.raises(CommissionError, match="doit être membre de la commission"):
        services.action_create(commission=com, meeting=held, user=rrupn, title="X", owner=outsider)
    assert not Action.objects.exists()
    owner = member(com)
    before = held.revision
    created = services.action_create(
        commission=com, meeting=held, user=rrupn, title=" Former  à Pix ", owner=owner
    )
    assert created.title == "Former à Pix" and created.status == ActionStatus.TODO
    held.refresh_from_db()
    assert held.revision == before + 1  # the minutes (and their PDF) now list it


def test_action_status_follows_a_conditional_update(com, rrupn):
    followed = action(com)
    services.action_set_status(
        action=followed, user=rrupn, seen_status="todo", status=ActionStatus.IN_PROGRESS
    )
    with pytest.raises(CommissionError, match="entre-temps"):
        services.action_set_status(action=followed, user=rrupn, seen_status="todo", status="done")
    followed.refresh_from_db()
    assert followed.status == ActionStatus.IN_PROGRESS
    assert AuditEntry.objects.filter(action="commission.action_status").count() == 1


def test_open_actions_follow_from_meeting_to_meeting(client, school, com, rrupn):
    first = meeting(com, days=-30)
    action(com, meeting=first, title="Déployer les visualiseuses")
    action(com, meeting=first, title="Action close", status=ActionStatus.DONE)
    later = meeting(com, days=5)
    client.force_login(rrupn)
    page = client.get(reverse("commission:meeting_detail", args=[school.uai, later.pk]))
    text = page.content.decode()
    assert "Déployer les visualiseuses" in text and "Action close" not in text
    assert first.starts_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y") in text


def test_owner_outside_the_commission_refused_on_the_page(client, school, com, rrupn):
    held = meeting(com, days=-1)
    member(com)
    stranger = member(commission(EstablishmentFactory()))
    client.force_login(rrupn)
    response = client.post(
        reverse("commission:meeting_action_create", args=[school.uai, held.pk]),
        {"title": "Former", "owner": stranger.pk},
        follow=True,
    )
    assert "Le responsable d&#x27;une action doit être membre de la commission." in (
        response.content.decode()
    )
    assert not Action.objects.exists()


def test_action_list_updates_a_status(client, school, com, rrupn):
    followed = action(com, title="Installer la webradio")
    client.force_login(rrupn)
    url = reverse("commission:action_status", args=[school.uai, followed.pk])
    response = client.post(url, {"seen_status": "todo", "status": "done"}, follow=True)
    assert "Installer la webradio" in response.content.decode()
    followed.refresh_from_db()
    assert followed.status == ActionStatus.DONE
    other = action(commission(EstablishmentFactory()))
    assert (
        client.post(
            reverse("commission:action_status", args=[school.uai, other.pk]),
            {"seen_status": "todo", "status": "done"},
        ).status_code
        == 404
    )


def test_another_schools_meeting_is_not_found(client, school, rrupn):
    theirs = meeting(commission(EstablishmentFactory()))
    client.force_login(rrupn)
    url = reverse("commission:meeting_detail", args=[school.uai, theirs.pk])
    assert client.get(url).status_code == 404


def test_pages_create_record_and_edit(client, school, com, rrupn):
    teacher = member(com, staff(school, first_name="Julie", last_name="Rougegorge"))
    client.force_login(rrupn)
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    create = reverse("commission:meeting_create", args=[school.uai])
    bad = client.post(create, {"day": day, "time": "17:00", "duration_minutes": 60})
    assert "Indiquez un lieu ou un lien de visioconférence." in bad.content.decode()
    response = client.post(
        create,
        {
            "day": day,
            "time": "17:30",
            "duration_minutes": 45,
            "visio_url": "https://visio.example.test/commission",
            "agenda": "Bilan\nPix",
        },
    )
    created = com.meetings.get()
    assert response.url == reverse("commission:meeting_detail", args=[school.uai, created.pk])
    assert timezone.localtime(created.starts_at).strftime("%H:%M") == "17:30"

    detail = client.get(response.url).content.decode()
    assert "Julie Rougegorge" in detail and "Excusé" in detail
    client.post(
        reverse("commission:meeting_attendance", args=[school.uai, created.pk]),
        {"revision": created.revision, f"presence_{teacher.pk}": "excused"},
    )
    assert created.attendance.get().presence == "excused"
    created.refresh_from_db()
    client.post(
        reverse("commission:meeting_minutes", args=[school.uai, created.pk]),
        {"revision": created.revision, "minutes": "Tout va bien."},
    )
    created.refresh_from_db()
    assert created.minutes == "Tout va bien."

    edit = reverse("commission:meeting_edit", args=[school.uai, created.pk])
    form = client.get(edit).content.decode()
    assert f'value="{day}"' in form and "Bilan\nPix" in form
    stale = client.post(
        edit,
        {"day": day, "time": "18:00", "duration_minutes": 45, "place": "CDI", "revision": 1},
    )
    assert "modifiée entre-temps" in stale.content.decode()


def test_meeting_list_queries_stay_constant(client, school, com, rrupn):
    def grow(n):
        for days in range(n):
            held = meeting(com, days=-days - 1)
            services.meeting_update(
                meeting=held,
                user=rrupn,
                revision=held.revision,
                data=MeetingData(starts_at=held.starts_at, place="CDI", agenda=["Un", "Deux"]),
            )

    client.force_login(rrupn)
    grow(2)
    urls = [
        reverse(name, args=[school.uai])
        for name in ("commission:meeting_list", "commission:action_list")
    ]
    for _ in range(2):
        action(com, meeting=com.meetings.first())
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        grow(3)
        for _ in range(3):
            action(com, meeting=com.meetings.last())
        with CaptureQueriesContext(connection) as more:
            assert client.get(url).status_code == 200
        assert len(more) == len(few), url


def test_meeting_page_queries_stay_constant(client, school, com, rrupn):
    held = meeting(com, days=-1)
    client.force_login(rrupn)
    url = reverse("commission:meeting_detail", args=[school.uai, held.pk])

    def grow(n):
        for _ in range(n):
            someone = member(com)
            Attendance.objects.create(meeting=held, member=someone, presence="present")
            action(com, owner=someone, meeting=held)
            action(com, owner=someone, meeting=meeting(com, days=-9))

    grow(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(3)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)


# --- Invitation ---------------------------------------------------------------------------------


def test_no_invitation_for_a_meeting_in_the_past(
    client, school, com, rrupn, mailoutbox, django_capture_on_commit_callbacks
):
    member(com, rrupn)
    held = meeting(com, days=-1)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommissionError):
        services.invitation_send(meeting=held, user=rrupn)
    client.force_login(rrupn)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("commission:meeting_invite", args=[school.uai, held.pk]), follow=True
        )
    assert "est passée : aucune invitation n&#x27;a été envoyée." in response.content.decode()
    assert mailoutbox == []
    held.refresh_from_db()
    assert held.invitation_sent_at is None


def test_invitation_with_ics_to_members_with_an_address(
    school, com, rrupn, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://rrupn.ac-limoges.fr"
    member(com, rrupn, category=MemberCategory.RRUPN)
    member(com, staff(school, email="julie.rougegorge@ac-limoges.fr"))
    member(com, outsider_name="Léa Parent", category=MemberCategory.PARENT)  # no address
    long_point = "Point très long sur l'équipement numérique, les usages, la formation; " * 3
    planned = services.meeting_create(
        commission=com,
        user=rrupn,
        data=MeetingData(
            starts_at=in_days(10, hour=17),
            duration_minutes=90,
            place="Salle du conseil, bâtiment A",
            agenda=["Bilan des usages", long_point],
        ),
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sent = services.invitation_send(meeting=planned, user=rrupn)
        assert mailoutbox == []  # leaves after the commit
    assert callbacks
    [message] = mailoutbox
    assert sorted(message.to) == sorted([rrupn.email, "julie.rougegorge@ac-limoges.fr"]) == sent
    assert "Commission numérique : réunion du" in message.subject
    assert "Bilan des usages" in message.body and "Salle du conseil" in message.body
    [(filename, ics, mimetype)] = message.attachments
    assert (filename, mimetype) == ("reunion-commission.ics", "text/calendar")

    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert "\n" not in ics.replace("\r\n", "")  # CRLF everywhere
    lines = ics.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)  # the long description was folded
    unfolded = ics.replace("\r\n ", "")
    start = timezone.localtime(planned.starts_at).astimezone(datetime.UTC)
    end = start + datetime.timedelta(minutes=90)
    assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z" in unfolded
    assert f"DTEND:{end:%Y%m%dT%H%M%S}Z" in unfolded
    assert f"UID:commission-reunion-{planned.pk}@rrupn.ac-limoges.fr" in unfolded
    assert "BEGIN:VEVENT" in unfolded and "END:VEVENT" in unfolded
    assert "LOCATION:Salle du conseil\\, bâtiment A" in unfolded
    assert f"SUMMARY:Commission numérique — {school.name}" in unfolded
    description = re.search(r"DESCRIPTION:(.*)", unfolded).group(1)
    assert description.startswith("Ordre du jour :\\n- Bilan des usages\\n- Point très long")
    assert "formation\\; " in description

    planned.refresh_from_db()
    assert planned.invitation_sent_at is not None
    assert AuditEntry.objects.get(action="commission.invitation_sent").after == {"destinataires": 2}


def test_a_visio_meeting_carries_its_link(com, rrupn, settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    planned = meeting(com, days=3, place="", visio_url="https://visio.example.test/abc")
    ics = meeting_ics(planned, agenda=[], url="http://127.0.0.1:8123/x/")
    unfolded = ics.replace("\r\n ", "")
    assert "LOCATION:Visioconférence" in unfolded
    assert "URL:https://visio.example.test/abc" in unfolded
    assert f"UID:commission-reunion-{planned.pk}@127.0.0.1\r\n" in unfolded


def test_folding_never_cuts_a_character():
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in pieces)
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


# --- Minutes PDF --------------------------------------------------------------------------------


def poppler_text(path) -> str:
    service_or_skip(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) absent")
    done = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(done.stdout.split())


def test_minutes_pdf_through_the_worker(
    client, school, com, rrupn, django_capture_on_commit_callbacks
):
    julie = member(com, staff(school, first_name="Julie", last_name="Rougegorge"))
    member(com, outsider_name="Léa Parent", category=MemberCategory.PARENT)
    held = meeting(com, days=-1)
    services.attendance_record(
        meeting=held, user=rrupn, revision=held.revision, presences={julie.pk: "excused"}
    )
    client.force_login(rrupn)
    export = reverse("commission:meeting_minutes_pdf_request", args=[school.uai, held.pk])
    response = client.post(export, follow=True)
    assert "Rédigez le compte rendu avant de l&#x27;exporter en PDF." in response.content.decode()

    held.refresh_from_db()
    services.minutes_save(
        meeting=held, user=rrupn, revision=held.revision, minutes="Le CDI sera équipé."
    )
    services.action_create(
        commission=com, meeting=held, user=rrupn, title="Commander la visualiseuse", owner=julie
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post(export).status_code == 302
    assert callbacks  # rendered after the commit, not inside the request
    held.refresh_from_db()
    assert held.minutes_pdf_status == "ready" and held.minutes_pdf_revision == held.revision
    text = poppler_text(held.minutes_pdf.path)
    for expected in (
        "Compte rendu de la commission numérique",
        school.name,
        "Julie Rougegorge",
        "Excusé",
        "Léa Parent",
        "Le CDI sera équipé.",
        "Commander la visualiseuse",
    ):
        assert expected in text, expected

    download = client.get(reverse("commission:meeting_minutes_pdf", args=[school.uai, held.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    # A change of the minutes makes the stored PDF stale: the page offers a new export.
    services.minutes_save(meeting=held, user=rrupn, revision=held.revision, minutes="Modifié.")
    page = client.get(reverse("commission:meeting_detail", args=[school.uai, held.pk]))
    assert "La réunion a changé depuis le dernier export." in page.content.decode()
    stale = client.get(reverse("commission:meeting_minutes_pdf", args=[school.uai, held.pk]))
    assert stale.status_code == 302


def test_a_failed_rendering_can_be_retried(
    client, school, com, rrupn, settings, tmp_path, django_capture_on_commit_callbacks
):
    held = meeting(com, days=-1, minutes="Compte rendu.")
    client.force_login(rrupn)
    # A real fault: the fonts are nowhere (collectstatic forgotten, no app finder).
    finders, root = settings.STATICFILES_FINDERS, settings.STATIC_ROOT
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "collectstatic-oublie"
    export = reverse("commission:meeting_minutes_pdf_request", args=[school.uai, held.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(export)
    held.refresh_from_db()
    assert held.minutes_pdf_status == "failed" and not held.minutes_pdf
    page = client.get(reverse("commission:meeting_detail", args=[school.uai, held.pk]))
    assert "PDF en échec" in page.content.decode() and "Réessayer" in page.content.decode()

    settings.STATICFILES_FINDERS, settings.STATIC_ROOT = finders, root
    with django_capture_on_commit_callbacks(execute=True):
        client.post(export)
    held.refresh_from_db()
    assert held.minutes_pdf_status == "ready" and held.minutes_pdf_error == ""


def test_rendered_once_per_revision(com, rrupn, media_root):
    held = meeting(com, days=-1, minutes="Version 1")
    held.revision = 99
    held.save(update_fields=["revision"])
    minutes_pdf_render(meeting_id=held.pk)
    held.refresh_from_db()
    assert held.minutes_pdf_revision == 99
    files = list((media_root / "comptes-rendus").iterdir())
    assert len(files) == 1 and files[0].name.endswith("-r99.pdf")
    minutes_pdf_render(meeting_id=held.pk)  # already current: nothing rendered again
    assert list((media_root / "comptes-rendus").iterdir()) == files
    minutes_pdf_render(meeting_id=0)  # a deleted meeting is ignored
