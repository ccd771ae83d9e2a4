from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "establishment", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "summary", "establishment__uai"]
    list_select_related = ["actor", "establishment"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
