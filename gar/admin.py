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

from rrupn.audit.services import audit_record

from .models import (
    CampaignReminder,
    GarAssignment,
    GarCampaign,
    GarResource,
    GarSubscription,
    Public,
    RespAffectation,
)
from .subscriptions.selectors import edits_catalogue


def _snapshot(obj, fields) -> dict:
    return {name: str(getattr(obj, name) or "") for name in fields}


class ReferenceAdmin(admin.ModelAdmin):
    """Editable by the SRANE; each save and deletion leaves an audit row."""

    audited_fields: list = []

    def has_module_permission(self, request):
        return edits_catalogue(request)

    def has_view_permission(self, request, obj=None):
        return edits_catalogue(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = _snapshot(type(obj).objects.get(pk=obj.pk), self.audited_fields)
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="reference.changed" if change else "reference.added",
            obj=obj,
            before=before,
            after=_snapshot(obj, self.audited_fields),
            summary=f"{obj._meta.verbose_name} : {obj}",
        )

    def delete_model(self, request, obj):
        self._audit_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._audit_deletion(request, obj)
        super().delete_queryset(request, queryset)

    def _audit_deletion(self, request, obj):
        audit_record(
            actor=request.user,
            action="reference.deleted",
            obj=obj,
            before=_snapshot(obj, self.audited_fields),
            summary=f"{obj._meta.verbose_name} : {obj}",
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
