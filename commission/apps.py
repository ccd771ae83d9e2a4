from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PARTS = ["members", "project", "training", "purchases", "practices", "tools", "rgpd"]


class CommissionConfig(AppConfig):
    name = "commission"
    verbose_name = _("Commission numérique")

    def ready(self):
        from .capabilities import register

        register()
        for part in PARTS:  # each part adds its checklist, inbox and SRANE items
            import_module(f"commission.{part}.dashboard")
