"""The SRANE overview: filters, sort, search and pages in the URL; scope; exports; charts; the
PDF summary; constant queries whatever the number of establishments."""

import csv
import datetime
import io
import re
import subprocess

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from rrupn.accounts.models import Role
from rrupn.dashboard import srane
from rrupn.dashboard.registry import srane_columns
from rrupn.establishments.models import Kind, Sector
from rrupn.spreadsheet import BOM

from ..conftest import close_download
from ..factories import EstablishmentFactory, RoleAssignmentFactory, SraneScopeFactory
from ..missions.factories import MissionLetterFactory

pytestmark = pytest.mark.django_db

OVERVIEW = "dashboard:srane_overview"


@pytest.fixture(autouse=True)
def _fresh_states(settings):
    """The states of a whole scope are cached a few minutes; a test (whose ids another test
    may reuse) starts without them, in a cache of its own (clearing never touches Redis)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "srane-overview-tests",
        }
    }
    cache.clear()


@pytest.fixture
def academie(client):
    client.force_login(SraneScopeFactory(academie=True).user)
    return client


@pytest.fixture
def haute_vienne(client):
    """A SRANE of the département 87 only."""
    client.force_login(SraneScopeFactory(department="87").user)
    return client


def with_rrupn(est):
    RoleAssignmentFactory(establishment=est, role=Role.RRUPN, yearly=True)
    return est


def names(response) -> list[str]:
    return [row.establishment.name for row in response.context["rows"]]


def get(client, name=OVERVIEW, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200, response.content[:500]
    return response


# --- Query counts ----------------------------------------------------------------------------


def count_queries(client, url) -> int:
    cache.clear()  # count the columns' queries, not a cache hit
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    if hasattr(response, "streaming_content"):
        close_download(response)
    return len(ctx.captured_queries)


def grow(total: int, made: list) -> None:
    """Up to `total` establishments over the three départements, each with its RRUPN; every
    other one with what each app's column reads (a signed letter, a commission that met with
    an open action, a training need, a GAR subscription, open and resolved tickets, a Pix
    campaign with its class summaries, a certification session), so a per-row query in any
    column would show in the counts."""
    from commission.models import Action, NeedOrigin, Priority, TrainingNeed, TrainingTopic
    from rrupn.establishments.models import SchoolYear

    from ..commission.factories_members import commission, meeting, member
    from ..gar.factories_campaign import SubscriptionFactory
    from ..maintenance.test_tickets_screens import make_ticket
    from ..pix.factories import CertificationSessionFactory
    from ..pix.followup_data import bulk_campaign

    while len(made) < total:
        n = len(made)
        est = with_rrupn(EstablishmentFactory(department_code=("87", "19", "23")[n % 3]))
        rrupn = RoleAssignmentFactory(establishment=est, role=Role.RRUPN, yearly=True).user
        if n % 2:
            MissionLetterFactory(establishment=est, signed=True)
            com = commission(est)
            held = meeting(com, days=-(n + 1), created_by=rrupn)
            Action.objects.create(
                commission=com, meeting=held, title="Former les équipes", owner=member(com)
            )
            TrainingNeed.objects.create(
                establishment=est,
                school_year=SchoolYear.current(),
                topic=TrainingTopic.objects.first(),
                audience="Professeurs de 6e",
                staff_count=4,
                priority=Priority.HIGH,
                origin=NeedOrigin.SURVEY,
                created_by=rrupn,
            )
            SubscriptionFactory(establishment=est)
            make_ticket(est, rrupn, age_days=n)
            make_ticket(est, rrupn, age_days=n + 3, resolved_after=datetime.timedelta(days=2))
            bulk_campaign(est, 1, 3)
            CertificationSessionFactory(establishment=est)
        made.append(est)


URLS = [
    reverse(OVERVIEW),
    reverse(OVERVIEW) + "?colonne=rrupn_designated&etat=fait&tri=-mission_letter",
    reverse(OVERVIEW) + "?q=Coll&type=college&secteur=public&tri=nom&page=last",
    reverse("dashboard:srane_export_csv") + "?tri=rrupn_designated",
    reverse("dashboard:srane_export_xlsx") + "?colonne=mission_letter&etat=a_faire",
    reverse("dashboard:srane_progress"),
    reverse("dashboard:srane_progress") + "?departement=87",
]


def test_queries_are_the_same_with_1_10_and_100_establishments(academie):
    made: list = []
    counts = {}
    for size in (1, 10, 100):
        grow(size, made)
        for url in URLS:  # warm the per-process caches (content types, current school year)
            count_queries(academie, url)
        counts[size] = [count_queries(academie, url) for url in URLS]
    assert counts[1] == counts[10] == counts[100], counts
    # one or two per registered column, plus session, user, scope, count and page
    assert max(counts[1]) <= 2 * len(srane_columns) + 12, counts


def test_the_drill_down_runs_constant_queries(academie):
    school = with_rrupn(EstablishmentFactory())
    url = reverse("dashboard:srane_establishment", args=[school.uai])
    count_queries(academie, url)
    before = count_queries(academie, url)
    MissionLetterFactory(establishment=school, signed=True)
    for _ in range(3):
        with_rrupn(school)
    assert count_queries(academie, url) == before


def test_paging_through_a_state_filter_reuses_the_scope_states(academie):
    made: list = []
    grow(60, made)
    url = reverse(OVERVIEW) + "?colonne=rrupn_designated&etat=fait&tri=-mission_letter"
    count_queries(academie, url)
    first = count_queries(academie, url)  # cleared: the two columns run on the whole scope
    with CaptureQueriesContext(connection) as ctx:
        assert academie.get(url + "&page=2").status_code == 200
    assert len(ctx.captured_queries) == first - 2


def test_reloaded_charts_come_from_the_shared_cache(academie, schools):
    url = reverse("dashboard:srane_progress")
    first = count_queries(academie, url)  # cleared: every column runs on the whole scope
    with CaptureQueriesContext(connection) as ctx:
        response = academie.get(url)
    assert len(ctx.captured_queries) <= first - len(srane_columns)
    progress = response.context["progress"]
    assert progress.total == 4
    counts = {column.key: (c.done, c.todo) for column, c in progress.columns}
    assert counts["rrupn_designated"] == (2, 2)
    assert [code for code, *_rest in progress.departments] == ["19", "23", "87"]


# --- Filters, sort, search, pages -----------------------------------------------------------


@pytest.fixture
def schools(db):
    return {
        "alpha": with_rrupn(EstablishmentFactory(name="Collège Alpha", department_code="87")),
        "bravo": EstablishmentFactory(name="Collège Bravo", department_code="87"),
        "lycee": with_rrupn(
            EstablishmentFactory(
                name="Lycée Charlie", department_code="19", kind=Kind.LYCEE, commune="Tulle"
            )
        ),
        "prive": EstablishmentFactory(
            name="Collège Delta privé", department_code="23", sector=Sector.PRIVATE
        ),
    }


def test_filters_by_department_kind_and_sector(academie, schools):
    assert names(get(academie, departement="87")) == ["Collège Alpha", "Collège Bravo"]
    assert names(get(academie, type="lycee")) == ["Lycée Charlie"]
    assert names(get(academie, secteur="private")) == ["Collège Delta privé"]
    assert names(get(academie, departement="87", type="lycee")) == []


def test_search_by_name_or_uai(academie, schools):
    assert names(get(academie, q="charl")) == ["Lycée Charlie"]
    assert names(get(academie, q=schools["bravo"].uai)) == ["Collège Bravo"]
    assert names(get(academie, q=schools["bravo"].uai[:7].lower())) == ["Collège Bravo"]
    response = get(academie, q="introuvable")
    assert names(response) == []
    assert "Aucun établissement ne correspond à ces filtres." in response.content.decode()


def test_filter_on_the_state_of_a_domain(academie, schools):
    done = get(academie, colonne="rrupn_designated", etat=srane.DONE, tri="nom")
    assert names(done) == ["Collège Alpha", "Lycée Charlie"]
    todo = get(academie, colonne="rrupn_designated", etat=srane.TODO, tri="nom")
    assert names(todo) == ["Collège Bravo", "Collège Delta privé"]
    assert names(get(academie, colonne="commission_meetings", etat=srane.DONE)) == []
    assert len(names(get(academie, colonne="commission_meetings", etat=srane.NOT_APPLICABLE))) == 4


def test_sort_by_name_uai_department_and_domain_state(academie, schools):
    assert names(get(academie, tri="nom")) == [
        "Collège Alpha",
        "Collège Bravo",
        "Collège Delta privé",
        "Lycée Charlie",
    ]
    assert names(get(academie, tri="-nom"))[0] == "Lycée Charlie"
    by_uai = sorted(schools.values(), key=lambda e: e.uai)
    assert names(get(academie, tri="uai")) == [e.name for e in by_uai]
    assert names(get(academie, tri="-uai")) == [e.name for e in reversed(by_uai)]
    assert names(get(academie, tri="departement"))[0] == "Lycée Charlie"  # 19 first
    # "à faire" first, then "fait"; reversed: "fait" first
    assert names(get(academie, tri="rrupn_designated")) == [
        "Collège Bravo",
        "Collège Delta privé",
        "Collège Alpha",
        "Lycée Charlie",
    ]
    assert names(get(academie, tri="-rrupn_designated"))[:2] == ["Collège Alpha", "Lycée Charlie"]


def test_the_header_links_sort_and_toggle_the_order(academie, schools):
    response = get(academie, departement="87", tri="nom")
    link, state = response.context["sort_links"]["nom"]
    assert state == "ascending"
    assert "tri=-nom" in link and "departement=87" in link
    assert 'aria-sort="ascending"' in response.content.decode()
    assert response.context["sort_links"]["uai"][1] == "none"


def test_pages_of_fifty_keep_the_filters(academie):
    for n in range(120):
        EstablishmentFactory(name=f"Collège Page {n:03d}", department_code="87")
    EstablishmentFactory(name="Lycée hors filtre", department_code="87", kind=Kind.LYCEE)
    first = get(academie, type="college", tri="nom")
    assert first.context["page"].paginator.count == 120
    assert len(names(first)) == srane.PER_PAGE
    html = first.content.decode()
    assert "?type=college&amp;tri=nom&amp;page=2" in html
    third = get(academie, type="college", tri="nom", page="3")
    assert names(third) == [f"Collège Page {n:03d}" for n in range(100, 120)]
    assert names(get(academie, type="college", tri="nom", page="last"))[-1] == "Collège Page 119"


def test_an_invalid_filter_is_reported_and_the_others_still_apply(academie, schools):
    response = get(academie, type="ecole", departement="87", etat="fait")
    html = response.content.decode()
    assert "Un filtre n’a pas été compris" in html
    assert "Choisissez le domaine dont filtrer l’état." in html
    assert names(response) == ["Collège Alpha", "Collège Bravo"]  # département kept


# --- Scope ----------------------------------------------------------------------------------


def test_a_department_srane_never_sees_another_department(haute_vienne, schools):
    assert names(get(haute_vienne)) == ["Collège Alpha", "Collège Bravo"]
    lycee = schools["lycee"]
    assert names(get(haute_vienne, q=lycee.uai)) == []
    response = get(haute_vienne, departement="19")
    assert names(response) == ["Collège Alpha", "Collège Bravo"]
    assert "Un filtre n’a pas été compris" in response.content.decode()
    # drill-down
    url = reverse("dashboard:srane_establishment", args=[lycee.uai])
    assert haute_vienne.get(url).status_code == 404
    own = reverse("dashboard:srane_establishment", args=[schools["alpha"].uai])
    assert haute_vienne.get(own).status_code == 200
    # exports, charts, PDF summary
    csv_text = get(haute_vienne, "dashboard:srane_export_csv", departement="19").content.decode()
    assert "Collège Alpha" in csv_text and "Lycée Charlie" not in csv_text
    xlsx = get(haute_vienne, "dashboard:srane_export_xlsx", q=lycee.uai)
    assert [row[1] for row in sheet_rows(xlsx.content)[1:]] == []
    progress = get(haute_vienne, "dashboard:srane_progress", departement="19")
    assert progress.context["progress"].total == 2
    summary = reverse("dashboard:srane_summary")
    assert haute_vienne.get(summary, {"departement": "19"}).status_code == 404
    request = reverse("dashboard:srane_summary_request")
    assert haute_vienne.post(request, {"departement": "19"}).status_code == 404


def test_staff_without_srane_scope_is_refused(client, school):
    user = RoleAssignmentFactory(establishment=school, role=Role.HEAD).user
    client.force_login(user)
    for name in (OVERVIEW, "dashboard:srane_export_xlsx", "dashboard:srane_progress"):
        assert client.get(reverse(name)).status_code == 403


# --- Drill-down -----------------------------------------------------------------------------


def test_drill_down_shows_every_domain_with_its_detail_and_no_pupil(academie, schools):
    alpha = schools["alpha"]
    response = academie.get(
        reverse("dashboard:srane_establishment", args=[alpha.uai]), {"retour": "departement=87"}
    )
    html = response.content.decode()
    labels = [str(column.label) for column, _status, _state in response.context["statuses"]]
    assert labels == [str(column.label) for column in srane_columns]
    assert "Collège Alpha" in html and alpha.uai in html
    assert f"{reverse(OVERVIEW)}?departement=87" in html  # back to the filtered table
    assert response.context["done"] >= 1  # its RRUPN is designated
    assert "aucune donnée d’élève" in html


# --- Exports --------------------------------------------------------------------------------


def sheet_rows(content: bytes) -> list[tuple]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    rows = list(book["Vue SRANE"].iter_rows(values_only=True))
    book.close()
    return rows


def test_xlsx_export_has_the_filtered_rows_and_every_domain(academie, schools):
    response = get(academie, "dashboard:srane_export_xlsx", departement="87", tri="-nom")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment;" in response["Content-Disposition"]
    rows = sheet_rows(response.content)
    header = rows[0]
    assert header[:6] == ("UAI", "Établissement", "Commune", "Département", "Type", "Secteur")
    assert len(header) == 6 + 2 * len(srane_columns)
    assert [row[1] for row in rows[1:]] == ["Collège Bravo", "Collège Alpha"]
    state = header.index("RRUPN désigné — état")
    assert rows[1][state] == "À faire" and rows[2][state] == "Fait"
    assert rows[1][header.index("RRUPN désigné — détail")] == "Aucun RRUPN désigné"


def test_csv_export_is_for_french_excel_and_formula_safe(academie):
    EstablishmentFactory(name='=HYPERLINK("http://x")', department_code="87")
    response = get(academie, "dashboard:srane_export_csv", departement="87")
    raw = response.content.decode("utf-8")
    assert raw.startswith(BOM)
    rows = list(csv.reader(io.StringIO(raw[len(BOM) :]), delimiter=";"))
    assert rows[0][0] == "UAI"
    assert rows[1][1] == '\'=HYPERLINK("http://x")'


def test_xlsx_cells_are_never_formulas(academie):
    EstablishmentFactory(name="=1+1", department_code="87")
    rows = sheet_rows(get(academie, "dashboard:srane_export_xlsx").content)
    assert rows[1][1] == "'=1+1"


# --- Charts ---------------------------------------------------------------------------------


def test_progress_counts_and_charts_with_their_tables(academie, schools):
    response = get(academie, "dashboard:srane_progress")
    progress = response.context["progress"]
    assert progress.total == 4
    counts = dict((column.key, c) for column, c in progress.columns)
    assert (counts["rrupn_designated"].done, counts["rrupn_designated"].todo) == (2, 2)
    assert "commission_meetings" not in counts  # a figure, not a state: not charted
    departments = {code: overall for code, _label, _size, overall, _by in progress.departments}
    assert set(departments) == {"19", "23", "87"}
    html = response.content.decode()
    assert html.count('role="img"') == 2
    assert "2 / 4 — 50 %" in html  # the value is written on the bar, not only drawn
    assert 'id="table-par-domaine"' in html and 'id="table-par-departement"' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_chart_labels_are_escaped(academie):
    from rrupn.dashboard.charts import Bar, bar_chart

    svg = bar_chart([Bar("<b>x</b>", 0.5, "1 / 2")], chart_id="c", title="T & t", description="d")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "T &amp; t" in svg


# --- PDF summary ----------------------------------------------------------------------------


def test_pdf_summary_is_rendered_by_the_worker_then_downloaded(
    haute_vienne, schools, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    summary = reverse("dashboard:srane_summary")
    page = haute_vienne.get(summary)
    assert page.status_code == 200 and "Produire le PDF" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = haute_vienne.post(
            reverse("dashboard:srane_summary_request"), {"departement": "87"}
        )
    assert len(queued) == 1  # the task is queued once the request's transaction commits
    assert response.status_code == 302
    assert response["Location"] == f"{summary}?departement=87&attente=1"
    pdf = haute_vienne.get(response["Location"])  # tasks run inline in tests
    assert pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)
    close_download(pdf)
    assert content.startswith(b"%PDF")
    pdf_file = tmp_path / "synthese.pdf"
    pdf_file.write_bytes(content)
    info = subprocess.run(["pdfinfo", pdf_file], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M), info.stdout
    text = subprocess.run(
        ["pdftotext", pdf_file, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Haute-Vienne (87)" in text and "Collège Bravo" in text
    assert "Lycée Charlie" not in text
