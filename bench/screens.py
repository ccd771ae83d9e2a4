"""`make bench`: queries and time of the three screens at académie and national scale.

Runs on a throw-away database (SQLite by default, or DATABASE_URL): creates N establishments,
one RRUPN each, a SRANE académie account and a head, then requests each screen several times.
"""

import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rrupn.settings")
os.environ.setdefault("RRUPN_TESTING", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# The per-process cache: the bench clears it before each screen, never a shared Redis.
os.environ.pop("REDIS_URL", None)
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

warnings.filterwarnings("ignore", "No directory at")  # no collectstatic for a benchmark

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from rrupn.accounts.models import Role, RoleAssignment, SraneLevel, SraneScope, User  # noqa: E402
from rrupn.establishments.models import Establishment, SchoolYear  # noqa: E402
from rrupn.establishments.uai import uai_key  # noqa: E402

SIZES = [136, 11_000]
RUNS = 7


def populate(total: int) -> None:
    have = Establishment.objects.count()
    year = SchoolYear.current()
    new = []
    for n in range(have, total):
        department = ("19", "23", "87")[n % 3]
        digits = f"{9_000_000 + n:07d}"
        new.append(
            Establishment(
                uai=digits + uai_key(digits),
                name=f"Collège Banc d'essai {n}",
                kind="college",
                sector="public",
                commune="Limoges",
                postal_code=f"{department}000",
                department=department,
            )
        )
    Establishment.objects.bulk_create(new, batch_size=1000)
    users = User.objects.bulk_create(
        [User(email=f"rrupn{n}@bench.invalid", last_name=f"R{n}") for n in range(have, total)],
        batch_size=1000,
    )
    by_uai = Establishment.objects.in_bulk([e.uai for e in new], field_name="uai")
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=u, establishment=by_uai[e.uai], role=Role.RRUPN, school_year=year)
            for u, e in zip(users, new, strict=True)
        ],
        batch_size=1000,
    )


def measure(client: Client, url: str) -> tuple[int, float, float]:
    """(queries, first request in ms, median of the next ones in ms). The first request fills
    the per-process caches and, for the SRANE screens that look at a whole scope (state filter
    and sort, charts), the shared cache of the columns' states (5 minutes)."""
    cache.clear()
    start = time.perf_counter()
    client.get(url)
    first = time.perf_counter() - start
    timings, queries = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return queries, first * 1000, statistics.median(timings) * 1000


def main() -> None:
    call_command("migrate", verbosity=0)
    srane = User.objects.create(email="srane@bench.invalid")
    SraneScope.objects.create(user=srane, level=SraneLevel.ACADEMIE)
    head = User.objects.create(email="head@bench.invalid")
    print(
        f"{'établissements':>15} | {'écran':<30} | {'requêtes':>8} | {'1re (ms)':>9} | "
        f"{'médiane (ms)':>12}"
    )
    print("-" * 88)
    for size in SIZES:
        populate(size)
        school = Establishment.objects.order_by("pk").first()
        RoleAssignment.objects.get_or_create(user=head, establishment=school, role=Role.HEAD)
        srane_client, head_client = Client(), Client()
        srane_client.force_login(srane)
        head_client.force_login(head)
        overview = reverse("dashboard:srane_overview")
        screens = [
            ("vue SRANE (page 1)", srane_client, overview),
            ("vue SRANE (dernière page)", srane_client, overview + "?page=last"),
            ("vue SRANE (recherche)", srane_client, overview + "?q=Banc+d%27essai+1&tri=-nom"),
            (
                "vue SRANE (état filtré, trié)",
                srane_client,
                overview + "?colonne=rrupn_designated&etat=fait&tri=mission_letter",
            ),
            (
                "vue SRANE (fiche)",
                srane_client,
                reverse("dashboard:srane_establishment", args=[school.uai]),
            ),
            ("vue SRANE (graphiques)", srane_client, reverse("dashboard:srane_progress")),
            (
                "vue SRANE (export CSV)",
                srane_client,
                reverse("dashboard:srane_export_csv") + "?departement=87",
            ),
            (
                "vue SRANE (export XLSX)",
                srane_client,
                reverse("dashboard:srane_export_xlsx") + "?departement=87",
            ),
            (
                "tableau de bord RRUPN",
                head_client,
                reverse("dashboard:establishment", args=[school.uai]),
            ),
            ("validations du chef", head_client, reverse("dashboard:inbox", args=[school.uai])),
        ]
        for label, client, url in screens:
            queries, first_ms, median_ms = measure(client, url)
            print(
                f"{size:>15} | {label:<30} | {queries:>8} | {first_ms:>9.1f} | {median_ms:>12.1f}"
            )


if __name__ == "__main__":
    main()
