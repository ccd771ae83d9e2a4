from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "rrupn.dashboard"
    label = "dashboard"
    verbose_name = _("Tableaux de bord")

    def ready(self):
        from . import core_items  # noqa: F401  (the core's own checklist item and SRANE column)
