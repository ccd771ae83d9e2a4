"""What campaigns add to the three screens: the checklist item "Campagnes Pix de 6e lancées"."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pix.models import Campaign, KnownParcours, ParcoursRole
from rrupn.dashboard.registry import ChecklistItem, Status, checklist

SIXTH_ROLES = [
    ParcoursRole.SIXTH_PROTECTION,
    ParcoursRole.SIXTH_INITIATION,
    ParcoursRole.SIXTH_BILAN,
]


def sixth_campaigns(establishment, school_year) -> list[str]:
    """Names of the year's campaigns for 6e pupils: a 6e parcours (KnownParcours), or a 6e
    class among their classes or their imported pupils (level "6e" or a code starting with 6).
    One query."""
    sixth_parcours = KnownParcours.objects.filter(role__in=SIXTH_ROLES).values("name")
    return list(
        Campaign.objects.filter(establishment=establishment, school_year=school_year)
        .filter(
            Q(target_profile__in=sixth_parcours)
            | Q(divisions__level="6e")
            | Q(divisions__code__startswith="6")
            | Q(summaries__division_code__startswith="6")
        )
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )


def checklist_status(establishment, school_year) -> Status:
    url = reverse("pix:campaigns_list", args=[establishment.uai])
    if establishment.is_lycee:
        return Status(None, _("Sans objet : pas de classe de 6e"), url)
    names = sixth_campaigns(establishment, school_year)
    if not names:
        return Status(False, _("Aucune campagne Pix de 6e cette année"), url)
    text = ngettext("%(n)s campagne : %(names)s", "%(n)s campagnes : %(names)s", len(names)) % {
        "n": len(names),
        "names": ", ".join(names),
    }
    return Status(True, text, url)


checklist.register(
    ChecklistItem(
        key="pix_sixth_campaigns",
        label=gettext_lazy("Campagnes Pix de 6e lancées"),
        order=71,
        status=checklist_status,
        action=gettext_lazy("Voir les campagnes Pix"),
    )
)
