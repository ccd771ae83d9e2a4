"""Training topics and the recommended tools catalogue of the guide's annex
("Les outils numériques préconisés"): usage × ENT (Lycée connecté, ENT Creuse, others)."""

from django.db import migrations

TOPICS = [
    "L'ENT et ses applications",
    "Médiacentre et ressources du GAR",
    "Compétences numériques des élèves (Pix, CRCN)",
    "Pix+Édu : compétences numériques des personnels",
    "RGPD et protection des données",
    "Outils collaboratifs (apps.education.fr, TRIBU)",
    "Classe virtuelle et visioconférence",
    "Intelligence artificielle en classe",
    "Webradio et éducation aux médias",
    "Matériel de classe (visualiseuse, VPI, tablettes)",
    "Manuels et ressources numériques",
    "Autre thème",
]

LC, CREUSE, OTHERS = "lycee-connecte", "ent-creuse", None
TEAM = "S'organiser en équipe, se concerter, s'accorder sur les moyens à utiliser"
COMMUNICATE = "Communiquer, interagir, garder le lien avec les élèves, les familles"
PUBLISH = "Publier et partager des contenus"
# (section, usage, {ent: [(tool, note)]})
CATALOGUE = [
    (TEAM, "S'organiser et travailler en équipe", {
        LC: [("Riot", "messagerie instantanée, et l'application mobile Element"),
             ("Wekan", "outil de gestion de projet")],
        OTHERS: [("Apps.education.fr", "applications « métier » pour échanger, communiquer, publier, partager"),
                 ("VIA", "classes virtuelles, depuis le portail ARENA"),
                 ("TRIBU", "espace collaboratif, depuis le portail ARENA"),
                 ("Messagerie professionnelle académique", "paramétrable depuis l'application Maca-dam"),
                 ("Microsoft Office 365 en ligne", "Teams, Word, Excel, Forms…, depuis le portail ARENA")],
    }),
    (COMMUNICATE, "Par courriel individuel ou collectif", {
        LC: [("Messagerie", ""), ("Riot / Element", "")],
        CREUSE: [("Messagerie", "")],
        OTHERS: [("Messagerie professionnelle académique", ""), ("Messagerie de Pronote", "")],
    }),
    (COMMUNICATE, "Par visioconférence", {
        LC: [("Webconférence", "")],
        OTHERS: [("Visio-conférence de apps.education.fr", "")],
    }),
    (PUBLISH, "Partager des documents avec les élèves", {
        LC: [("Document", "application"), ("Moodle", "plateforme"), ("Peertube", "hébergement de vidéos")],
        CREUSE: [("Porte documents", ""), ("Classeur pédagogique", "")],
        OTHERS: [("Moodle académique", ""), ("Nuage / Peertube", "apps.education.fr"), ("Pronote", ""),
                 ("Serveur pédagogique EduTICE", "Haute-Vienne (87)"),
                 ("Serveur pédagogique Kwartz", "Creuse (23)")],
    }),
    (PUBLISH, "Proposer des ressources et manuels numériques aux élèves", {
        LC: [("Médiacentre", "")],
        CREUSE: [("Médiacentre", "")],
        OTHERS: [("Médiacentre de EduGAR", "")],
    }),
    (PUBLISH, "Proposer des activités aux élèves", {
        LC: [("Frise chronologique, mur collaboratif, carte mentale…", "applications")],
        CREUSE: [("Classeur pédagogique", "")],
    }),
    (PUBLISH, "Recueillir des travaux d'élèves", {
        LC: [("Casier", "application"), ("Document", "application"), ("Moodle", "plateforme")],
        CREUSE: [("Classeur pédagogique", ""), ("Espace des classes", "")],
        OTHERS: [("Nuage", "apps.education.fr"), ("Pronote", "")],
    }),
    (PUBLISH, "Créer seuls ou en collaboration des documents textuels ou multimédias", {
        LC: [("Documents, cahier multimédia, frise chronologique, mur collaboratif, carte mentale…",
              "applications")],
        CREUSE: [("Dossier partagé", "en lien avec la bureautique en ligne"),
                 ("Blog", "différents niveaux d'autorisation")],
    }),
]


def load(apps, schema_editor):
    Topic = apps.get_model("commission", "TrainingTopic")
    Usage = apps.get_model("commission", "ToolUsage")
    Tool = apps.get_model("commission", "RecommendedTool")
    Ent = apps.get_model("establishments", "Ent")
    for order, label in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(label=label, defaults={"order": order})
    ents = {e.code: e for e in Ent.objects.all()}
    for order, (section, label, tools) in enumerate(CATALOGUE, start=1):
        usage, created = Usage.objects.get_or_create(
            section=section, label=label, defaults={"order": order}
        )
        if not created:
            continue
        for code, entries in tools.items():
            for tool_order, (name, note) in enumerate(entries, start=1):
                Tool.objects.create(
                    usage=usage, ent=ents.get(code) if code else None, name=name, note=note,
                    order=tool_order,
                )


class Migration(migrations.Migration):
    dependencies = [
        ("commission", "0001_initial"),
        ("establishments", "0002_reference_data"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
