"""What the RGPD register adds to the RRUPN dashboard: a checklist line pointing to it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rrupn.dashboard.registry import ChecklistItem, Status, checklist

from ..models import ProcessingActivity


def _checklist_status(establishment, school_year) -> Status:
    count = ProcessingActivity.objects.filter(establishment=establishment).count()
    url = reverse("commission:rgpd_register", args=[establishment.uai])
    if not count:
        return Status(False, str(_("Aucun traitement inscrit")), url)
    text = ngettext("%(n)d traitement inscrit", "%(n)d traitements inscrits", count) % {"n": count}
    return Status(True, text, url)


checklist.register(
    ChecklistItem(
        key="rgpd_register",
        label=_("Registre RGPD des services numériques tenu"),
        order=90,
        status=_checklist_status,
        action=_("Inscrire les traitements"),
    )
)
