"""Admin of the commission app.

Reference data (training topics, the recommended tools catalogue) is edited here by the SRANE:
superusers, and the staff accounts of académie SRANE members (no model permission to grant,
see `edits_reference_data`). Every change is audited. Everything else is read-only: it
changes through the portal's audited services.
"""

from django.contrib import admin
from django.db import models as db_models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from rrupn.audit.reference_admin import ReferenceAdmin
from rrupn.audit.services import audit_record

from .models import (
    Action,
    AgendaItem,
    Attendance,
    Commission,
    CommissionMember,
    Indicator,
    IndicatorValue,
    Meeting,
    ProcessingActivity,
    ProjectAxis,
    PurchaseProposal,
    RecommendedTool,
    RemarkablePractice,
    ToolUsage,
    TrainingAction,
    TrainingNeed,
    TrainingTopic,
)
from .tools.selectors import edits_reference_data


@admin.register(TrainingTopic)
class TrainingTopicAdmin(ReferenceAdmin):
    list_display = ["label", "order"]
    list_editable = ["order"]
    search_fields = ["label"]
    audited_fields = ["label", "order"]


class RecommendedToolInline(admin.TabularInline):
    model = RecommendedTool
    extra = 1
    fields = ["ent", "name", "note", "order"]

    def has_view_permission(self, request, obj=None):
        return edits_reference_data(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(ToolUsage)
class ToolUsageAdmin(ReferenceAdmin):
    list_display = ["label", "section", "order", "tool_count"]
    list_filter = ["section"]
    search_fields = ["label", "section", "tools__name"]
    inlines = [RecommendedToolInline]
    audited_fields = ["section", "label", "order"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(tool_count=Count("tools"))

    @admin.display(description=_("outils"), ordering="tool_count")
    def tool_count(self, obj):
        return obj.tool_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if any(formset.has_changed() for formset in formsets):
            tools = form.instance.tools.select_related("ent").order_by("ent__name", "order")
            audit_record(
                actor=request.user,
                action="reference.changed",
                obj=form.instance,
                after={"outils": [f"{t.ent or 'Autres'} : {t.name}" for t in tools]},
                summary=f"Outils préconisés pour « {form.instance} »",
            )


@admin.register(RecommendedTool)
class RecommendedToolAdmin(ReferenceAdmin):
    list_display = ["name", "usage", "ent", "note", "order"]
    list_filter = ["ent", "usage__section"]
    search_fields = ["name", "note", "usage__label"]
    list_select_related = ["usage", "ent"]
    audited_fields = ["usage", "ent", "name", "note", "order"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen by superusers; changed only through the portal, whose services audit each step."""

    # The visio link of a meeting: Django 6's default, and no deprecation warning meanwhile.
    formfield_overrides = {db_models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    has_add_permission = ReadOnlyAdmin.has_add_permission
    has_change_permission = ReadOnlyAdmin.has_change_permission
    has_delete_permission = ReadOnlyAdmin.has_delete_permission


class MemberInline(ReadOnlyInline):
    model = CommissionMember


@admin.register(Commission)
class CommissionAdmin(ReadOnlyAdmin):
    list_display = ["establishment", "school_year", "modality", "validated_at"]
    list_filter = ["school_year", "modality", "establishment__department"]
    search_fields = ["establishment__uai", "establishment__name"]
    list_select_related = ["establishment", "school_year"]
    inlines = [MemberInline]


class AgendaInline(ReadOnlyInline):
    model = AgendaItem


class AttendanceInline(ReadOnlyInline):
    model = Attendance


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "commission", "place", "minutes_pdf_status"]
    list_filter = ["commission__school_year", "commission__establishment__department"]
    search_fields = ["commission__establishment__uai", "commission__establishment__name"]
    list_select_related = ["commission__establishment", "commission__school_year"]
    inlines = [AgendaInline, AttendanceInline]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["title", "commission", "owner", "due_on", "status"]
    list_filter = ["status"]
    search_fields = ["title", "commission__establishment__uai"]
    list_select_related = [
        "commission__establishment",
        "commission__school_year",
        "owner__user",
    ]


class IndicatorInline(ReadOnlyInline):
    model = Indicator


@admin.register(ProjectAxis)
class ProjectAxisAdmin(ReadOnlyAdmin):
    list_display = ["title", "establishment", "order"]
    search_fields = ["title", "establishment__uai", "establishment__name"]
    list_select_related = ["establishment"]
    inlines = [IndicatorInline]


class IndicatorValueInline(ReadOnlyInline):
    model = IndicatorValue


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["name", "axis", "unit", "target"]
    search_fields = ["name", "axis__establishment__uai"]
    list_select_related = ["axis"]
    inlines = [IndicatorValueInline]


@admin.register(TrainingNeed)
class TrainingNeedAdmin(ReadOnlyAdmin):
    list_display = ["topic", "establishment", "school_year", "staff_count", "priority", "origin"]
    list_filter = ["school_year", "topic", "priority", "origin", "establishment__department"]
    search_fields = ["establishment__uai", "establishment__name", "audience", "detail"]
    list_select_related = ["topic", "establishment", "school_year"]


@admin.register(TrainingAction)
class TrainingActionAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "topic", "establishment", "held_on", "attendees"]
    list_filter = ["kind", "school_year", "topic", "establishment__department"]
    search_fields = ["title", "establishment__uai", "establishment__name"]
    list_select_related = ["topic", "establishment"]


@admin.register(PurchaseProposal)
class PurchaseProposalAdmin(ReadOnlyAdmin):
    list_display = ["item", "quantity", "estimated_cost", "establishment", "state"]
    list_filter = ["state", "school_year", "establishment__department"]
    search_fields = ["item", "establishment__uai", "establishment__name"]
    list_select_related = ["establishment"]


@admin.register(RemarkablePractice)
class RemarkablePracticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "discipline", "level", "establishment", "shared_at"]
    list_filter = ["school_year", "establishment__department"]
    search_fields = ["title", "discipline", "establishment__uai", "establishment__name"]
    list_select_related = ["establishment"]


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(ReadOnlyAdmin):
    list_display = ["name", "service", "establishment", "updated_at"]
    search_fields = ["name", "service", "establishment__uai", "establishment__name"]
    list_select_related = ["establishment"]
