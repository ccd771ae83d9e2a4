from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Lettres de mission")

    def ready(self):
        from . import dashboard  # noqa: F401  (checklist, inbox and SRANE contributions)
        from .capabilities import register

        register()
