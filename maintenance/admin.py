"""Incident routing, edited here by the académie SRANE (and superusers), every change audited:
channels (address, GLPI version, instructions) with their GLPI category mappings, routing rules,
incident categories. Secrets (application token, OAuth client) are never here: the SRANE enters
them on the portal's channels page, encrypted."""

from django.contrib import admin
from django.db import models

from rrupn.audit.reference_admin import ReferenceAdmin, ReferenceTabularInline

from .models import Channel, GlpiCategoryMapping, RoutingRule, TicketCategory


class GlpiCategoryMappingInline(ReferenceTabularInline):
    """GLPI channels: which ITIL category each portal category is created in."""

    model = GlpiCategoryMapping
    extra = 0
    fields = ["category", "glpi_category_id"]
    audited_fields = ["category", "glpi_category_id"]


@admin.register(TicketCategory)
class TicketCategoryAdmin(ReferenceAdmin):
    list_display = ["label", "code", "order"]
    audited_fields = ["code", "label", "order"]


@admin.register(Channel)
class ChannelAdmin(ReferenceAdmin):
    list_display = ["name", "kind", "glpi_flavour", "collectivite", "url", "email_to"]
    list_filter = ["kind", "glpi_flavour"]
    inlines = [GlpiCategoryMappingInline]
    # An address typed without its scheme is an https one (and no Django 6.0 warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    audited_fields = [
        "code",
        "name",
        "kind",
        "collectivite",
        "url",
        "email_to",
        "instructions",
        "glpi_flavour",
    ]


@admin.register(RoutingRule)
class RoutingRuleAdmin(ReferenceAdmin):
    list_display = ["__str__", "school_group", "department", "category", "channel"]
    list_select_related = ["category", "channel"]
    audited_fields = ["school_group", "department", "category", "channel"]
