import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from missions.export import letters_for_export, zip_write
from rrupn.establishments.models import Department, SchoolYear

YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")


class Command(BaseCommand):
    help = (
        "Écrit dans un dossier l'archive ZIP des lettres de mission signées d'une année "
        "scolaire (PDF par département + index.csv), pour un département ou toute l'académie."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="année scolaire, par exemple 2026-2027")
        parser.add_argument(
            "--department",
            default="",
            help=f"code du département ({', '.join(Department.values)}) ; "
            "sans lui, toute l'académie",
        )
        parser.add_argument("--out", required=True, type=Path, help="dossier de destination")

    def handle(self, *args, year: str, department: str, out: Path, **options):
        start_year = self._start_year(year)
        if department and department not in Department.values:
            raise CommandError(
                f"Département inconnu : {department} (attendu : {', '.join(Department.values)})."
            )
        school_year = SchoolYear.objects.filter(start_year=start_year).first()
        if school_year is None:
            raise CommandError(f"L'année scolaire {year} n'existe pas dans le portail.")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Impossible de créer le dossier {out} : {exc}") from exc
        letters = list(letters_for_export(school_year=school_year, department=department))
        target = out / f"lettres-de-mission-{school_year.label}-{department or 'academie'}.zip"
        partial = target.with_suffix(".zip.part")  # never leave a truncated ZIP under its name

        def progress(done: int) -> bool:
            if self.stdout.isatty():  # a live counter for a person, nothing in a log
                self.stdout.write(f"\r{done} / {len(letters)}", ending="")
            return True

        try:
            with partial.open("wb") as archive:
                missing = zip_write(letters, archive, progress=progress)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Écriture impossible de {target} : {exc}") from exc
        partial.replace(target)
        if self.stdout.isatty():
            self.stdout.write("")
        for reference in missing:
            self.stderr.write(f"PDF en échec, absent de l'archive : {reference}")
        self.stdout.write(f"{len(letters)} lettre(s) exportée(s) dans {target}")

    def _start_year(self, raw: str) -> int:
        match = YEAR_RE.match(raw)
        if not match or int(match[2]) != int(match[1]) + 1:
            raise CommandError(
                f"Année scolaire invalide : {raw!r} (attendu : deux années qui se suivent, "
                "par exemple 2026-2027)."
            )
        return int(match[1])
