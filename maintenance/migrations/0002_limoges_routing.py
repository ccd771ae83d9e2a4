"""The guide's routing table for the académie de Limoges (SPEC §6)."""

from django.db import migrations

CATEGORIES = [
    ("poste", "Poste de travail, ordinateur portable"),
    ("impression", "Impression, copieur"),
    ("video", "Vidéoprojecteur, VPI, écran interactif"),
    ("tablette", "Tablette, visualiseuse, petit matériel"),
    ("reseau-etablissement", "Réseau de l'établissement, wifi"),
    ("logiciel", "Logiciel, serveur pédagogique"),
    ("ent-lycee-connecte", "ENT Lycée connecté"),
    ("reseau-academique", "Réseau académique (ARENA, messagerie, applications académiques)"),
    ("autre", "Autre"),
]
CHANNELS = [
    ("glpi-cd87", "GLPI du département de la Haute-Vienne", "glpi", "cd87",
     "https://glpiprod.haute-vienne.fr", "",
     "Compte fourni par le conseil départemental à la demande du chef d'établissement."),
    ("correze-gestionnaire", "Gestionnaire → ws.correze.fr", "handoff", "cd19",
     "https://ws.correze.fr", "",
     "Transmettez l'incident au gestionnaire de l'établissement : il saisit le ticket sur "
     "ws.correze.fr avec le compte de l'établissement (identifiant ce.UAI@ac-limoges.fr). "
     "La plateforme ne sert pas qu'à l'informatique : choisissez la rubrique informatique."),
    ("courriel-cd23", "Courriel au département de la Creuse", "email", "cd23",
     "", "tice-college@creuse.fr", ""),
    ("glpi-region", "GLPI de la Région Nouvelle-Aquitaine", "glpi", "region-na",
     "https://glpi.lycee-na.fr", "",
     "Le chef d'établissement peut saisir des tickets ; le RRUPN doit lui demander les droits "
     "d'accès. En attendant, le ticket passe par le chef d'établissement."),
    ("assistance-ent", "Assistance ENT Lycée connecté", "handoff", "region-na",
     "https://mon.lyceeconnecte.fr", "",
     "Depuis l'ENT, ouvrez l'application « Assistance ENT » et décrivez l'incident."),
    ("amerana", "AMÉRANA (assistance académique)", "handoff", None,
     "https://arena.ac-limoges.fr", "",
     "Depuis le portail ARENA, rubrique « Support et assistance », ouvrez une demande AMÉRANA."),
]
# (school group, département, category, channel)
RULES = [
    ("college", "87", None, "glpi-cd87"),
    ("college", "19", None, "correze-gestionnaire"),
    ("college", "23", None, "courriel-cd23"),
    ("lycee", "", None, "glpi-region"),
    ("lycee", "", "ent-lycee-connecte", "assistance-ent"),
    ("", "", "reseau-academique", "amerana"),
]


def load(apps, schema_editor):
    Category = apps.get_model("maintenance", "TicketCategory")
    Channel = apps.get_model("maintenance", "Channel")
    Rule = apps.get_model("maintenance", "RoutingRule")
    Collectivite = apps.get_model("establishments", "Collectivite")
    categories = {}
    for order, (code, label) in enumerate(CATEGORIES, start=1):
        categories[code] = Category.objects.get_or_create(
            code=code, defaults={"label": label, "order": order}
        )[0]
    channels = {}
    for code, name, kind, collectivite, url, email_to, instructions in CHANNELS:
        channels[code] = Channel.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "kind": kind, "url": url, "email_to": email_to,
                "instructions": instructions,
                "collectivite": Collectivite.objects.filter(code=collectivite).first(),
            },
        )[0]
    for group, department, category, channel in RULES:
        Rule.objects.get_or_create(
            school_group=group, department=department,
            category=categories.get(category) if category else None,
            defaults={"channel": channels[channel]},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("maintenance", "0001_initial"),
        ("establishments", "0002_reference_data"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
