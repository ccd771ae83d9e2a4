from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import RoleAssignment, SraneScope, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["establishment"]


class SraneScopeInline(admin.TabularInline):
    model = SraneScope
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "last_name", "first_name", "discipline", "is_active"]
    search_fields = ["email", "last_name", "first_name"]
    inlines = [RoleInline, SraneScopeInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name", "discipline"]}),
        (_("Droits"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "password1", "password2"]})]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "establishment", "role", "school_year", "source"]
    list_filter = ["role", "source", "establishment__department"]
    search_fields = ["user__email", "user__last_name", "establishment__uai", "establishment__name"]
    autocomplete_fields = ["user", "establishment"]
    list_select_related = ["user", "establishment", "school_year"]
