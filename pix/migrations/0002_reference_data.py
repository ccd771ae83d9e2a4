"""The CRCN as Pix encodes it, and the 6e parcours names the portal recognises (SRANE-editable)."""

from django.db import migrations

from pix.crcn import COMPETENCES, DOMAINS

# Pix does not publish these names; the SRANE corrects them in the admin if its schools see others.
KNOWN_PARCOURS = [
    ("Parcours 6e Protection et sécurité", "6e-protection"),
    ("Parcours 6e Initiation aux compétences numériques", "6e-initiation"),
    ("Parcours 6e Bilan", "6e-bilan"),
]


def load(apps, schema_editor):
    Domain = apps.get_model("pix", "CrcnDomain")
    Competence = apps.get_model("pix", "CrcnCompetence")
    Known = apps.get_model("pix", "KnownParcours")
    domains = {}
    for number, title in DOMAINS:
        domains[number], _ = Domain.objects.update_or_create(
            number=number, defaults={"title": title}
        )
    for code, name in COMPETENCES:
        Competence.objects.update_or_create(
            code=code, defaults={"name": name, "domain": domains[int(code[0])]}
        )
    for name, role in KNOWN_PARCOURS:
        Known.objects.get_or_create(name=name, defaults={"role": role})


class Migration(migrations.Migration):
    dependencies = [("pix", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
