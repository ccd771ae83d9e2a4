"""python manage.py import_pix_export FILE --uai UAI [--year 2025] [--record-name]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pix.imports import services
from rrupn.establishments.models import Establishment


class Command(BaseCommand):
    help = (
        "Importe un export de résultats de campagne Pix Orga (évaluation ou collecte de profils) "
        "pour l'établissement UAI, tout ou rien. Affiche les nombres d'élèves ajoutés, mis à jour "
        "et inchangés, et les avertissements. Si le nom de l'organisation dans le fichier diffère "
        "du nom Pix Orga enregistré pour l'établissement (ou si aucun n'est enregistré), "
        "l'avertissement est affiché et l'import a lieu quand même ; le nom n'est enregistré "
        "qu'avec --record-name. Code de sortie non nul et chaque erreur (ligne, colonne) "
        "affichée si le fichier est refusé : rien n'est alors enregistré."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="le fichier CSV exporté de Pix Orga")
        parser.add_argument("--uai", required=True, help="UAI de l'établissement")
        parser.add_argument(
            "--year",
            type=int,
            help=(
                "année de rentrée (2025 pour 2025-2026) d'une campagne créée par cet import ; "
                "par défaut celle des dates du fichier"
            ),
        )
        parser.add_argument(
            "--record-name",
            action="store_true",
            help="enregistrer le nom d'organisation du fichier comme nom Pix Orga de l'établissement",
        )

    def handle(self, *args, file, uai, year=None, record_name=False, **options):
        establishment = Establishment.objects.filter(uai=uai.strip().upper()).first()
        if establishment is None:
            raise CommandError(f"Aucun établissement n'a l'UAI « {uai} ».")
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Impossible de lire « {file} » : {exc.strerror}.") from None
        try:
            outcome = services.apply(
                establishment,
                data,
                file_name=path.name,
                record_name=record_name,
                forced_year=year,
            )
        except services.ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(f"Erreur : {error}")
            raise CommandError(
                f"Fichier refusé ({len(refused.errors)} erreur(s)) : rien n'a été importé."
            ) from None
        for warning in outcome.plan.warnings:
            self.stdout.write(self.style.WARNING(f"Avertissement : {warning}"))
        counts = outcome.plan.counts()
        self.stdout.write(
            self.style.SUCCESS(
                f"Campagne {outcome.campaign.code} « {outcome.campaign.name} » "
                f"({outcome.campaign.school_year.label}) : {counts['rows']} ligne(s), "
                f"{counts['created']} élève(s) ajouté(s), {counts['updated']} mis à jour, "
                f"{counts['unchanged']} inchangé(s)."
            )
        )
