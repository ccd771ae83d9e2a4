"""The SRANE's functional mailbox and switchboard, from the RRUPN guide (2023, "Contacter le
SRANE Limoges"). No person's name: the team changes; the académie SRANE adds its members in the
administration."""

from django.db import migrations

MAILBOX = {
    "department": "",
    "name": "Service de région académique au numérique éducatif (SRANE)",
    "function": "Adresse du service — Rectorat de Limoges, 13 rue François Chénieux, 87031 Limoges cedex 1",
    "email": "ce.dane@ac-limoges.fr",
    "phone": "05 55 11 40 92",
    "order": 0,
}


def load(apps, schema_editor):
    SraneContact = apps.get_model("relay", "SraneContact")
    SraneContact.objects.get_or_create(email=MAILBOX["email"], department="", defaults=MAILBOX)


def unload(apps, schema_editor):
    SraneContact = apps.get_model("relay", "SraneContact")
    SraneContact.objects.filter(email=MAILBOX["email"], department="").delete()


class Migration(migrations.Migration):
    dependencies = [("relay", "0001_announcements")]

    operations = [migrations.RunPython(load, unload)]
