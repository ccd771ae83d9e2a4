from django.contrib import admin
from django.db import models

from .models import Channel, GlpiCategoryMapping, RoutingRule, TicketCategory


class GlpiCategoryMappingInline(admin.TabularInline):
    """GLPI channels: which ITIL category each portal category is created in."""

    model = GlpiCategoryMapping
    extra = 0
    fields = ["category", "glpi_category_id"]


@admin.register(TicketCategory)
class TicketCategoryAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "order"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "glpi_flavour", "collectivite", "url", "email_to"]
    list_filter = ["kind", "glpi_flavour"]
    inlines = [GlpiCategoryMappingInline]
    # An address typed without its scheme is an https one (and no Django 6.0 warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "school_group", "department", "category", "channel"]
    list_select_related = ["category", "channel"]
