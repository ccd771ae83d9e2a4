from django.contrib import admin

from .models import ImpRate, LetterTask, MissionFunction, MissionLetter, MissionTask, SharingPartner


class TaskInline(admin.TabularInline):
    model = MissionTask
    extra = 0


@admin.register(MissionFunction)
class MissionFunctionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "optional"]
    inlines = [TaskInline]


@admin.register(SharingPartner)
class SharingPartnerAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "needs_name", "order"]


@admin.register(ImpRate)
class ImpRateAdmin(admin.ModelAdmin):
    list_display = ["amount", "active"]


class LetterTaskInline(admin.TabularInline):
    model = LetterTask
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MissionLetter)
class MissionLetterAdmin(admin.ModelAdmin):
    """Read-only: letters change only through their workflow, which audits every step."""

    list_display = ["__str__", "establishment", "school_year", "rrupn", "state", "pdf_status"]
    list_filter = ["state", "school_year", "establishment__department"]
    search_fields = ["establishment__uai", "establishment__name", "rrupn__last_name"]
    list_select_related = ["establishment", "school_year", "rrupn"]
    inlines = [LetterTaskInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
