from django.contrib import admin

from rrupn.audit.reference_admin import ReferenceAdmin

from .models import SraneContact


@admin.register(SraneContact)
class SraneContactAdmin(ReferenceAdmin):
    list_display = ["name", "function", "department", "email", "phone", "order"]
    list_filter = ["department"]
    search_fields = ["name", "function", "email"]
    audited_fields = ["department", "name", "function", "email", "phone", "order"]
