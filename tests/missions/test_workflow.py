"""Every transition of the mission letter, allowed and refused, per persona."""

import datetime
from decimal import Decimal

import pytest

from missions import services
from missions.models import (
    ImpRate,
    LetterState,
    MissionLetter,
    MissionTask,
    SharingPartner,
)
from missions.services import LetterData, LetterError, StaleLetter, TaskChoice
from rrupn.accounts.models import Role, RoleAssignment, RoleSource
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import SchoolYear

from ..factories import EstablishmentFactory, RoleAssignmentFactory
from .factories import MissionLetterFactory, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(school):
    """The personas of one school: head, direction, the future RRUPN (a teacher), others."""
    return {
        "head": staff_member(school, Role.HEAD),
        "direction": staff_member(school, Role.DIRECTION),
        "rrupn": staff_member(school, Role.TEACHER),
        "teacher": staff_member(school, Role.TEACHER),
        "gestionnaire": staff_member(school, Role.GESTIONNAIRE),
    }


def roles_of(user, school):
    year = SchoolYear.current()
    return frozenset(
        RoleAssignment.objects.active(year)
        .filter(user=user, establishment=school)
        .values_list("role", flat=True)
    )


def data_for(rrupn, *, tasks=None, optional_functions=(), **extra):
    year = SchoolYear.current()
    if tasks is None:
        tasks = [TaskChoice(t) for t in MissionTask.objects.filter(function__number=1)[:2]]
    return LetterData(
        rrupn=rrupn,
        starts_on=year.starts_on,
        ends_on=year.ends_on,
        tasks=tasks,
        optional_functions=set(optional_functions),
        **extra,
    )


def create(school, author, rrupn, **kwargs):
    return services.letter_create(
        establishment=school,
        school_year=SchoolYear.current(),
        author=author,
        roles=roles_of(author, school),
        data=data_for(rrupn, **kwargs),
    )


def snapshot(letter):
    current = MissionLetter.objects.get(pk=letter.pk)
    return (current.state, current.revision, current.updated_at)


def unchanged(letter, before=None):
    """The letter in the database is as it was (as `before`, or as this object holds it)."""
    if before is None:
        before = (letter.state, letter.revision, letter.updated_at)
    return snapshot(letter) == before


# --- the happy paths ---------------------------------------------------------------------------


