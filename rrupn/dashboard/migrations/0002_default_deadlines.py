"""The guide's calendar as the checklist's default deadlines for the current school year.

The guide (RRUPN 2023, académie de Limoges) places the designation, the mission letter, the
GAR responsables and assignments at the start of the year ("à chaque début d'année scolaire"),
the commission at the first term, training needs and the RGPD register before the winter, the
Pix certification sessions in the spring. Later years reuse these dates shifted by one year
until the SRANE sets their own in the admin. (GAR assignments take the GAR campaign's own due
date, see 0004.)
"""

import datetime

from django.db import migrations
from django.utils import timezone

# item key -> (month, day, 0 for the year of rentrée or 1 for the next calendar year)
DEFAULTS = {
    "rrupn_designated": (9, 30, 0),
    "gar_responsables": (9, 30, 0),
    "mission_letter": (10, 15, 0),
    "commission_composed": (10, 15, 0),
    "commission_validated": (11, 15, 0),
    "training_needs": (11, 30, 0),
    "commission_met_this_term": (12, 15, 0),
    "rgpd_register": (12, 19, 0),
    "pix_certification_sessions": (3, 31, 1),
}


def add_defaults(apps, schema_editor):
    SchoolYear = apps.get_model("establishments", "SchoolYear")
    ChecklistDeadline = apps.get_model("dashboard", "ChecklistDeadline")
    today = timezone.localdate()
    start_year = today.year if today.month >= 9 else today.year - 1
    year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
    for key, (month, day, offset) in DEFAULTS.items():
        ChecklistDeadline.objects.get_or_create(
            school_year=year,
            item_key=key,
            defaults={"due_on": datetime.date(start_year + offset, month, day)},
        )


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
