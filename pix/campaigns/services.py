"""Writing campaigns entered by hand (the importer creates the others)."""

from django.db import transaction
from django.utils.translation import gettext as _

from pix.models import Campaign
from rrupn.audit.services import audit_record

AUDITED = ["code", "name", "kind", "target_profile", "school_year_id", "owner_id", "pix_id"]


def _snapshot(campaign: Campaign) -> dict:
    values = {name: getattr(campaign, name) for name in AUDITED}
    return {name: value if value is None else str(value) for name, value in values.items()}


@transaction.atomic
def campaign_save(form, *, establishment, user) -> Campaign:
    campaign = form.instance
    is_new = campaign.pk is None
    before = None if is_new else _snapshot(Campaign.objects.get(pk=campaign.pk))
    campaign.establishment = establishment
    campaign = form.save()
    audit_record(
        actor=user,
        action="pix.campaign.created" if is_new else "pix.campaign.changed",
        obj=campaign,
        establishment=establishment,
        before=before,
        after=_snapshot(campaign),
        summary=(
            _("Campagne Pix créée : %(campaign)s")
            if is_new
            else _("Campagne Pix modifiée : %(campaign)s")
        )
        % {"campaign": campaign},
    )
    return campaign
