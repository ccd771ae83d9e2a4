"""Reading the school's campaigns (constant queries whatever their number)."""

from django.db.models import Count

from pix.models import Campaign, PixImport
from rrupn.establishments.models import SchoolYear


def campaign_years(establishment) -> list[SchoolYear]:
    return list(
        SchoolYear.objects.filter(campaign__establishment=establishment)
        .distinct()
        .order_by("-start_year")
    )


def campaign_rows(establishment, year: SchoolYear | None = None) -> list[Campaign]:
    campaigns = (
        Campaign.objects.filter(establishment=establishment)
        .select_related("school_year", "owner")
        .prefetch_related("divisions")
        .annotate(participant_count=Count("participations"))
        .order_by("-school_year__start_year", "name")
    )
    if year is not None:
        campaigns = campaigns.filter(school_year=year)
    return list(campaigns)


def campaign_imports(campaign) -> list[PixImport]:
    return list(campaign.imports.select_related("imported_by").order_by("-imported_at"))
