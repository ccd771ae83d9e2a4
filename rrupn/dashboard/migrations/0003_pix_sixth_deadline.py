"""The 6e Pix campaigns (pix/campaigns, registered after 0002) get a default deadline too:
launched by 30 November, once the 6e classes are settled after the rentrée."""

import datetime

from django.db import migrations
from django.utils import timezone


def add_default(apps, schema_editor):
    SchoolYear = apps.get_model("establishments", "SchoolYear")
    ChecklistDeadline = apps.get_model("dashboard", "ChecklistDeadline")
    today = timezone.localdate()
    start_year = today.year if today.month >= 9 else today.year - 1
    year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
    ChecklistDeadline.objects.get_or_create(
        school_year=year,
        item_key="pix_sixth_campaigns",
        defaults={"due_on": datetime.date(start_year, 11, 30)},
    )


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0002_default_deadlines")]

    operations = [migrations.RunPython(add_default, migrations.RunPython.noop)]
