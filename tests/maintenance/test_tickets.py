"""Incidents: routed at submission, attachments checked, teacher → RRUPN → channel, the lycée's
GLPI rights, hand-off "marquer comme transmis", level-1 fixes."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maintenance.models import (
    Delivery,
    DeliveryStatus,
    Level1Note,
    LyceeGlpiRight,
    RoutingRule,
    Ticket,
    TicketAttachment,
    TicketCategory,
    TicketStatus,
)
from maintenance.tickets import services
from maintenance.tickets.services import TicketData, TicketError
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry

from ..factories import EstablishmentFactory, RoleAssignmentFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def staff(school, role):
    return RoleAssignmentFactory(establishment=school, role=role).user


def category(code="poste"):
    return TicketCategory.objects.get(code=code)


def data(code="poste", **changes) -> TicketData:
    values = {
        "category": category(code),
        "title": "Vidéoprojecteur de la B12 éteint",
        "description": "Il ne s'allume plus depuis lundi.",
        "room": "B12",
        "equipment": "Epson EB-530",
    }
    return TicketData(**{**values, **changes})


def report(school, user, roles, submit=True, **changes):
    return services.ticket_report(
        establishment=school, user=user, roles=roles, data=data(**changes), submit=submit
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def lycee(db):
    return EstablishmentFactory(name="Lycée Cabanis", department_code="19", kind="lycee")


@pytest.fixture
def college19(db):
    return EstablishmentFactory(name="Collège Clemenceau", department_code="19")


# --- routing at submission -------------------------------------------------------------------


def test_the_rrupns_ticket_is_routed_and_queued_with_its_delivery_in_one_go(school):
    rrupn = staff(school, Role.RRUPN)
    ticket = report(school, rrupn, {Role.RRUPN})
    assert ticket.status == TicketStatus.QUEUED
    assert ticket.channel.code == "glpi-cd87"
    delivery = Delivery.objects.get(ticket=ticket)
    assert delivery.status == DeliveryStatus.QUEUED and delivery.channel == ticket.channel
    actions = list(
        AuditEntry.objects.filter(object_id=str(ticket.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["ticket.created", "ticket.submitted"]
    assert ticket.reference == f"RRUPN-{ticket.pk:06d}"


def test_an_academie_network_incident_goes_to_amerana_by_hand(school):
    ticket = report(school, staff(school, Role.RRUPN), {Role.RRUPN}, code="reseau-academique")
    assert ticket.channel.code == "amerana"
    assert Delivery.objects.get(ticket=ticket).status == DeliveryStatus.WAITING_MANUAL


def test_no_route_refuses_the_report_and_saves_nothing(client, school, media):
    RoutingRule.objects.filter(school_group="college", department="87").delete()
    rrupn = staff(school, Role.RRUPN)
    client.force_login(rrupn)
    response = client.post(
        reverse("maintenance:tickets_create", args=[school.uai]),
        {
            "category": category("impression").pk,
            "title": "Copieur en panne",
            "description": "Bourrage permanent.",
            "urgency": "normal",
            "attachments": [SimpleUploadedFile("copieur.png", PNG)],
        },
    )
    assert response.status_code == 200
    assert "Aucune règle d’acheminement" in response.content.decode()
    assert not Ticket.objects.exists() and not Delivery.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="ticket.").exists()
    assert not media.exists() or not any(media.rglob("*.*"))  # no orphan file either


def test_a_draft_is_routed_only_when_sent(client, school):
    rrupn = staff(school, Role.RRUPN)
    ticket = report(school, rrupn, {Role.RRUPN}, submit=False)
    assert ticket.status == TicketStatus.DRAFT and ticket.channel is None
    assert not Delivery.objects.exists()
    client.force_login(rrupn)
    response = client.post(reverse("maintenance:tickets_submit", args=[school.uai, ticket.pk]))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.QUEUED and Delivery.objects.filter(ticket=ticket).exists()


def test_only_the_author_edits_a_draft_and_others_do_not_see_it(client, school):
    rrupn = staff(school, Role.RRUPN)
    ticket = report(school, rrupn, {Role.RRUPN}, submit=False)
    head = staff(school, Role.HEAD)
    client.force_login(head)
    assert (
        client.get(reverse("maintenance:tickets_detail", args=[school.uai, ticket.pk])).status_code
        == 404
    )
    client.force_login(rrupn)
    url = reverse("maintenance:tickets_edit", args=[school.uai, ticket.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "category": category("video").pk,
            "title": "Vidéoprojecteur B12",
            "description": "Toujours éteint.",
            "urgency": "high",
            "brouillon": "1",
        },
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.title, ticket.urgency, ticket.status) == (
        "Vidéoprojecteur B12",
        "high",
        TicketStatus.DRAFT,
    )


# --- attachments --------------------------------------------------------------------------------


def post_report(client, school, files):
    return client.post(
        reverse("maintenance:tickets_create", args=[school.uai]),
        {
            "category": category().pk,
            "title": "Poste 3 bloqué",
            "description": "Écran bleu au démarrage.",
            "urgency": "normal",
            "attachments": files,
        },
    )


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([SimpleUploadedFile("virus.exe", b"MZ\x90\x00")], "seuls les fichiers JPEG, PNG et PDF"),
        ([SimpleUploadedFile("photo.gif", b"GIF89a")], "seuls les fichiers JPEG, PNG et PDF"),
        (
            [SimpleUploadedFile("photo.png", b"ceci n'est pas une image")],
            "n'est pas un vrai fichier PNG",
        ),
        ([SimpleUploadedFile("notice.pdf", PNG)], "n'est pas un vrai fichier PDF"),
        (
            [SimpleUploadedFile("grande.jpg", JPEG + b"\x00" * (5 * 1024 * 1024))],
            "5 Mo au plus par fichier",
        ),
        ([SimpleUploadedFile(f"p{i}.png", PNG) for i in range(6)], "5 pièces jointes au plus"),
    ],
    ids=["exe", "gif", "fake-png", "png-named-pdf", "too-large", "too-many"],
)
def test_bad_attachments_are_refused_clearly_and_nothing_is_saved(
    client, school, media, files, message
):
    client.force_login(staff(school, Role.RRUPN))
    response = post_report(client, school, files)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Ticket.objects.exists() and not TicketAttachment.objects.exists()
    assert not media.exists() or not any(media.rglob("*.*"))


def test_good_attachments_are_kept_under_random_names(client, school, media):
    client.force_login(staff(school, Role.RRUPN))
    files = [
        SimpleUploadedFile("écran bleu.PNG", PNG),
        SimpleUploadedFile("photo.jpeg", JPEG),
        SimpleUploadedFile("notice.pdf", PDF),
    ]
    response = post_report(client, school, files)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    stored = {a.original_name: a for a in ticket.attachments.all()}
    assert set(stored) == {"écran bleu.PNG", "photo.jpeg", "notice.pdf"}
    assert stored["notice.pdf"].content_type == "application/pdf"
    assert all("écran" not in a.file.name for a in stored.values())
    download = client.get(
        reverse(
            "maintenance:tickets_attachment",
            args=[school.uai, ticket.pk, stored["écran bleu.PNG"].pk],
        )
    )
    assert download.status_code == 200 and download.content == PNG


def test_the_service_checks_its_input_too(school):
    rrupn = staff(school, Role.RRUPN)
    with pytest.raises(TicketError, match="urgence"):
        report(school, rrupn, {Role.RRUPN}, urgency="extreme")
    with pytest.raises(TicketError, match="titre"):
        report(school, rrupn, {Role.RRUPN}, title="  ")
    assert not Ticket.objects.exists()


def test_the_service_checks_attachments_too(school):
    with pytest.raises(TicketError, match="pas un vrai fichier JPG"):
        services.attachments_check([SimpleUploadedFile("a.jpg", PNG)])
    with pytest.raises(TicketError, match="5 pièces jointes au plus"):
        services.attachments_check([SimpleUploadedFile("a.png", PNG)], already=5)


# --- teacher → RRUPN → channel -----------------------------------------------------------------


def test_a_teachers_report_waits_for_the_rrupn_who_forwards_it(client, school):
    teacher = staff(school, Role.TEACHER)
    client.force_login(teacher)
    response = client.post(
        reverse("maintenance:tickets_create", args=[school.uai]),
        {
            "category": category().pk,
            "title": "Poste du professeur en salle 12",
            "description": "Pas de son.",
            "urgency": "low",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert ticket.status == TicketStatus.TO_RRUPN and not Delivery.objects.exists()
    assert "signalé au RRUPN" in messages_of(response)[0]
    # The teacher cannot forward it.
    forward = reverse("maintenance:tickets_forward", args=[school.uai, ticket.pk])
    assert client.post(forward).status_code == 403

    rrupn = staff(school, Role.RRUPN)
    client.force_login(rrupn)
    page = client.get(reverse("maintenance:tickets_list", args=[school.uai])).content.decode()
    assert "Signalements à transmettre" in page and "Poste du professeur en salle 12" in page
    response = client.post(forward, {"comment": "Vu en salle : câble HP débranché ? Non."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.QUEUED and ticket.channel.code == "glpi-cd87"
    assert Delivery.objects.filter(ticket=ticket, status=DeliveryStatus.QUEUED).count() == 1
    # A second click changes nothing.
    with pytest.raises(TicketError, match="déjà"):
        services.ticket_forward(ticket=ticket, user=rrupn, roles={Role.RRUPN})
    assert Delivery.objects.filter(ticket=ticket).count() == 1


def test_a_teacher_sees_only_their_own_tickets(client, school):
    rrupn = staff(school, Role.RRUPN)
    theirs = report(school, rrupn, {Role.RRUPN}, title="Incident du RRUPN")
    teacher = staff(school, Role.TEACHER)
    mine = report(school, teacher, {Role.TEACHER}, title="Mon incident")
    client.force_login(teacher)
    page = client.get(reverse("maintenance:tickets_list", args=[school.uai])).content.decode()
    assert "Mon incident" in page and "Incident du RRUPN" not in page
    detail = "maintenance:tickets_detail"
    assert client.get(reverse(detail, args=[school.uai, mine.pk])).status_code == 200
    assert client.get(reverse(detail, args=[school.uai, theirs.pk])).status_code == 404


def test_another_schools_ticket_does_not_exist_here(client, school, other_school):
    theirs = report(other_school, staff(other_school, Role.RRUPN), {Role.RRUPN})
    client.force_login(staff(school, Role.RRUPN))
    url = reverse("maintenance:tickets_detail", args=[school.uai, theirs.pk])
    assert client.get(url).status_code == 404


# --- lycée: the Région's GLPI and the head --------------------------------------------------------


def test_a_lycee_rrupns_ticket_waits_for_the_head_until_rights_are_recorded(client, lycee):
    rrupn, head = staff(lycee, Role.RRUPN), staff(lycee, Role.HEAD)
    ticket = report(lycee, rrupn, {Role.RRUPN}, title="Wifi du CDI coupé")
    assert ticket.status == TicketStatus.AWAITING_HEAD
    assert ticket.channel.code == "glpi-region" and not Delivery.objects.exists()

    client.force_login(head)
    inbox = client.get(reverse("dashboard:inbox", args=[lycee.uai])).content.decode()
    assert "Incidents de lycée à transmettre" in inbox and "Wifi du CDI coupé" in inbox
    response = client.post(reverse("maintenance:tickets_forward", args=[lycee.uai, ticket.pk]))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.QUEUED
    assert Delivery.objects.get(ticket=ticket).status == DeliveryStatus.QUEUED
    inbox = client.get(reverse("dashboard:inbox", args=[lycee.uai])).content.decode()
    assert "Wifi du CDI coupé" not in inbox

    # The head records the RRUPN's rights: the next ticket goes straight to the Région.
    right_url = reverse("maintenance:tickets_glpi_right", args=[lycee.uai])
    assert client.post(right_url, {"droits": "oui"}).status_code == 302
    assert LyceeGlpiRight.objects.get(establishment=lycee).granted_by == head
    assert "Le RRUPN a les droits GLPI." in client.get(right_url).content.decode()
    again = report(lycee, rrupn, {Role.RRUPN})
    assert again.status == TicketStatus.QUEUED


def test_the_rrupn_cannot_forward_what_waits_for_the_head(lycee):
    rrupn = staff(lycee, Role.RRUPN)
    ticket = report(lycee, rrupn, {Role.RRUPN})
    with pytest.raises(TicketError, match="équipe de direction"):
        services.ticket_forward(ticket=ticket, user=rrupn, roles={Role.RRUPN})
    assert Ticket.objects.get().status == TicketStatus.AWAITING_HEAD


def test_a_lycee_teachers_report_forwarded_by_the_rrupn_goes_to_the_head(lycee):
    teacher, rrupn = staff(lycee, Role.TEACHER), staff(lycee, Role.RRUPN)
    ticket = report(lycee, teacher, {Role.TEACHER})
    assert ticket.status == TicketStatus.TO_RRUPN
    services.ticket_forward(ticket=ticket, user=rrupn, roles={Role.RRUPN})
    assert ticket.status == TicketStatus.AWAITING_HEAD


def test_the_head_reports_on_the_regions_glpi_directly(lycee):
    ticket = report(lycee, staff(lycee, Role.HEAD), {Role.HEAD})
    assert ticket.status == TicketStatus.QUEUED


def test_only_the_head_records_glpi_rights(client, lycee):
    client.force_login(staff(lycee, Role.RRUPN))
    url = reverse("maintenance:tickets_glpi_right", args=[lycee.uai])
    assert client.post(url, {"droits": "oui"}).status_code == 403
    assert not LyceeGlpiRight.objects.exists()


# --- hand-off channels --------------------------------------------------------------------------


def test_a_handoff_shows_the_text_to_paste_and_is_marked_as_sent(client, college19):
    rrupn = staff(college19, Role.RRUPN)
    ticket = report(college19, rrupn, {Role.RRUPN}, code="impression", title="Copieur HS")
    assert ticket.channel.code == "correze-gestionnaire"
    delivery = Delivery.objects.get(ticket=ticket)
    assert delivery.status == DeliveryStatus.WAITING_MANUAL
    gestionnaire = staff(college19, Role.GESTIONNAIRE)
    client.force_login(gestionnaire)
    detail = reverse("maintenance:tickets_detail", args=[college19.uai, ticket.pk])
    page = client.get(detail).content.decode()
    assert "ws.correze.fr" in page and "Marquer comme transmis" in page
    for expected in (college19.uai, college19.name, ticket.reference, "B12", "Epson EB-530"):
        assert expected in page
    assert rrupn.email in page

    mark = reverse("maintenance:tickets_mark_sent", args=[college19.uai, ticket.pk])
    empty = client.post(mark, {"external_ref": ""})
    assert empty.status_code == 200 and "Indiquez la référence" in empty.content.decode()
    response = client.post(mark, {"external_ref": "WS-2026-0412"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    delivery.refresh_from_db()
    assert ticket.status == TicketStatus.SENT and ticket.external_ref == "WS-2026-0412"
    assert delivery.status == DeliveryStatus.SENT and delivery.external_ref == "WS-2026-0412"
    assert "Marquer comme transmis" not in client.get(detail).content.decode()
    with pytest.raises(TicketError, match="n'attend pas"):
        services.ticket_mark_sent(ticket=ticket, user=gestionnaire, external_ref="X")


def test_a_glpi_ticket_cannot_be_marked_as_sent_by_hand(school):
    rrupn = staff(school, Role.RRUPN)
    ticket = report(school, rrupn, {Role.RRUPN})
    with pytest.raises(TicketError, match="n'attend pas"):
        services.ticket_mark_sent(ticket=ticket, user=rrupn, external_ref="123")
    assert Delivery.objects.get().status == DeliveryStatus.QUEUED


# --- level 1 -------------------------------------------------------------------------------------


def test_the_rrupn_fixes_it_themselves_and_logs_the_time(client, school):
    teacher, rrupn = staff(school, Role.TEACHER), staff(school, Role.RRUPN)
    ticket = report(school, teacher, {Role.TEACHER})
    client.force_login(rrupn)
    url = reverse("maintenance:tickets_level1", args=[school.uai, ticket.pk])
    bad = client.post(url, {"done_on": "12/03/2026", "minutes_spent": "0", "note": "x"})
    assert bad.status_code == 200 and "au moins 1 minute" in bad.content.decode()
    response = client.post(
        url, {"done_on": "02/03/2026", "minutes_spent": "25", "note": "Câble HDMI remplacé."}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED and ticket.resolved_at is not None
    note = Level1Note.objects.get(ticket=ticket)
    assert (note.minutes_spent, note.author, note.establishment) == (25, rrupn, school)
    page = client.get(reverse("maintenance:tickets_detail", args=[school.uai, ticket.pk]))
    assert "Câble HDMI remplacé." in page.content.decode()
    assert "résolu par le RRUPN (25 min)" in page.content.decode()
    with pytest.raises(TicketError, match="déjà"):
        services.ticket_resolve_level1(
            ticket=ticket, user=rrupn, done_on=note.done_on, minutes_spent=5, note="encore"
        )


def test_a_teacher_cannot_log_level1(client, school):
    teacher = staff(school, Role.TEACHER)
    ticket = report(school, teacher, {Role.TEACHER})
    client.force_login(teacher)
    url = reverse("maintenance:tickets_level1", args=[school.uai, ticket.pk])
    assert client.post(url, {"minutes_spent": "5"}).status_code == 403
    assert not Level1Note.objects.exists()


def test_a_failed_delivery_is_shown_in_words_on_the_ticket(client, school):
    rrupn = staff(school, Role.RRUPN)
    ticket = report(school, rrupn, {Role.RRUPN})
    Delivery.objects.filter(ticket=ticket).update(
        status=DeliveryStatus.FAILED, last_error="Jeton refusé par le GLPI (401)."
    )
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.FAILED)
    client.force_login(rrupn)
    page = client.get(reverse("maintenance:tickets_detail", args=[school.uai, ticket.pk]))
    html = page.content.decode()
    assert "Échec de transmission" in html and "Jeton refusé par le GLPI (401)." in html


def test_editing_and_sending_a_draft_is_all_or_nothing(client, school):
    rrupn = staff(school, Role.RRUPN)
    ticket = report(school, rrupn, {Role.RRUPN}, submit=False)
    RoutingRule.objects.filter(school_group="college", department="87").delete()
    client.force_login(rrupn)
    response = client.post(
        reverse("maintenance:tickets_edit", args=[school.uai, ticket.pk]),
        {
            "category": category("video").pk,
            "title": "Titre changé",
            "description": "Toujours éteint.",
            "urgency": "high",
            "envoyer": "1",
        },
    )
    assert response.status_code == 200
    assert "Aucune règle d’acheminement" in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.title, ticket.status) == ("Vidéoprojecteur de la B12 éteint", "draft")
