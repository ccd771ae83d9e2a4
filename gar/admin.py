"""Admin of the GAR app.

The catalogue (resources) and the campaign due dates are académie-wide reference data that
the SRANE keeps: superusers, and the staff accounts of académie SRANE members (no model
permission to grant, see `edits_catalogue`). Every change is audited. Subscriptions,
assignments, reminders and designations are read-only here: they change through the
portal's audited services.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from rrupn.audit.reference_admin import ReferenceAdmin

from .models import (
    CampaignReminder,
    GarAssignment,
    GarCampaign,
    GarResource,
    GarSubscription,
    Public,
    RespAffectation,
)


class GarResourceForm(forms.ModelForm):
    publics = forms.MultipleChoiceField(
        label=_("publics cibles"),
        choices=Public.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = GarResource
        fields = [
            "ark",
            "title",
            "distributor",
            "distributor_id",
            "origin",
            "collectivite",
            "publics",
            "description",
            "active",
        ]


@admin.register(GarResource)
class GarResourceAdmin(ReferenceAdmin):
    form = GarResourceForm
    list_display = ["title", "ark", "distributor", "origin", "collectivite", "active", "usage"]
    list_filter = ["origin", "active", "collectivite"]
    search_fields = ["title", "ark", "distributor"]
    list_select_related = ["collectivite"]
    audited_fields = [
        "ark",
        "title",
        "distributor",
        "distributor_id",
        "origin",
        "collectivite",
        "publics",
        "active",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(subscription_count=Count("subscriptions"))

    @admin.display(description="abonnements", ordering="subscription_count")
    def usage(self, obj):
        return obj.subscription_count


@admin.register(GarCampaign)
class GarCampaignAdmin(ReferenceAdmin):
    list_display = ["school_year", "due_on", "reminder_every_days"]
    audited_fields = ["school_year", "due_on", "reminder_every_days"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen by superusers; changed only through the portal, whose services audit each step."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GarSubscription)
class GarSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["id_abonnement", "resource", "establishment", "school_year", "source"]
    list_filter = ["school_year", "source", "resource__origin", "establishment__department"]
    search_fields = ["id_abonnement", "resource__title", "establishment__uai"]
    list_select_related = ["resource", "establishment", "school_year"]


@admin.register(GarAssignment)
class GarAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["subscription", "target_kind", "public", "licences"]
    list_filter = ["target_kind", "public"]
    search_fields = ["subscription__id_abonnement", "subscription__establishment__uai"]
    list_select_related = ["subscription__resource", "division", "teacher"]


@admin.register(CampaignReminder)
class CampaignReminderAdmin(ReadOnlyAdmin):
    list_display = ["establishment", "campaign", "sent_at"]
    list_select_related = ["establishment", "campaign__school_year"]


@admin.register(RespAffectation)
class RespAffectationAdmin(ReadOnlyAdmin):
    list_display = ["user", "establishment", "school_year", "state", "done_in_ent_at"]
    list_filter = ["state", "school_year"]
    search_fields = ["establishment__uai", "user__email"]
    list_select_related = ["user", "establishment", "school_year"]
