from django.contrib import admin

from .models import Channel, RoutingRule, TicketCategory


@admin.register(TicketCategory)
class TicketCategoryAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "order"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "glpi_flavour", "collectivite", "url", "email_to"]
    list_filter = ["kind", "glpi_flavour"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "school_group", "department", "category", "channel"]
    list_select_related = ["category", "channel"]
