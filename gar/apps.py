from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PARTS = ["subscriptions", "assignments", "campaign"]


class GarConfig(AppConfig):
    name = "gar"
    verbose_name = _("GAR")

    def ready(self):
        from .capabilities import register

        register()
        for part in PARTS:  # each part adds its checklist, inbox and SRANE items
            import_module(f"gar.{part}.dashboard")
