from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "rrupn.access"
    label = "access"
    verbose_name = _("Droits d'accès")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
