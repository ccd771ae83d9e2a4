"""The checklist's "Affectations GAR faites" takes the GAR campaign's due date (set by the SRANE
on the campaign page): the row 0002 loaded for it would be a second, diverging date."""

from django.db import migrations


def drop_second_date(apps, schema_editor):
    ChecklistDeadline = apps.get_model("dashboard", "ChecklistDeadline")
    ChecklistDeadline.objects.filter(item_key="gar_assignments_done").delete()


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0003_pix_sixth_deadline")]

    operations = [migrations.RunPython(drop_second_date, migrations.RunPython.noop)]
