"""`load_demo`: every persona, three départements, both kinds, one person in two schools, something
on every commission and GAR page; twice is safe."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from commission import models as cm
from commission.members.selectors import day_start, missing_categories, term_bounds
from gar import models as gm
from gar.campaign.selectors import campaign_of, is_late, progress_by_establishment
from missions.models import LetterState, MissionLetter
from rrupn.accounts.demo import ADMIN, PEOPLE
from rrupn.accounts.demo_commission import meeting_times
from rrupn.accounts.models import Role, RoleAssignment, SraneLevel, SraneScope, User
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import Division, DivisionKind, SchoolYear

CSV = Path(__file__).resolve().parents[2] / "data" / "establishments_limoges.csv"

pytestmark = pytest.mark.django_db

MAUPASSANT, PERRIER = "0870022B", "0190032G"
COMMISSION_MODELS = [
    cm.Commission,
    cm.CommissionMember,
    cm.Meeting,
    cm.AgendaItem,
    cm.Attendance,
    cm.Action,
    cm.ProjectAxis,
    cm.Indicator,
    cm.IndicatorValue,
    cm.TrainingNeed,
    cm.TrainingAction,
    cm.PurchaseProposal,
    cm.RemarkablePractice,
    cm.ProcessingActivity,
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo's letter and minutes PDFs


def load() -> str:
    out = StringIO()
    call_command("import_establishments", str(CSV), stdout=StringIO())
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_people_cover_every_persona_and_load_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = load()
    assert "demo-rrupn-2026" in out and "camille.fauvette@ac-limoges.fr" in out
    counts = (User.objects.count(), RoleAssignment.objects.count(), MissionLetter.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        load()
    assert (
        User.objects.count(),
        RoleAssignment.objects.count(),
        MissionLetter.objects.count(),
    ) == counts

    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    assert set(SraneScope.objects.values_list("level", flat=True)) == set(SraneLevel.values)
    schools = RoleAssignment.objects.values_list("establishment__department", "establishment__kind")
    assert {d for d, _k in schools} == {"19", "23", "87"}
    assert {"college", "lycee"} <= {k for _d, k in schools}
    camille = User.objects.get(email="camille.fauvette@ac-limoges.fr")
    assert (
        RoleAssignment.objects.filter(user=camille).values("establishment").distinct().count() == 2
    )

    states = dict(MissionLetter.objects.values_list("establishment__uai", "state"))
    assert states == {"0870022B": LetterState.ACTIVE, "0190032G": LetterState.PROPOSED}
    assert MissionLetter.objects.get(establishment__uai="0870022B").pdf_is_current


GAR_MODELS = [
    Division,
    gm.GarResource,
    gm.GarSubscription,
    gm.GarAssignment,
    gm.GarCampaign,
    gm.RespAffectation,
    gm.CampaignReminder,
]


def counts() -> dict:
    models = [User, RoleAssignment, MissionLetter, AuditEntry, *COMMISSION_MODELS, *GAR_MODELS]
    return {model.__name__: model.objects.count() for model in models}


def test_demo_commission_fills_every_page_and_loads_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load()
    before, sent = counts(), len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        load()
    assert counts() == before and len(mail.outbox) == sent

    commission = cm.Commission.objects.get(establishment__uai=MAUPASSANT)
    assert commission.validated_by.email == "henri.bergeronnette@ac-limoges.fr"
    members = list(commission.members.select_related("user"))
    assert missing_categories(members) == [cm.MemberCategory.RESP_GAR]  # Inès is documentaliste
    [parent] = [m for m in members if m.user is None]
    assert parent.category == cm.MemberCategory.PARENT and parent.outsider_name
    referent = next(m for m in members if m.category == cm.MemberCategory.DISCIPLINE_REFERENT)
    assert (referent.user.email, referent.discipline) == (
        "julie.rougegorge@ac-limoges.fr",
        "Histoire-géographie",
    )

    now = timezone.now()
    held, upcoming = commission.meetings.order_by("starts_at")
    assert day_start(term_bounds(timezone.localdate())[0]) <= held.starts_at <= now
    assert held.agenda.count() == 3 and held.minutes
    assert held.attendance.count() == len(members)
    assert held.minutes_pdf_status == "ready" and held.minutes_pdf_revision == held.revision
    assert upcoming.starts_at > now and upcoming.invitation_sent_at is not None
    assert sorted(held.decisions.values_list("status", flat=True)) == ["done", "todo"]

    indicators = cm.Indicator.objects.filter(axis__establishment=commission.establishment)
    assert indicators.count() == 2
    values = cm.IndicatorValue.objects.filter(indicator__in=indicators)
    assert values.count() == 6
    assert all(v.measured_on < timezone.localdate() for v in values)

    assert cm.TrainingNeed.objects.filter(establishment__uai=MAUPASSANT).count() == 2
    [cafe] = cm.TrainingAction.objects.filter(establishment__uai=MAUPASSANT)
    assert cafe.kind == cm.TrainingKind.CAFE and cafe.need is not None
    assert cafe.held_on <= timezone.localdate() and cafe.attendees

    states = cm.PurchaseProposal.objects.filter(establishment__uai=MAUPASSANT)
    assert sorted(states.values_list("state", flat=True)) == ["approved", "proposed"]
    practices = cm.RemarkablePractice.objects.filter(establishment__uai=MAUPASSANT)
    assert practices.count() == 2 and practices.filter(shared_at__isnull=False).count() == 1
    assert cm.ProcessingActivity.objects.filter(establishment__uai=MAUPASSANT).count() == 2

    perrier = cm.Commission.objects.get(establishment__uai=PERRIER)
    assert perrier.submitted_at and not perrier.validated_at and perrier.members.count() == 3
    assert cm.RemarkablePractice.objects.get(establishment__uai=PERRIER).shared_at


def test_demo_gar_fills_the_campaign_at_maupassant_and_leaves_perrier_behind(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        load()
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        load()
    assert counts() == before

    year = SchoolYear.current()
    campaign = gm.GarCampaign.objects.get(school_year=year)
    assert campaign.due_on == datetime.date(year.start_year, 9, 30)  # the default, untouched

    classes = Division.objects.filter(establishment__uai=MAUPASSANT, school_year=year)
    codes = set(classes.filter(kind=DivisionKind.DIVISION).values_list("code", flat=True))
    assert codes == {"6A", "6B", "5A", "5B", "4A", "4B", "3A", "3B"}
    assert all(20 <= d.pupil_count <= 30 for d in classes.filter(kind=DivisionKind.DIVISION))
    latin = classes.get(kind=DivisionKind.GROUP)
    assert latin.label == "Latin 5e" and 0 < latin.pupil_count < 30
    assert sorted(latin.divisions.values_list("code", flat=True)) == ["5A", "5B"]

    subscriptions = gm.GarSubscription.objects.filter(
        establishment__uai=MAUPASSANT, school_year=year
    )
    assert all(s.resource.origin == gm.Origin.ACQUIRED for s in subscriptions)
    counted = subscriptions.get(licences_global="")
    unlimited = subscriptions.get(licences_global=gm.UNLIMITED)
    assert counted.licences_eleve and counted.licences_enseignant
    assert counted.done_at and counted.done_by.email == "ines.mesange@ac-limoges.fr"
    assert unlimited.done_at is None and not unlimited.assignments.exists()
    targets = counted.assignments.select_related("division", "teacher")
    assert sorted(a.division.code for a in targets if a.division) == ["4A", "4B", "5A", "5B"]
    assert [a.teacher.email for a in targets if a.teacher] == ["marc.pinson@ac-limoges.fr"]
    # Entered by the gestionnaire, through the service (audited), not written behind its back.
    creators = AuditEntry.objects.filter(action="gar.subscription.created")
    assert {e.actor.email for e in creators} == {
        "paul.grimpereau@ac-limoges.fr",
        "anne.verdier@ac-limoges.fr",
    }

    [designation] = gm.RespAffectation.objects.filter(establishment__uai=MAUPASSANT)
    assert designation.user.email == "ines.mesange@ac-limoges.fr"
    assert designation.state == gm.DesignationState.DESIGNATED and designation.done_in_ent_at

    perrier = gm.GarSubscription.objects.get(establishment__uai=PERRIER, school_year=year)
    assert not perrier.assignments.exists() and perrier.done_at is None
    assert not gm.RespAffectation.objects.filter(establishment__uai=PERRIER).exists()
    progress = progress_by_establishment([perrier.establishment_id], year)
    after_due = campaign_of(year).due_on + datetime.timedelta(days=1)
    assert is_late(campaign, progress[perrier.establishment_id], after_due)


def test_the_demo_gar_holds_no_pupil_name():
    """Pupils are counts in classes: nobody but the demo staff is a person in the database,
    every assignment goes to a class, a group or a teacher of the school, and the classes
    carry codes and labels only."""
    load()
    assert set(User.objects.values_list("email", flat=True)) == {
        email for email, *_rest in PEOPLE
    } | {ADMIN[0]}
    teachers = RoleAssignment.objects.filter(role=Role.TEACHER).values_list(
        "user_id", "establishment_id"
    )
    for assignment in gm.GarAssignment.objects.select_related("subscription"):
        if assignment.public == gm.Public.ELEVE:
            assert assignment.division_id and assignment.teacher_id is None
        else:
            pair = (assignment.teacher_id, assignment.subscription.establishment_id)
            assert pair in set(teachers)
    for division in Division.objects.all():
        assert division.source == "csv"
        assert division.label == "Latin 5e" or division.label == (
            f"{division.code[0]}e {division.code[1:]}"
        )


PAGES = {
    "": "Sandrine Chardonneret",
    "reunions/": "Salle du conseil",
    "actions/": "Recenser les besoins Pix+Édu",
    "projet/": "Élèves de 3e certifiés Pix",
    "formation/": "Le médiacentre en 30 minutes",
    "achats/": "Casques avec micro",
    "pratiques/": "Carte collaborative du patrimoine limousin",
    "rgpd/": "Vie scolaire et suivi pédagogique",
}


def test_the_demo_rrupn_finds_each_commission_page_filled(client):
    load()
    client.force_login(User.objects.get(email="camille.fauvette@ac-limoges.fr"))
    for path, expected in PAGES.items():
        response = client.get(f"/etablissement/{MAUPASSANT}/commission/{path}")
        assert response.status_code == 200, path
        assert expected in response.content.decode(), path


def test_the_demo_head_finds_each_gar_page_filled(client):
    load()
    today = timezone.localdate().strftime("%d/%m/%Y")
    pages = {
        "gar/abonnements/": [
            "Dictionnaire et encyclopédie en ligne",
            "Tous publics : <strong>0</strong> / illimité",
        ],
        "gar/affectations/": ["Manuel numérique de mathématiques, cycle 4"],
        "gar/campagne/": [f"le {today} par Inès Mésange", "Marquer fait"],
        "gar/responsables/": [f"Fait le {today}"],
        "classes/": ["Latin 5e", "3e B"],
    }
    client.force_login(User.objects.get(email="henri.bergeronnette@ac-limoges.fr"))
    for path, expected in pages.items():
        response = client.get(f"/etablissement/{MAUPASSANT}/{path}")
        assert response.status_code == 200, path
        for text in expected:
            assert text in response.content.decode(), (path, text)


@pytest.mark.parametrize(
    "now",
    [
        timezone.now(),
        datetime.datetime(2026, 9, 1, 0, 30),  # the school year began half an hour ago
        datetime.datetime(2027, 1, 5, 10, 0),  # the second term, five days in
        datetime.datetime(2027, 4, 20, 18, 0),  # three weeks into the third, after 17:00
    ],
)
def test_the_demo_past_meeting_stays_in_the_current_term(now):
    now = now if timezone.is_aware(now) else timezone.make_aware(now)
    held, upcoming = meeting_times(now)
    term_start = day_start(term_bounds(timezone.localtime(now).date())[0])
    assert term_start <= held <= now < upcoming
    assert upcoming - now > datetime.timedelta(days=13)
