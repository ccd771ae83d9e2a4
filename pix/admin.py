"""Admin of the Pix app.

- The CRCN (domains, competences) is read-only: it is Pix's framework, loaded by a migration.
- The recognised parcours (KnownParcours) are académie-wide reference data the SRANE keeps:
  this is where the names of the 6e parcours are configured. Editable by superusers and by the
  staff accounts of académie SRANE members (no model permission to grant), each change audited.
  So is a school's Pix Orga name, in case a confirmed import recorded a wrong one.
- Campaigns and certification sessions (no pupil name) are read-only for superusers: they change
  through the portal's audited services.
- Pupils' rows (Participation, CompetenceResult) and the import log (whose warnings may quote a
  pupil) are deliberately not registered: the admin never shows a pupil's name.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from rrupn.audit.reference_admin import ReferenceAdmin, edits_reference_data

from .models import (
    Campaign,
    CertificationSession,
    CrcnCompetence,
    CrcnDomain,
    KnownParcours,
    PixOrganisation,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen by superusers (and, for the CRCN, the SRANE); never changed here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FrameworkAdmin(ReadOnlyAdmin):
    def has_module_permission(self, request):
        return edits_reference_data(request)

    def has_view_permission(self, request, obj=None):
        return edits_reference_data(request)


class CompetenceInline(admin.TabularInline):
    model = CrcnCompetence
    extra = 0
    fields = ["code", "name"]
    has_add_permission = ReadOnlyAdmin.has_add_permission
    has_change_permission = ReadOnlyAdmin.has_change_permission
    has_delete_permission = ReadOnlyAdmin.has_delete_permission

    def has_view_permission(self, request, obj=None):
        return edits_reference_data(request)


@admin.register(CrcnDomain)
class CrcnDomainAdmin(FrameworkAdmin):
    list_display = ["number", "title"]
    inlines = [CompetenceInline]


@admin.register(CrcnCompetence)
class CrcnCompetenceAdmin(FrameworkAdmin):
    list_display = ["code", "name", "domain"]
    list_filter = ["domain"]
    search_fields = ["code", "name"]
    list_select_related = ["domain"]


@admin.register(KnownParcours)
class KnownParcoursAdmin(ReferenceAdmin):
    list_display = ["name", "role"]
    list_filter = ["role"]
    search_fields = ["name"]
    audited_fields = ["name", "role"]


@admin.register(PixOrganisation)
class PixOrganisationAdmin(ReferenceAdmin):
    list_display = ["name", "establishment"]
    search_fields = ["name", "establishment__uai", "establishment__name"]
    list_select_related = ["establishment"]
    audited_fields = ["establishment", "name"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "target_profile",
        "establishment",
        "school_year",
        "participant_count",
        "last_import_at",
    ]
    list_filter = ["school_year", "kind", "establishment__department"]
    search_fields = ["code", "name", "target_profile", "establishment__uai", "establishment__name"]
    list_select_related = ["establishment", "school_year"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(participant_count=Count("participations"))

    @admin.display(description=_("participants"), ordering="participant_count")
    def participant_count(self, obj):
        return obj.participant_count


@admin.register(CertificationSession)
class CertificationSessionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "establishment", "school_year", "room", "candidates", "certified"]
    list_filter = ["school_year", "level", "establishment__department"]
    search_fields = ["establishment__uai", "establishment__name", "room"]
    list_select_related = ["establishment", "school_year"]
