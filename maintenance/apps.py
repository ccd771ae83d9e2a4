from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PARTS = ["tickets", "delivery", "equipment"]


class MaintenanceConfig(AppConfig):
    name = "maintenance"
    verbose_name = _("Maintenance et équipement")

    def ready(self):
        from .capabilities import register

        register()
        for part in PARTS:
            import_module(f"maintenance.{part}.dashboard")
