from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PARTS = ["campaigns", "imports", "followup", "certification"]


class PixConfig(AppConfig):
    name = "pix"
    verbose_name = _("Pix")

    def ready(self):
        from .capabilities import register

        register()
        for part in PARTS:  # each part adds its checklist, inbox and SRANE items
            import_module(f"pix.{part}.dashboard")
