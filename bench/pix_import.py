"""`make bench`: time and queries of a Pix Orga export import at 1 000 and 10 000 rows.

Runs on a throw-away database (SQLite by default, or DATABASE_URL, e.g. PostgreSQL): generates a
profiles-collection export of each size as Pix writes it (16 competences per pupil), imports it
once (every pupil new), then again with every pupil's results changed (every pupil updated).

On PostgreSQL each bulk statement is one query whatever the number of rows, so the query count
is the same at both sizes (the script fails otherwise) and the time grows linearly. On SQLite,
Django splits bulk statements at 999 variables per query, so there the count grows with the
rows by design of the driver, not of the importer.
"""

import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rrupn.settings")
os.environ.setdefault("RRUPN_TESTING", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

warnings.filterwarnings("ignore", "No directory at")  # no collectstatic for a benchmark

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from pix import crcn  # noqa: E402
from pix.imports import services  # noqa: E402
from pix.models import Campaign  # noqa: E402
from rrupn.establishments.models import Division, Establishment, SchoolYear  # noqa: E402
from rrupn.establishments.uai import uai_key  # noqa: E402

SIZES = [1_000, 10_000]
CLASSES = [f"{level}{letter}" for level in "3" for letter in "ABCDEFGHIJ"]


def cell(value) -> str:
    if isinstance(value, bool):
        return '"Oui"' if value else '"Non"'
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace('"', '""') + '"'


def export(rows: int, code: str, pix_id: int, bump: int = 0) -> bytes:
    """A profiles-collection export of `rows` pupils (one in ten not sent yet)."""
    header = [
        "Nom de l'organisation",
        "ID Campagne",
        "Code",
        "Nom de la campagne",
        "Nom du Participant",
        "Prénom du Participant",
        "Classe",
        "Envoi (O/N)",
        "Date et heure de l'envoi (Europe/Paris)",
        "Nombre de pix total",
        "Certifiable (O/N)",
        "Nombre de compétences certifiables",
    ]
    for _code, name in crcn.COMPETENCES:
        header += [f"Niveau pour la compétence {name}", f"Nombre de pix pour la compétence {name}"]
    lines = [";".join(cell(h) for h in header)]
    for n in range(rows):
        fixed = ["Collège Banc d'essai", pix_id, code, "Collecte de profils 3e"]
        fixed += [f"ÉLÈVE{n:05d}", f"Prénom{n % 97}", CLASSES[n % len(CLASSES)]]
        if n % 10 == 9:
            lines.append(";".join([*(cell(v) for v in fixed), cell(False)] + ['"NA"'] * 36))
            continue
        pix = [(n * 7 + i * 3 + bump) % 40 for i in range(16)]
        levels = [p // 8 for p in pix]
        certifiable = sum(1 for level in levels if level >= 1)
        values = [*fixed, True, f"{1 + n % 28:02d}/10/2025 10:{n % 60:02d}", sum(pix)]
        values += [certifiable >= 5, certifiable]
        for level, points in zip(levels, pix, strict=True):
            values += [level, points]
        lines.append(";".join(cell(v) for v in values))
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


def run(school, data: bytes) -> tuple[int, float, dict]:
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        outcome = services.apply(school, data, file_name="bench.csv", record_name=True)
        elapsed = time.perf_counter() - start
    return len(ctx.captured_queries), elapsed, outcome.plan.counts()


def main() -> int:
    call_command("migrate", verbosity=0)
    digits = "0879990"
    school, _created = Establishment.objects.get_or_create(
        uai=digits + uai_key(digits),
        defaults={
            "name": "Collège Banc d'essai",
            "kind": "college",
            "sector": "public",
            "commune": "Limoges",
            "department": "87",
        },
    )
    year, _created = SchoolYear.objects.get_or_create(start_year=2025)
    for code in CLASSES:
        Division.objects.get_or_create(establishment=school, school_year=year, code=code)
    print(f"Base : {connection.vendor}")
    print(
        f"{'lignes':>7} | {'import':<24} | {'requêtes':>8} | {'temps (s)':>9} | {'ms / 1 000 lignes':>17}"
    )
    print("-" * 78)
    run(school, export(3, "BENCHW000", 899_999))  # warm-up: content types, caches
    queries_by_step, seconds = {}, {}
    for index, size in enumerate(SIZES):
        code, pix_id = f"BENCHA{index:03d}", 900_000 + index
        Campaign.objects.filter(establishment=school, code=code).delete()
        steps = [
            ("premier import (ajouts)", export(size, code, pix_id)),
            ("réimport (mises à jour)", export(size, code, pix_id, bump=5)),
        ]
        for label, data in steps:
            queries, elapsed, counts = run(school, data)
            queries_by_step.setdefault(label, []).append(queries)
            seconds[(label, size)] = elapsed
            per_thousand = elapsed * 1000 / (size / 1000)
            print(
                f"{size:>7} | {label:<24} | {queries:>8} | {elapsed:>9.3f} | {per_thousand:>17.1f}"
            )
            assert counts["rows"] == size, counts
    # The figures: 1 000 rows well under a second, cost linear in the rows. Printed, not
    # asserted: a time depends on the machine (a loaded CI runner), the query count does not.
    print()
    small, large = SIZES[0], SIZES[-1]
    for label in queries_by_step:
        first = seconds[(label, small)]
        verdict = "atteint" if first < 1 else "NON ATTEINT"
        print(f"{label} : {small} lignes en {first:.2f} s (objectif < 1 s : {verdict})")
        growth = (seconds[(label, large)] / large) / (first / small)
        print(f"  coût par ligne à {large} lignes / à {small} lignes : {growth:.2f} (1 = linéaire)")
    if connection.vendor == "postgresql":
        grown = {label: q for label, q in queries_by_step.items() if len(set(q)) > 1}
        if grown:
            print(f"ÉCHEC : le nombre de requêtes dépend du nombre de lignes : {grown}")
            return 1
        print("Nombre de requêtes identique à 1 000 et 10 000 lignes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
