"""The four functions of the RRUPN and their tasks (guide, "Vue synthétique"), sharing partners,
IMP annual rates (arrêté du 27 avril 2015)."""

from decimal import Decimal

from django.db import migrations

FUNCTIONS = [
    (
        1,
        "Conseil de l'équipe de direction dans le pilotage du numérique",
        False,
        [
            "Animer la commission numérique de l'établissement",
            "Apporter une expertise sur les outils et services numériques institutionnels "
            "(ARENA, webmail, RGPD)",
            "Partager son appréciation des usages du numérique par les enseignants et les élèves",
            "Repérer et faire remonter les pratiques remarquables",
            "Conseiller sur la place du numérique dans le projet d'établissement et le choix "
            "de ses indicateurs",
            "Proposer des réunions d'information, des actions de formation et des achats",
        ],
    ),
    (
        2,
        "Accompagnement des équipes pédagogiques",
        False,
        [
            "Être le relais du SRANE dans l'établissement",
            "Identifier les besoins de formation (café numérique, FIL, Pix+Édu)",
            "Accompagner les projets pédagogiques incluant le numérique",
            "Accompagner le développement des compétences numériques des élèves (Pix, CRCN)",
        ],
    ),
    (
        3,
        "Administration des services numériques",
        False,
        [
            "Administrer l'ENT par délégation du chef d'établissement, seul ou avec les "
            "administrateurs ENT",
            "Gérer les affectations GAR et le médiacentre",
        ],
    ),
    (
        4,
        "Lien avec les services chargés de l'équipement et de la maintenance",
        True,
        [
            "Assurer la maintenance informatique de premier niveau",
            "Relayer les demandes d'assistance auprès de la collectivité",
            "Participer aux campagnes d'équipement",
        ],
    ),
]
PARTNERS = [
    ("admin-ent", "Administrateur ENT", False),
    ("resp-gar", "Responsable d'affectation GAR", False),
    ("documentaliste", "Professeur documentaliste", False),
    ("direction", "Membre de l'équipe de direction", False),
    ("autre", "Autre personne nommée", True),
]
IMP_RATES = ["312.50", "625.00", "1250.00", "2500.00", "3750.00"]


def load(apps, schema_editor):
    Function = apps.get_model("missions", "MissionFunction")
    Task = apps.get_model("missions", "MissionTask")
    Partner = apps.get_model("missions", "SharingPartner")
    ImpRate = apps.get_model("missions", "ImpRate")
    for number, title, optional, tasks in FUNCTIONS:
        function, _ = Function.objects.get_or_create(
            number=number, defaults={"title": title, "optional": optional}
        )
        for order, task in enumerate(tasks, start=1):
            Task.objects.get_or_create(function=function, title=task, defaults={"order": order})
    for order, (code, label, needs_name) in enumerate(PARTNERS, start=1):
        Partner.objects.get_or_create(
            code=code, defaults={"label": label, "needs_name": needs_name, "order": order}
        )
    for amount in IMP_RATES:
        ImpRate.objects.get_or_create(amount=Decimal(amount))


class Migration(migrations.Migration):
    dependencies = [("missions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
