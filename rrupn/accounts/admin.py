from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from rrupn.audit.services import audit_record

from .models import RoleAssignment, SraneScope, User


def role_snapshot(assignment: RoleAssignment) -> dict:
    return {
        "personne": assignment.user.email,
        "etablissement": assignment.establishment.uai,
        "role": assignment.role,
        "annee": str(assignment.school_year or ""),
    }


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

    # Role changes made in the admin go to the establishment's journal like any other.
    def save_model(self, request, obj, form, change):
        before = role_snapshot(RoleAssignment.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="role.changed" if change else "role.granted",
            obj=obj,
            before=before,
            after=role_snapshot(obj),
            summary=f"Rôle {obj.get_role_display()} de {obj.user} (administration)",
        )

    def delete_model(self, request, obj):
        audit_record(
            actor=request.user,
            action="role.revoked",
            obj=obj,
            before=role_snapshot(obj),
            summary=f"Rôle {obj.get_role_display()} retiré à {obj.user} (administration)",
        )
        super().delete_model(request, obj)
