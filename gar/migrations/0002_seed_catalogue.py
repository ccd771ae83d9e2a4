"""A starting catalogue: resources of the ministry's free national offer, marked national.

The ARK ids use the NAAN 99999, which the ARK scheme reserves for tests: they have the right
form but are placeholders, said so in each description. The SRANE replaces them with the ids of
the GAR notices (admin, "Ressources GAR") or adds the real entries; titles stay generic on
purpose rather than guessing a publisher's exact product name.
"""

from django.db import migrations

PLACEHOLDER = (
    "Entrée de départ du catalogue : l'identifiant ARK (NAAN 99999, réservé aux essais) est à "
    "remplacer par celui de la notice de la ressource dans le GAR."
)
ALL_STAFF = ["ELEVE", "ENSEIGNANT", "DOCUMENTALISTE"]
NATIONAL = [
    # (ark, title, publics)
    ("ark:/99999/brne-francais-cycle3", "BRNE — Français, cycle 3", ALL_STAFF),
    ("ark:/99999/brne-mathematiques-cycle4", "BRNE — Mathématiques, cycle 4", ALL_STAFF),
    ("ark:/99999/brne-sciences-cycle4", "BRNE — Sciences et technologie, cycle 4", ALL_STAFF),
    ("ark:/99999/brne-anglais-cycles3-4", "BRNE — Anglais, cycles 3 et 4", ALL_STAFF),
    (
        "ark:/99999/eduth-ressources-partenaires",
        "Ressources des établissements culturels partenaires (type Éduthèque)",
        ["ENSEIGNANT", "DOCUMENTALISTE"],
    ),
]


def load(apps, schema_editor):
    Resource = apps.get_model("gar", "GarResource")
    for ark, title, publics in NATIONAL:
        Resource.objects.get_or_create(
            ark=ark,
            defaults={
                "title": title,
                "distributor": "Ministère de l'Éducation nationale (offre nationale)",
                "origin": "national",
                "publics": publics,
                "description": PLACEHOLDER,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("gar", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
