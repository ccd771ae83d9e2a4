"""The maintenance demo: incidents in various states, one per channel kind, and equipment needs;
loading twice adds nothing; nothing is sent at load time (no GLPI call, no e-mail)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from maintenance.models import (
    ChannelKind,
    Delivery,
    DeliveryStatus,
    EquipmentNeed,
    EquipmentState,
    Followup,
    Level1Note,
    Ticket,
    TicketStatus,
)
from rrupn.accounts.models import User
from rrupn.audit.models import AuditEntry

CSV = Path(__file__).resolve().parents[2] / "data" / "establishments_limoges.csv"

pytestmark = pytest.mark.django_db

MAUPASSANT, PERRIER, NADAUD = "0870022B", "0190032G", "0230487E"
MODELS = [Ticket, Delivery, Followup, Level1Note, EquipmentNeed, AuditEntry]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def load(capture):
    with capture(execute=True):
        call_command("import_establishments", str(CSV), stdout=StringIO())
        call_command("load_demo", stdout=StringIO())


def test_demo_tickets_cover_every_channel_kind_and_nothing_is_sent(
    django_capture_on_commit_callbacks, monkeypatch
):
    # Any HTTP call at load time would fail this test (the demo GLPI URLs are real ones).
    import requests

    def no_network(*args, **kwargs):
        raise AssertionError(f"network call at load time: {args} {kwargs}")

    monkeypatch.setattr(requests.Session, "request", no_network)
    load(django_capture_on_commit_callbacks)
    maintenance_mail = [m for m in mail.outbox if "incident" in m.subject.lower()]
    assert maintenance_mail == []
    assert not any("Besoin d'équipement" in m.subject for m in mail.outbox)

    by_school = {}
    for ticket in Ticket.objects.select_related("establishment", "channel"):
        by_school.setdefault(ticket.establishment.uai, []).append(ticket)
    statuses = {t.status for t in Ticket.objects.all()}
    assert {
        TicketStatus.FAILED,
        TicketStatus.TO_RRUPN,
        TicketStatus.RESOLVED,
        TicketStatus.SENT,
        TicketStatus.AWAITING_HEAD,
        TicketStatus.QUEUED,
    } <= statuses
    kinds = set(Delivery.objects.values_list("channel__kind", flat=True))
    assert kinds == {ChannelKind.GLPI, ChannelKind.EMAIL, ChannelKind.HANDOFF}
    # Nothing waits to be sent by the worker: no queued or sending delivery.
    assert not Delivery.objects.filter(
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]
    ).exists()
    failed = Delivery.objects.get(status=DeliveryStatus.FAILED)
    assert failed.ticket.establishment.uai == MAUPASSANT and failed.permanent_failure
    assert failed.channel.code == "glpi-cd87" and "jeton utilisateur GLPI" in failed.last_error
    waiting = Delivery.objects.get(status=DeliveryStatus.WAITING_MANUAL)
    assert waiting.ticket.establishment.uai == PERRIER
    assert Ticket.objects.get(status=TicketStatus.AWAITING_HEAD).establishment.uai == PERRIER
    email = Delivery.objects.get(channel__kind=ChannelKind.EMAIL, followup=None)
    assert email.ticket.establishment.uai == NADAUD and email.status == DeliveryStatus.SENT
    assert Followup.objects.get().ticket == email.ticket
    assert Level1Note.objects.get().establishment.uai == MAUPASSANT
    states = set(EquipmentNeed.objects.values_list("establishment__uai", "state"))
    assert states == {
        (MAUPASSANT, EquipmentState.VALIDATED),
        (MAUPASSANT, EquipmentState.PROPOSED),
        (PERRIER, EquipmentState.PROPOSED),
    }


def test_demo_maintenance_loads_twice_without_adding_anything(django_capture_on_commit_callbacks):
    load(django_capture_on_commit_callbacks)
    before = {model.__name__: model.objects.count() for model in MODELS}
    load(django_capture_on_commit_callbacks)
    assert {model.__name__: model.objects.count() for model in MODELS} == before


def test_demo_pages_show_the_tickets(client, django_capture_on_commit_callbacks):
    load(django_capture_on_commit_callbacks)
    client.force_login(User.objects.get(email="camille.fauvette@ac-limoges.fr"))
    failed = Ticket.objects.get(status=TicketStatus.FAILED)
    page = client.get(reverse("maintenance:tickets_detail", args=[MAUPASSANT, failed.pk]))
    assert page.status_code == 200 and "Échec — réessayer" in page.content.decode()
    listing = client.get(reverse("maintenance:tickets_list", args=[MAUPASSANT])).content.decode()
    assert "Le copieur de la salle des professeurs bourre" in listing
    client.force_login(User.objects.get(email="sophie.alouette@ac-limoges.fr"))
    inbox = client.get(reverse("dashboard:inbox", args=[PERRIER])).content.decode()
    assert "Wifi du CDI coupé" in inbox
