from django.contrib import admin

from .models import (
    Collectivite,
    DerivationRule,
    Ent,
    Establishment,
    PedagogicalServer,
    SchoolYear,
)


@admin.register(Establishment)
class EstablishmentAdmin(admin.ModelAdmin):
    list_display = ["uai", "name", "kind", "sector", "commune", "department", "collectivite", "ent"]
    list_filter = ["department", "kind", "sector"]
    search_fields = ["uai", "name", "commune"]
    list_select_related = ["collectivite", "ent"]


@admin.register(DerivationRule)
class DerivationRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "collectivite", "ent", "pedagogical_server"]
    list_select_related = ["collectivite", "ent", "pedagogical_server"]
    actions = ["reapply"]

    @admin.action(description="Réappliquer les règles à tous les établissements")
    def reapply(self, request, queryset):
        from .services import establishments_apply_rules

        count = establishments_apply_rules()
        self.message_user(request, f"{count} établissement(s) mis à jour.")


admin.site.register([Collectivite, Ent, PedagogicalServer, SchoolYear])
