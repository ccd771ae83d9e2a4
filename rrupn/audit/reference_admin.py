"""Admin pages of reference data the académie SRANE keeps up to date (catalogues, topics,
recognised Pix parcours, incident routing…): who may edit them, and an audit row for every change
(inlines too, with `ReferenceTabularInline`)."""

from django.contrib import admin

from rrupn.accounts.models import SraneLevel
from rrupn.audit.services import audit_record


def edits_reference_data(request) -> bool:
    """Superusers, and staff accounts (admin access) of the académie SRANE."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    if not hasattr(request, "_srane_academie"):  # asked many times per admin page
        request._srane_academie = user.srane_scopes.filter(level=SraneLevel.ACADEMIE).exists()
    return request._srane_academie


def _snapshot(obj, fields) -> dict:
    return {name: str(getattr(obj, name) or "") for name in fields}


def _rows(formset, fields) -> list[dict]:
    """An inline's rows as saved (read again: the forms' instances already hold the edits)."""
    saved = formset.model._default_manager.filter(**{formset.fk.name: formset.instance})
    return [_snapshot(row, fields) for row in saved.order_by("pk")]


class EditedBySrane:
    """The admin permissions of reference data: the académie SRANE (and superusers) only."""

    def has_view_permission(self, request, obj=None):
        return edits_reference_data(request)

    def has_add_permission(self, request, obj=None):
        return edits_reference_data(request)

    def has_change_permission(self, request, obj=None):
        return edits_reference_data(request)

    def has_delete_permission(self, request, obj=None):
        return edits_reference_data(request)


class ReferenceTabularInline(EditedBySrane, admin.TabularInline):
    """An inline of a `ReferenceAdmin`: the same people edit it, and its rows' changes are
    audited on the parent (`audited_fields` of the inline's model)."""

    audited_fields: list = []

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.audited_fields = self.audited_fields
        return formset


class ReferenceAdmin(EditedBySrane, admin.ModelAdmin):
    """Editable by the SRANE; each save and deletion leaves an audit row."""

    audited_fields: list = []

    def has_module_permission(self, request):
        return edits_reference_data(request)

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

    def save_related(self, request, form, formsets, change):
        """The rows of each `ReferenceTabularInline` changed here, before and after, in one
        audit row on the edited object."""
        audited = [
            (formset, formset.audited_fields)
            for formset in formsets
            if getattr(formset, "audited_fields", None) and formset.has_changed()
        ]
        before = [_rows(formset, fields) for formset, fields in audited]
        super().save_related(request, form, formsets, change)
        for (formset, fields), rows in zip(audited, before, strict=True):
            after = _rows(formset, fields)
            if after == rows:
                continue
            label = str(formset.model._meta.verbose_name_plural)
            audit_record(
                actor=request.user,
                action="reference.changed",
                obj=form.instance,
                before={label: rows},
                after={label: after},
                summary=f"{form.instance._meta.verbose_name} : {form.instance} — {label}",
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
