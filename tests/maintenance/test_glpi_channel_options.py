"""Per-channel GLPI options, against the fake GLPI over HTTP: the API flavour (GLPI 11 writes the
portal reference in `externalid` and finds a previous attempt's ticket by it) and the mapping of
the portal's categories to GLPI's `itilcategories_id`."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maintenance.models import (
    Channel,
    ChannelKind,
    DeliveryStatus,
    GlpiCategoryMapping,
    GlpiFlavour,
    TicketCategory,
)

from .delivery_helpers import (  # noqa: F401  (fixtures glpi, media)
    enqueue,
    glpi_channel,
    glpi_fixture,
    make_ticket,
    media_fixture,
    retry_due,
    user_token,
)

pytestmark = pytest.mark.django_db


def glpi11_ticket(glpi):
    glpi.version = 11
    channel = glpi_channel(glpi.url)
    channel.glpi_flavour = GlpiFlavour.GLPI11
    channel.save()
    ticket = make_ticket(channel)
    user_token(channel, ticket.establishment)
    return ticket


def test_glpi11_writes_the_reference_in_externalid(glpi, media, django_capture_on_commit_callbacks):
    ticket = glpi11_ticket(glpi)
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.SENT
    [created] = glpi.tickets.values()
    assert created["externalid"] == ticket.reference


def test_glpi11_retry_finds_the_ticket_by_externalid(
    glpi, media, django_capture_on_commit_callbacks
):
    ticket = glpi11_ticket(glpi)
    glpi.slow_after("POST", "Ticket", seconds=2)  # created, but the client gave up waiting
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.QUEUED
    [created] = glpi.tickets.values()
    # A technician retitles it: a search by title would miss it, externalid does not.
    created["name"] = "Vidéoprojecteur salle B12"
    glpi.tickets[created["id"] + 50] = {**created, "id": created["id"] + 50, "externalid": "X-1"}

    delivery = retry_due(delivery, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.external_ref == str(created["id"])
    assert glpi.requests.count(("POST", "Ticket")) == 1
    assert ("GET", "Ticket") in glpi.requests  # searchText[externalid]
    assert ("GET", "search/Ticket") not in glpi.requests


def test_legacy_flavour_sends_no_externalid_and_searches_the_title(
    glpi, media, django_capture_on_commit_callbacks
):
    glpi.version = 11  # even on a GLPI 11, a channel left on "legacy" behaves as before
    channel = glpi_channel(glpi.url)
    assert channel.glpi_flavour == GlpiFlavour.LEGACY
    ticket = make_ticket(channel)
    user_token(channel, ticket.establishment)
    glpi.fail_next("POST", "Ticket", status=500)
    delivery = enqueue(ticket, django_capture_on_commit_callbacks)
    delivery = retry_due(delivery, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.SENT
    [created] = glpi.tickets.values()
    assert created["externalid"] is None
    assert ("GET", "search/Ticket") in glpi.requests


def test_mapped_category_arrives_as_itilcategories_id(
    glpi, media, django_capture_on_commit_callbacks
):
    channel = glpi_channel(glpi.url)
    ticket = make_ticket(channel)
    user_token(channel, ticket.establishment)
    GlpiCategoryMapping.objects.create(
        channel=channel, category=ticket.category, glpi_category_id=5
    )
    other = TicketCategory.objects.create(code="poste-x", label="Poste de travail")
    GlpiCategoryMapping.objects.create(channel=channel, category=other, glpi_category_id=9)

    assert enqueue(ticket, django_capture_on_commit_callbacks).status == DeliveryStatus.SENT
    [created] = glpi.tickets.values()
    assert created["itilcategories_id"] == 5
    assert glpi.ticket_inputs[0]["itilcategories_id"] == 5


def test_unmapped_category_sends_no_field_and_keeps_the_label(
    glpi, media, django_capture_on_commit_callbacks
):
    channel = glpi_channel(glpi.url)
    elsewhere = glpi_channel(glpi.url, code="glpi-autre")
    ticket = make_ticket(channel)
    user_token(channel, ticket.establishment)
    # Mapped on another channel only: nothing for this one.
    GlpiCategoryMapping.objects.create(
        channel=elsewhere, category=ticket.category, glpi_category_id=7
    )

    assert enqueue(ticket, django_capture_on_commit_callbacks).status == DeliveryStatus.SENT
    [sent] = glpi.ticket_inputs
    assert "itilcategories_id" not in sent
    assert f"Catégorie : {ticket.category}" in html.unescape(sent["content"])


def test_mapping_is_for_glpi_channels_with_a_positive_id(media):
    email = Channel.objects.create(code="courriel-x", name="Courriel", kind=ChannelKind.EMAIL)
    category = TicketCategory.objects.create(code="cat-x", label="Catégorie X")
    with pytest.raises(ValidationError) as refused:
        GlpiCategoryMapping(channel=email, category=category, glpi_category_id=3).full_clean()
    assert "Seuls les canaux GLPI" in str(refused.value)
    glpi = Channel.objects.create(code="glpi-x", name="GLPI X", kind=ChannelKind.GLPI)
    with pytest.raises(ValidationError):
        GlpiCategoryMapping(channel=glpi, category=category, glpi_category_id=0).full_clean()


def test_channel_admin_edits_the_mapping(admin_client, glpi):
    channel = glpi_channel(glpi.url)
    category = TicketCategory.objects.create(code="cat-y", label="Catégorie Y")
    url = reverse("admin:maintenance_channel_change", args=[channel.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and "category_mappings-TOTAL_FORMS" in page.text
    form = {
        "code": channel.code,
        "name": channel.name,
        "kind": "glpi",
        "url": channel.url,
        "glpi_flavour": "glpi11",
        "category_mappings-TOTAL_FORMS": "1",
        "category_mappings-INITIAL_FORMS": "0",
        "category_mappings-0-category": str(category.pk),
        "category_mappings-0-glpi_category_id": "12",
    }
    assert admin_client.post(url, form).status_code == 302
    channel.refresh_from_db()
    assert channel.glpi_flavour == GlpiFlavour.GLPI11
    [mapping] = channel.category_mappings.all()
    assert (mapping.category, mapping.glpi_category_id) == (category, 12)
