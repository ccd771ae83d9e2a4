from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelayConfig(AppConfig):
    """The SRANE relay (SPEC §8): announcements to the RRUPN, who has read them, contacts."""

    name = "rrupn.relay"
    label = "relay"
    verbose_name = _("Relais du SRANE")

    def ready(self):
        from rrupn.access.capabilities import register_establishment_capability
        from rrupn.accounts.models import Role

        # The guide: "le RRUPN est le relais du SRANE". The announcements reach the RRUPN only;
        # the head and the rest of the staff hear of them through their RRUPN, so they neither
        # see the dashboard block nor the list.
        register_establishment_capability("relay.read", {Role.RRUPN})