def test_full_negotiation_from_the_heads_draft(school, people):
    head, rrupn = people["head"], people["rrupn"]
    letter = create(school, head, rrupn)
    assert letter.state == LetterState.DRAFT and letter.version == 1

    services.letter_propose(
        letter=letter, user=head, roles=roles_of(head, school), revision=letter.revision
    )
    assert letter.state == LetterState.PROPOSED
    services.letter_request_changes(
        letter=letter,
        user=rrupn,
        roles=roles_of(rrupn, school),
        revision=letter.revision,
        comment="Retirer la maintenance, ajouter le GAR.",
    )
    assert letter.state == LetterState.CHANGES_REQUESTED
    gar = MissionTask.objects.get(title__startswith="Gérer les affectations GAR")
    services.letter_update(
        letter=letter,
        user=head,
        roles=roles_of(head, school),
        revision=letter.revision,
        data=data_for(rrupn, tasks=[TaskChoice(gar, SharingPartner.objects.get(code="resp-gar"))]),
    )
    assert [t.task for t in letter.tasks.all()] == [gar]
    services.letter_propose(
        letter=letter, user=head, roles=roles_of(head, school), revision=letter.revision
    )
    assert not RoleAssignment.objects.filter(user=rrupn, role=Role.RRUPN).exists()

    services.letter_sign(
        letter=letter, user=head, roles=roles_of(head, school), revision=letter.revision
    )
    assert letter.state == LetterState.SIGNED and letter.head == head and letter.signed_at
    designation = RoleAssignment.objects.get(user=rrupn, role=Role.RRUPN)
    assert designation.school_year == SchoolYear.current()
    assert designation.source == RoleSource.LETTER

    services.letter_accept(letter=letter, user=rrupn, revision=letter.revision)
    assert letter.state == LetterState.ACTIVE and letter.accepted_at

    actions = list(
        AuditEntry.objects.filter(object_id=str(letter.pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "letter.created",
        "letter.proposed",
        "letter.changes_requested",
        "letter.updated",
        "letter.proposed",
        "letter.signed",
        "letter.accepted",
    ]
    changes = AuditEntry.objects.get(action="letter.changes_requested")
    assert changes.comment == "Retirer la maintenance, ajouter le GAR."
    assert changes.before["état"] == "proposed" and changes.after["état"] == "changes_requested"


def test_a_teacher_drafts_their_own_letter(school, people):
    rrupn, head = people["rrupn"], people["head"]
    letter = create(school, rrupn, rrupn)
    services.letter_propose(
        letter=letter, user=rrupn, roles=roles_of(rrupn, school), revision=letter.revision
    )
    assert letter.proposed_by == rrupn
    # The direction answers a proposal of the RRUPN.
    services.letter_request_changes(
        letter=letter,
        user=people["direction"],
        roles=roles_of(people["direction"], school),
        revision=letter.revision,
        comment="Préciser le temps dégagé.",
    )
    services.letter_propose(
        letter=letter, user=rrupn, roles=roles_of(rrupn, school), revision=letter.revision
    )
    services.letter_sign(
        letter=letter, user=head, roles=roles_of(head, school), revision=letter.revision
    )
    services.letter_accept(letter=letter, user=rrupn, revision=letter.revision)
    assert letter.state == LetterState.ACTIVE


def test_acceptance_before_the_start_date_waits_then_the_calendar_activates_and_archives(
    school, people
):
    head, rrupn = people["head"], people["rrupn"]
    year = SchoolYear.current()
    letter = MissionLetterFactory(
        establishment=school,
        rrupn=rrupn,
        created_by=head,
        signed=True,
        starts_on=datetime.date.today() + datetime.timedelta(days=10),
    )
    services.letter_accept(letter=letter, user=rrupn, revision=letter.revision)
    assert letter.state == LetterState.ACCEPTED

    assert services.letters_follow_calendar(today=letter.starts_on) == (1, 0)
    letter.refresh_from_db()
    assert letter.state == LetterState.ACTIVE
    after_year = year.ends_on + datetime.timedelta(days=1)
    assert services.letters_follow_calendar(today=after_year) == (0, 1)
    letter.refresh_from_db()
    assert letter.state == LetterState.ARCHIVED
    assert AuditEntry.objects.filter(
        object_id=str(letter.pk), action="letter.archived", actor=None
    ).exists()


def test_an_amendment_replaces_the_letter_when_accepted(school, people):
    head, rrupn, other = people["head"], people["rrupn"], people["teacher"]
    RoleAssignmentFactory(
        user=rrupn, establishment=school, role=Role.RRUPN, yearly=True, source=RoleSource.LETTER
    )
    first = MissionLetterFactory(establishment=school, rrupn=rrupn, created_by=head, active=True)
    amendment = services.letter_amend(letter=first, user=head, roles=roles_of(head, school))
    assert (amendment.version, amendment.state, amendment.amends) == (2, LetterState.DRAFT, first)
    assert amendment.tasks.count() == first.tasks.count()
    assert amendment.verification_code != first.verification_code

    h = roles_of(head, school)
    services.letter_update(
        letter=amendment, user=head, roles=h, revision=amendment.revision, data=data_for(other)
    )
    services.letter_propose(letter=amendment, user=head, roles=h, revision=amendment.revision)
    services.letter_sign(letter=amendment, user=head, roles=h, revision=amendment.revision)
    first.refresh_from_db()
    assert first.state == LetterState.ACTIVE  # still in force until the amendment is accepted
    services.letter_accept(letter=amendment, user=other, revision=amendment.revision)
    first.refresh_from_db()
    assert first.state == LetterState.REPLACED and amendment.state == LetterState.ACTIVE
    # The designation follows the letter in force.
    rrupns = set(
        RoleAssignment.objects.filter(establishment=school, role=Role.RRUPN).values_list(
            "user", flat=True
        )
    )
    assert rrupns == {other.pk}


# --- refusals, per persona -------------------------------------------------------------------

TRANSITIONS = {
    # name: (state the letter is put in, who may, call)
    "propose": (LetterState.DRAFT, {"head", "direction", "rrupn"}),
    "request_changes": (LetterState.PROPOSED, {"head", "direction"}),  # the RRUPN proposed it
    "sign": (LetterState.PROPOSED, {"head"}),
    "accept": (LetterState.SIGNED, {"rrupn"}),
    "amend": (LetterState.ACTIVE, {"head", "direction", "rrupn"}),
    "update": (LetterState.DRAFT, {"head", "direction", "rrupn"}),
}


def run(name, letter, user, school):
    roles = roles_of(user, school)
    calls = {
        "propose": lambda: services.letter_propose(
            letter=letter, user=user, roles=roles, revision=letter.revision
        ),
        "request_changes": lambda: services.letter_request_changes(
            letter=letter, user=user, roles=roles, revision=letter.revision, comment="À revoir."
        ),
        "sign": lambda: services.letter_sign(
            letter=letter, user=user, roles=roles, revision=letter.revision
        ),
        "accept": lambda: services.letter_accept(
            letter=letter, user=user, revision=letter.revision
        ),
        "amend": lambda: services.letter_amend(letter=letter, user=user, roles=roles),
        "update": lambda: services.letter_update(
            letter=letter,
            user=user,
            roles=roles,
            revision=letter.revision,
            data=data_for(letter.rrupn),
        ),
    }
    return calls[name]()


@pytest.mark.parametrize("persona", ["head", "direction", "rrupn", "teacher", "gestionnaire"])
@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_who_may_take_each_transition(school, people, name, persona):
    state, allowed = TRANSITIONS[name]
    letter = MissionLetterFactory(
        establishment=school,
        rrupn=people["rrupn"],
        created_by=people["head"],
        state=state,
        proposed_by=people["rrupn"] if state == LetterState.PROPOSED else None,
    )
    before = snapshot(letter)
    if persona in allowed:
        result = run(name, letter, people[persona], school)
        if name == "amend":
            assert result.amends == letter and result.state == LetterState.DRAFT
        else:
            assert not unchanged(letter, before)
    else:
        with pytest.raises(LetterError) as excinfo:
            run(name, letter, people[persona], school)
        assert unchanged(letter, before)
        assert excinfo.value.args[0][0].isupper()  # a French sentence, not a code
        assert MissionLetter.objects.count() == 1


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
@pytest.mark.parametrize("state", [s for s in LetterState.values])
def test_each_transition_is_refused_from_the_wrong_state(school, people, name, state):
    expected_state, allowed = TRANSITIONS[name]
    ok_states = {
        "propose": {LetterState.DRAFT, LetterState.CHANGES_REQUESTED},
        "update": {LetterState.DRAFT, LetterState.CHANGES_REQUESTED},
        "amend": {LetterState.ACTIVE, LetterState.ACCEPTED},
    }.get(name, {expected_state})
    if state in ok_states:
        return
    letter = MissionLetterFactory(
        establishment=school,
        rrupn=people["rrupn"],
        created_by=people["head"],
        state=state,
        proposed_by=people["rrupn"],
    )
    actor = people["rrupn"] if name == "accept" else people["head"]
    before = snapshot(letter)
    with pytest.raises(LetterError):
        run(name, letter, actor, school)
    assert unchanged(letter, before)


def test_the_proposer_cannot_answer_their_own_proposal(school, people):
    head = people["head"]
    letter = MissionLetterFactory(
        establishment=school,
        rrupn=people["rrupn"],
        created_by=head,
        state=LetterState.PROPOSED,
        proposed_by=head,
    )
    with pytest.raises(LetterError, match="autre partie"):
        run("request_changes", letter, head, school)
    run("request_changes", letter, people["rrupn"], school)
    assert letter.state == LetterState.CHANGES_REQUESTED


def test_request_changes_needs_a_comment(school, people):
    letter = MissionLetterFactory(
        establishment=school, rrupn=people["rrupn"], created_by=people["head"], proposed=True
    )
    before = snapshot(letter)
    with pytest.raises(LetterError, match="modifications"):
        services.letter_request_changes(
            letter=letter,
            user=people["head"],
            roles=roles_of(people["head"], school),
            revision=letter.revision,
            comment="   ",
        )
    assert unchanged(letter, before)


# --- bad input -------------------------------------------------------------------------------


def test_an_rrupn_from_another_school_is_refused(school, people):
    stranger = staff_member(EstablishmentFactory(), Role.TEACHER)
    with pytest.raises(LetterError, match="ne fait pas partie du personnel"):
        create(school, people["head"], stranger)
    assert not MissionLetter.objects.exists()


def test_a_teacher_cannot_draft_a_letter_for_someone_else(school, people):
    with pytest.raises(LetterError, match="pour vous-même"):
        create(school, people["teacher"], people["rrupn"])
    assert not MissionLetter.objects.exists()


def test_tasks_of_the_fourth_function_need_the_function(school, people):
    maintenance = [TaskChoice(t) for t in MissionTask.objects.filter(function__number=4)[:1]]
    with pytest.raises(LetterError, match="fonction 4"):
        create(school, people["head"], people["rrupn"], tasks=maintenance)
    assert not MissionLetter.objects.exists()
    fourth = maintenance[0].task.function
    letter = create(
        school, people["head"], people["rrupn"], tasks=maintenance, optional_functions={fourth}
    )
    assert letter.tasks.get().task.function.number == 4


def test_a_named_partner_needs_a_name_and_a_letter_needs_a_task(school, people):
    task = MissionTask.objects.first()
    other = SharingPartner.objects.get(needs_name=True)
    with pytest.raises(LetterError, match="Nommez"):
        create(school, people["head"], people["rrupn"], tasks=[TaskChoice(task, other, " ")])
    with pytest.raises(LetterError, match="au moins une tâche"):
        create(school, people["head"], people["rrupn"], tasks=[])
    letter = create(
        school, people["head"], people["rrupn"], tasks=[TaskChoice(task, other, "M. Durand")]
    )
    assert letter.tasks.get().shared_label == "M. Durand"


def test_one_letter_in_preparation_and_one_in_force_per_year(school, people):
    head, rrupn = people["head"], people["rrupn"]
    create(school, head, rrupn)
    with pytest.raises(LetterError, match="déjà en préparation"):
        create(school, head, rrupn)
    MissionLetter.objects.update(state=LetterState.ACTIVE)
    with pytest.raises(LetterError, match="avenant"):
        create(school, head, rrupn)
    assert MissionLetter.objects.count() == 1


def test_the_database_refuses_a_second_letter_in_force(school, people):
    from django.db import IntegrityError, transaction

    MissionLetterFactory(establishment=school, created_by=people["head"], active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        MissionLetterFactory(
            establishment=school, created_by=people["head"], active=True, version=2
        )


def test_a_stale_edit_is_refused_and_changes_nothing(school, people):
    head, rrupn = people["head"], people["rrupn"]
    letter = create(school, head, rrupn)
    stale_revision = letter.revision
    services.letter_update(
        letter=letter,
        user=rrupn,
        roles=roles_of(rrupn, school),
        revision=stale_revision,
        data=data_for(rrupn, clauses="Deux heures par semaine."),
    )
    with pytest.raises(StaleLetter, match="modifiée entre-temps"):
        services.letter_update(
            letter=letter,
            user=head,
            roles=roles_of(head, school),
            revision=stale_revision,
            data=data_for(rrupn, clauses="Une heure."),
        )
    letter.refresh_from_db()
    assert letter.clauses == "Deux heures par semaine."


def test_two_concurrent_signatures_make_one_transition(school, people):
    head = people["head"]
    letter = MissionLetterFactory(
        establishment=school, rrupn=people["rrupn"], created_by=head, proposed=True
    )
    revision = letter.revision
    twin = MissionLetter.objects.get(pk=letter.pk)
    services.letter_sign(letter=letter, user=head, roles=roles_of(head, school), revision=revision)
    with pytest.raises(StaleLetter):
        services.letter_sign(
            letter=twin, user=head, roles=roles_of(head, school), revision=revision
        )
    assert AuditEntry.objects.filter(action="letter.signed").count() == 1


def test_imp_amount(school, people):
    rate = ImpRate.objects.get(amount=Decimal("1250.00"))
    letter = MissionLetterFactory(establishment=school, imp_rate=rate, imp_multiple=Decimal("0.5"))
    assert letter.imp_amount == Decimal("625.00")
    assert list(ImpRate.objects.values_list("amount", flat=True)) == [
        Decimal("312.50"),
        Decimal("625.00"),
        Decimal("1250.00"),
        Decimal("2500.00"),
        Decimal("3750.00"),
    ]


# --- notifications -------------------------------------------------------------------------


def test_each_step_notifies_the_other_party(
    school, people, mailoutbox, django_capture_on_commit_callbacks
):
    head, rrupn = people["head"], people["rrupn"]
    letter = create(school, head, rrupn)
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_propose(
            letter=letter, user=head, roles=roles_of(head, school), revision=letter.revision
        )
    assert [m.to for m in mailoutbox] == [[rrupn.email]]
    assert letter.reference in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_request_changes(
            letter=letter,
            user=rrupn,
            roles=roles_of(rrupn, school),
            revision=letter.revision,
            comment="Plus de GAR",
        )
    assert sorted(mailoutbox[1].to) == sorted([head.email, people["direction"].email])
    assert "Plus de GAR" in mailoutbox[1].body
