"""The routing admin (SPEC §6: rules are SRANE-editable): channels with their GLPI category
mappings, routing rules and incident categories are edited by the académie SRANE's staff
accounts, every change audited with its before and after; a département SRANE or a plain staff
account cannot; secrets never appear."""

import pytest
from django.contrib import admin
from django.urls import reverse

from maintenance.admin import GlpiCategoryMappingInline
from maintenance.models import (
    Channel,
    ChannelCredential,
    GlpiCategoryMapping,
    RoutingRule,
    TicketCategory,
)
from rrupn.audit.models import AuditEntry
from rrupn.audit.reference_admin import ReferenceAdmin, ReferenceTabularInline

from ..factories import SraneScopeFactory, UserFactory

pytestmark = pytest.mark.django_db

ROUTING_MODELS = (Channel, RoutingRule, TicketCategory)


@pytest.fixture
def srane_academie():
    user = UserFactory(is_staff=True)
    SraneScopeFactory(user=user, academie=True)
    return user


@pytest.fixture
def srane_departement():
    user = UserFactory(is_staff=True)
    SraneScopeFactory(user=user, department="87")
    return user


def info(model) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}"


def rule_87():
    return RoutingRule.objects.get(school_group="college", department="87", category=None)


def rule_form(rule, channel) -> dict:
    return {
        "school_group": rule.school_group,
        "department": rule.department,
        "category": "",
        "channel": str(channel.pk),
    }


def channel_form(channel, **changes) -> dict:
    form = {
        "code": channel.code,
        "name": channel.name,
        "kind": channel.kind,
        "collectivite": str(channel.collectivite_id or ""),
        "url": channel.url,
        "email_to": channel.email_to,
        "instructions": channel.instructions,
        "glpi_flavour": channel.glpi_flavour,
        "category_mappings-TOTAL_FORMS": "0",
        "category_mappings-INITIAL_FORMS": "0",
    }
    return {**form, **changes}


def test_the_routing_admins_are_reference_admins():
    for model in ROUTING_MODELS:
        assert isinstance(admin.site._registry[model], ReferenceAdmin), model
    assert issubclass(GlpiCategoryMappingInline, ReferenceTabularInline)


def test_the_academie_srane_edits_a_routing_rule_audited(client, srane_academie):
    client.force_login(srane_academie)
    assert client.get(reverse("admin:app_list", args=["maintenance"])).status_code == 200
    for model in ROUTING_MODELS:
        assert client.get(reverse(f"{info(model)}_changelist")).status_code == 200, model
    rule = rule_87()
    creuse = Channel.objects.get(code="courriel-cd23")
    response = client.post(
        reverse(f"{info(RoutingRule)}_change", args=[rule.pk]), rule_form(rule, creuse)
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.channel == creuse
    entry = AuditEntry.objects.get(action="reference.changed")
    assert entry.actor == srane_academie and entry.object_id == str(rule.pk)
    assert entry.before["channel"] == "GLPI du département de la Haute-Vienne"
    assert entry.after["channel"] == "Courriel au département de la Creuse"


def test_the_academie_srane_edits_a_channel_url_and_its_category_mappings_audited(
    client, srane_academie
):
    channel = Channel.objects.get(code="glpi-cd87")
    ChannelCredential.objects.create(channel=channel, name="app_token", ciphertext="CHIFFRE-X")
    client.force_login(srane_academie)
    url = reverse(f"{info(Channel)}_change", args=[channel.pk])
    page = client.get(url)
    assert page.status_code == 200 and "category_mappings-TOTAL_FORMS" in page.text
    assert "CHIFFRE-X" not in page.text and "app_token" not in page.text

    new_url = "https://assistance.haute-vienne.fr/glpi/apirest.php"
    response = client.post(url, channel_form(channel, url=new_url))
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.url == new_url
    entry = AuditEntry.objects.get(action="reference.changed")
    assert entry.before["url"] == "https://glpiprod.haute-vienne.fr"
    assert entry.after["url"] == new_url
    assert "CHIFFRE-X" not in str(entry.before) + str(entry.after)

    category = TicketCategory.objects.get(code="poste")
    form = channel_form(
        channel,
        **{
            "category_mappings-TOTAL_FORMS": "1",
            "category_mappings-0-category": str(category.pk),
            "category_mappings-0-glpi_category_id": "12",
        },
    )
    assert client.post(url, form).status_code == 302
    mapping = GlpiCategoryMapping.objects.get(channel=channel)
    assert (mapping.category, mapping.glpi_category_id) == (category, 12)
    inline_entry = AuditEntry.objects.filter(action="reference.changed").latest("pk")
    assert inline_entry.actor == srane_academie and inline_entry.object_id == str(channel.pk)
    label = "correspondances de catégories GLPI"
    assert inline_entry.before == {label: []}
    assert inline_entry.after == {label: [{"category": str(category), "glpi_category_id": "12"}]}

    form.update(
        {
            "category_mappings-INITIAL_FORMS": "1",
            "category_mappings-0-id": str(mapping.pk),
            "category_mappings-0-channel": str(channel.pk),
            "category_mappings-0-DELETE": "on",
        }
    )
    assert client.post(url, form).status_code == 302
    assert not GlpiCategoryMapping.objects.exists()
    deleted = AuditEntry.objects.filter(action="reference.changed").latest("pk")
    assert deleted.after == {label: []}


@pytest.mark.parametrize("who", ["srane_departement", "plain_staff"])
def test_a_departement_srane_or_a_plain_staff_account_cannot(client, request, who):
    user = (
        request.getfixturevalue("srane_departement")
        if who == "srane_departement"
        else UserFactory(is_staff=True)
    )
    client.force_login(user)
    rule = rule_87()
    channel = Channel.objects.get(code="glpi-cd87")
    assert client.get(reverse(f"{info(RoutingRule)}_changelist")).status_code == 403
    assert client.get(reverse(f"{info(Channel)}_change", args=[channel.pk])).status_code == 403
    creuse = Channel.objects.get(code="courriel-cd23")
    response = client.post(
        reverse(f"{info(RoutingRule)}_change", args=[rule.pk]), rule_form(rule, creuse)
    )
    assert response.status_code == 403
    response = client.post(
        reverse(f"{info(Channel)}_change", args=[channel.pk]),
        channel_form(channel, url="https://pirate.example/apirest.php"),
    )
    assert response.status_code == 403
    assert rule_87().channel.code == "glpi-cd87"
    channel.refresh_from_db()
    assert channel.url == "https://glpiprod.haute-vienne.fr"
    assert not AuditEntry.objects.filter(action__startswith="reference.").exists()
