from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rrupn.establishments.services import establishments_import


class Command(BaseCommand):
    help = "Importe le référentiel des établissements (CSV : uai,name,kind,sector,…)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Lecture impossible de {file} : {exc}") from exc
        result = establishments_import(text=text)
        if result.errors:
            for error in result.errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(
                f"{len(result.errors)} erreur(s) : rien n'a été importé de {file.name}."
            )
        self.stdout.write(
            f"{result.created} créé(s), {result.updated} mis à jour, "
            f"{result.unchanged} inchangé(s)."
        )
