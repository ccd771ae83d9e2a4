"""Admin of the dashboard's reference data: the checklist's deadlines, per school year.

Edited by the SRANE (superusers and staff accounts with an académie SRANE scope); each change
leaves an audit row. A year without any deadline reuses the previous year's, one year later.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from rrupn.accounts.models import SraneLevel
from rrupn.audit.services import audit_record

from .models import ChecklistDeadline
from .registry import checklist


def edits_deadlines(request) -> bool:
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    if not hasattr(request, "_srane_academie"):
        request._srane_academie = user.srane_scopes.filter(level=SraneLevel.ACADEMIE).exists()
    return request._srane_academie


class ChecklistDeadlineForm(forms.ModelForm):
    item_key = forms.ChoiceField(label=_("point de la liste"))

    class Meta:
        model = ChecklistDeadline
        fields = ["school_year", "item_key", "due_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An item whose app owns its date (the GAR campaign's) is set there, not here.
        choices = [(item.key, item.label) for item in checklist if item.deadline is None]
        current = self.instance.item_key if self.instance.pk else ""
        if current and current not in dict(choices):
            choices.append((current, current))  # an item no app registers any more
        self.fields["item_key"].choices = [("", "---------"), *choices]


def _snapshot(obj) -> dict:
    return {
        "school_year": str(obj.school_year),
        "item_key": obj.item_key,
        "due_on": obj.due_on.strftime("%d/%m/%Y"),
    }


@admin.register(ChecklistDeadline)
class ChecklistDeadlineAdmin(admin.ModelAdmin):
    form = ChecklistDeadlineForm
    list_display = ["item_label", "due_on", "school_year"]
    list_filter = ["school_year"]
    list_select_related = ["school_year"]
    ordering = ["-school_year__start_year", "due_on"]

    @admin.display(description=_("point de la liste"), ordering="item_key")
    def item_label(self, obj):
        labels = {item.key: item.label for item in checklist}
        return labels.get(obj.item_key, obj.item_key)

    def has_module_permission(self, request):
        return edits_deadlines(request)

    def has_view_permission(self, request, obj=None):
        return edits_deadlines(request)

    def has_add_permission(self, request):
        return edits_deadlines(request)

    def has_change_permission(self, request, obj=None):
        return edits_deadlines(request)

    def has_delete_permission(self, request, obj=None):
        return edits_deadlines(request)

    def save_model(self, request, obj, form, change):
        before = _snapshot(ChecklistDeadline.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="reference.changed" if change else "reference.added",
            obj=obj,
            before=before,
            after=_snapshot(obj),
            summary=f"Échéance de la liste : {obj}",
        )

    def delete_model(self, request, obj):
        self._audit_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("school_year"):
            self._audit_deletion(request, obj)
        super().delete_queryset(request, queryset)

    def _audit_deletion(self, request, obj):
        audit_record(
            actor=request.user,
            action="reference.deleted",
            obj=obj,
            before=_snapshot(obj),
            summary=f"Échéance de la liste : {obj}",
        )
