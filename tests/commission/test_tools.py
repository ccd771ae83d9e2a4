"""The recommended tools catalogue: each school sees its ENT's column; the SRANE edits it."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commission.models import RecommendedTool, ToolUsage
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import Ent

from ..factories import EstablishmentFactory, RoleAssignmentFactory, SraneScopeFactory, UserFactory

pytestmark = pytest.mark.django_db


def member_of(school, role=Role.TEACHER):
    return RoleAssignmentFactory(establishment=school, role=role).user


def page(client, school, name="commission:tools_catalogue") -> str:
    client.force_login(member_of(school))
    response = client.get(reverse(name, args=[school.uai]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def lycee():
    return EstablishmentFactory(
        kind="lycee", department_code="87", ent=Ent.objects.get(code="lycee-connecte")
    )


@pytest.fixture
def college_23():
    return EstablishmentFactory(department_code="23", ent=Ent.objects.get(code="ent-creuse"))


@pytest.fixture
def college_87():
    return EstablishmentFactory(department_code="87", ent=None)


def test_a_lycee_sees_the_lycee_connecte_column(client, lycee):
    text = page(client, lycee)
    assert "avec l’ENT de l’établissement : Lycée connecté" in text
    assert "Riot" in text and "Wekan" in text and "Casier" in text and "Peertube" in text
    # Neither the ENT Creuse column nor, since Lycée connecté covers every usage, the others.
    assert "Porte documents" not in text and "Espace des classes" not in text
    assert "Apps.education.fr" not in text and "Pas d’outil de l’ENT" not in text
    # Grouped by the guide's sections, each usage under its section.
    team = text.index("S'organiser en équipe, se concerter")
    publish = text.index("Publier et partager des contenus")
    assert team < text.index("Wekan") < publish < text.index("Casier")


def test_a_college_of_creuse_sees_ent_creuse_and_the_tools_outside_it_where_it_has_none(
    client, college_23
):
    text = page(client, college_23)
    assert "avec l’ENT de l’établissement : ENT Creuse" in text
    assert "Porte documents" in text and "Classeur pédagogique" in text and "Blog" in text
    assert "Riot" not in text and "Wekan" not in text and "Moodle académique" not in text
    # ENT Creuse recommends nothing to organise the team or for visio: the others' tools show.
    fallback = text.index("Pas d’outil de l’ENT préconisé pour cet usage")
    assert fallback < text.index("Apps.education.fr") < text.index("Porte documents")
    assert "Visio-conférence de apps.education.fr" in text


def test_a_college_of_haute_vienne_without_ent_sees_the_other_platforms(client, college_87):
    text = page(client, college_87)
    assert "n’a pas d’ENT rattaché" in text
    assert "Médiacentre de EduGAR" in text and "Serveur pédagogique EduTICE" in text
    assert "Apps.education.fr" in text and "Moodle académique" in text
    assert "Porte documents" not in text and "Riot" not in text
    # No tool at all for "activités" outside the ENT: said so, without a fallback.
    assert "Aucun outil préconisé par le guide pour cet usage." in text
    assert "Pas d’outil de l’ENT" not in text


@pytest.mark.parametrize(
    ("school_fixture", "own_column"),
    [("lycee", "ENT Lycée connecté"), ("college_23", "ENT Creuse"), ("college_87", "Autres")],
)
def test_the_comparison_shows_every_column_and_marks_the_school_s(
    client, request, school_fixture, own_column
):
    school = request.getfixturevalue(school_fixture)
    text = page(client, school, "commission:tools_comparison")
    for header in ("ENT Lycée connecté", "ENT Creuse", "Autres plateformes"):
        assert header in text
    for tool in ("Riot", "Porte documents", "Médiacentre de EduGAR"):
        assert tool in text
    assert text.count("votre établissement</span>") == 1
    marked = text.index('class="tools-table__own"')
    assert own_column in text[marked : text.index("</th>", marked)]
    # The toggle back to the school's own column.
    assert reverse("commission:tools_catalogue", args=[school.uai]) in text


def test_the_catalogue_pages_run_a_constant_number_of_queries(client, college_23):
    client.force_login(member_of(college_23))
    urls = [
        reverse("commission:tools_catalogue", args=[college_23.uai]),
        reverse("commission:tools_comparison", args=[college_23.uai]),
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    counts()  # the first request after the login also stores the session
    before = counts()
    creuse = Ent.objects.get(code="ent-creuse")
    Ent.objects.create(code="ent-test", name="ENT de test")
    for n in range(4):
        usage = ToolUsage.objects.create(section=f"Rubrique {n}", label=f"Usage {n}", order=50 + n)
        for ent in (creuse, None):
            RecommendedTool.objects.create(usage=usage, ent=ent, name=f"Outil {n}")
    after = counts()
    assert before == after
    assert "Outil 3" in client.get(urls[1]).content.decode()


def test_the_srane_sees_every_column_and_only_its_academie_staff_edit_it(client):
    srane = SraneScopeFactory(department="23").user
    client.force_login(srane)
    text = html.unescape(client.get(reverse("commission_srane:tools_catalogue")).content.decode())
    assert "Riot" in text and "Porte documents" in text and "Autres plateformes" in text
    assert "votre établissement</span>" not in text
    assert reverse("admin:commission_toolusage_changelist") not in text

    editor = SraneScopeFactory(academie=True, user=UserFactory(is_staff=True)).user
    client.force_login(editor)
    text = client.get(reverse("commission_srane:tools_catalogue")).content.decode()
    assert reverse("admin:commission_toolusage_changelist") in text


def test_an_academie_srane_staff_account_edits_the_catalogue_in_the_admin(client, college_23):
    editor = SraneScopeFactory(academie=True, user=UserFactory(is_staff=True)).user
    client.force_login(editor)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:commission_toolusage_changelist")).status_code == 200
    tool = RecommendedTool.objects.get(name="Porte documents")
    url = reverse("admin:commission_recommendedtool_change", args=[tool.pk])
    response = client.post(
        url,
        {
            "usage": tool.usage_id,
            "ent": tool.ent_id,
            "name": "Porte-documents",
            "note": "espace de stockage",
            "order": tool.order,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="reference.changed")
    assert entry.actor == editor and entry.before["name"] == "Porte documents"
    assert entry.after["name"] == "Porte-documents"
    # Other commission data stays out of reach of this account (no model permission).
    assert client.get(reverse("admin:commission_processingactivity_changelist")).status_code == 403
    assert "Porte-documents</strong> — espace de stockage" in page(client, college_23)


def test_a_usage_and_its_tools_are_edited_together_and_audited(client):
    editor = SraneScopeFactory(academie=True, user=UserFactory(is_staff=True)).user
    client.force_login(editor)
    response = client.post(
        reverse("admin:commission_toolusage_add"),
        {
            "section": "Évaluer",
            "label": "Proposer des quiz",
            "order": "20",
            "tools-TOTAL_FORMS": "2",
            "tools-INITIAL_FORMS": "0",
            "tools-0-ent": Ent.objects.get(code="lycee-connecte").pk,
            "tools-0-name": "QCM Moodle",
            "tools-0-order": "1",
            "tools-1-ent": "",
            "tools-1-name": "Pix",
            "tools-1-order": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    usage = ToolUsage.objects.get(label="Proposer des quiz")
    assert {(t.ent_id is None, t.name) for t in usage.tools.all()} == {
        (False, "QCM Moodle"),
        (True, "Pix"),
    }
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert actions == {"reference.added", "reference.changed"}


@pytest.mark.parametrize("kind", ["department_staff", "academie_not_staff", "teacher_staff"])
def test_nobody_else_edits_the_catalogue(client, school, kind):
    if kind == "department_staff":
        user = SraneScopeFactory(department="87", user=UserFactory(is_staff=True)).user
    elif kind == "academie_not_staff":
        user = SraneScopeFactory(academie=True).user
    else:
        user = RoleAssignmentFactory(
            establishment=school, role=Role.RRUPN, user=UserFactory(is_staff=True)
        ).user
    client.force_login(user)
    url = reverse("admin:commission_toolusage_changelist")
    assert client.get(url).status_code == (302 if kind == "academie_not_staff" else 403)
    tool = RecommendedTool.objects.first()
    change = reverse("admin:commission_recommendedtool_change", args=[tool.pk])
    client.post(change, {"usage": tool.usage_id, "name": "Modifié", "order": 1})
    tool.refresh_from_db()
    assert tool.name != "Modifié"
