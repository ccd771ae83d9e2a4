"""Assignment rules: licences used against licences available, all or nothing, ILLIMITE,
ETABL vs INDIV, teachers of the school only, removal, last year's copy, coverage."""

import pytest

from gar.assignments import selectors, services
from gar.models import AssignmentType, GarAssignment, TargetKind
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import DivisionKind

from .factories_assignments import SubscriptionFactory, division, last_year, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(school):
    return staff(school, Role.DOCUMENTALISTE)


def used(subscription):
    return {
        pool.label: (pool.used, pool.available)
        for pool in selectors.pools(
            subscription, selectors.used_by_public([subscription.pk]).get(subscription.pk, {})
        )
    }


def test_two_classes_use_one_licence_per_pupil(school, doc):
    sub = SubscriptionFactory(establishment=school)
    a, b = division(school, "3A", 28), division(school, "3B", 27)
    made = services.assign_divisions(subscription=sub, divisions=[a, b], user=doc)
    assert [(m.public, m.licences, m.target_kind) for m in made] == [
        ("ELEVE", 28, "division"),
        ("ELEVE", 27, "division"),
    ]
    assert used(sub) == {"Élèves": (55, 60), "Enseignants": (0, 3)}
    assert (
        AuditEntry.objects.filter(action="gar.assignment.created", establishment=school).count()
        == 2
    )


def test_over_assignment_is_refused_and_nothing_is_saved(school, doc):
    sub = SubscriptionFactory(establishment=school, licences_eleve="60")
    services.assign_divisions(subscription=sub, divisions=[division(school, "3A", 28)], user=doc)
    b, c = division(school, "3B", 27), division(school, "3C", 26)
    with pytest.raises(services.AssignmentError) as refused:
        services.assign_divisions(subscription=sub, divisions=[b, c], user=doc)
    assert str(refused.value) == (
        f"Licences insuffisantes pour « {sub.resource.title} » : 3B, 3C demandent 53 licences "
        "élèves, il en reste 32 sur 60 (28 déjà affectée(s)). Rien n'a été affecté."
    )
    assert GarAssignment.objects.count() == 1  # 3B alone would fit: the request is all or nothing
    services.assign_divisions(subscription=sub, divisions=[b], user=doc)
    assert used(sub)["Élèves"] == (55, 60)


def test_exactly_the_licences_left_fit(school, doc):
    sub = SubscriptionFactory(establishment=school, licences_eleve="55")
    services.assign_divisions(
        subscription=sub,
        divisions=[division(school, "3A", 28), division(school, "3B", 27)],
        user=doc,
    )
    with pytest.raises(services.AssignmentError):
        services.assign_divisions(subscription=sub, divisions=[division(school, "6A", 1)], user=doc)


def test_illimite_never_limits(school, doc):
    sub = SubscriptionFactory(establishment=school, licences_eleve="ILLIMITE")
    services.assign_divisions(
        subscription=sub, divisions=[division(school, f"C{i}", 900) for i in range(3)], user=doc
    )
    pool = selectors.pools(sub, {"ELEVE": 2700})[0]
    assert (pool.unlimited, pool.left, pool.used) == (True, None, 2700)


def test_a_global_count_is_shared_by_every_public(school, doc):
    teacher = staff(school)
    sub = SubscriptionFactory(
        establishment=school, licences_global="30", licences_eleve="", licences_enseignant=""
    )
    services.assign_divisions(subscription=sub, divisions=[division(school, "3A", 29)], user=doc)
    services.assign_teachers(subscription=sub, teachers=[teacher], user=doc)
    assert used(sub) == {"Tous publics": (30, 30)}
    with pytest.raises(services.AssignmentError, match=r"licences \(tous publics\), il en reste 0"):
        services.assign_teachers(subscription=sub, teachers=[staff(school)], user=doc)


def test_a_public_without_licence_or_outside_the_publics_is_refused(school, doc):
    no_teacher_licence = SubscriptionFactory(establishment=school, licences_enseignant="")
    with pytest.raises(services.AssignmentError, match="ne prévoit pas de licences enseignants"):
        services.assign_teachers(
            subscription=no_teacher_licence, teachers=[staff(school)], user=doc
        )
    pupils_only = SubscriptionFactory(establishment=school, publics=["ENSEIGNANT"])
    with pytest.raises(services.AssignmentError, match="n'est pas destiné au public « élèves »"):
        services.assign_divisions(
            subscription=pupils_only, divisions=[division(school, "3A")], user=doc
        )


def test_teachers_take_one_licence_each_and_must_teach_in_the_school(school, other_school, doc):
    sub = SubscriptionFactory(establishment=school, licences_enseignant="3")
    t1, t2 = staff(school), staff(school)
    services.assign_teachers(subscription=sub, teachers=[t1, t2], user=doc)
    assert used(sub)["Enseignants"] == (2, 3)
    outsider = staff(other_school)
    cpe = staff(school, Role.CPE)
    with pytest.raises(services.AssignmentError, match="n'enseigne"):
        services.assign_teachers(subscription=sub, teachers=[outsider], user=doc)
    with pytest.raises(services.AssignmentError, match="n'enseigne"):
        services.assign_teachers(subscription=sub, teachers=[cpe], user=doc)
    with pytest.raises(services.AssignmentError, match="Déjà affecté"):
        services.assign_teachers(subscription=sub, teachers=[t1], user=doc)
    with pytest.raises(services.AssignmentError, match="il en reste 1 sur 3"):
        services.assign_teachers(
            subscription=sub, teachers=[staff(school), staff(school)], user=doc
        )


def test_a_division_is_assigned_once_and_only_from_the_school_and_year(school, other_school, doc):
    sub = SubscriptionFactory(establishment=school)
    a = division(school, "3A")
    services.assign_divisions(subscription=sub, divisions=[a], user=doc)
    with pytest.raises(services.AssignmentError, match="Déjà affecté.*3A"):
        services.assign_divisions(subscription=sub, divisions=[a, division(school, "3B")], user=doc)
    with pytest.raises(services.AssignmentError, match="Seules les classes"):
        services.assign_divisions(
            subscription=sub, divisions=[division(other_school, "3A")], user=doc
        )
    with pytest.raises(services.AssignmentError, match="Seules les classes"):
        old = division(school, "3Z", year=last_year())
        services.assign_divisions(subscription=sub, divisions=[old], user=doc)
    with pytest.raises(services.AssignmentError, match="au moins une classe"):
        services.assign_divisions(subscription=sub, divisions=[], user=doc)
    assert GarAssignment.objects.count() == 1


def test_etabl_goes_to_the_whole_establishment_only(school, doc):
    division(school, "3A", 28)
    division(school, "3B", 27)
    division(school, "LAT3", 12, kind=DivisionKind.GROUP)  # drawn from the classes: not counted
    staff(school)  # pupils of the classes (28 + 27 + 1) and the teacher: 57
    etabl = SubscriptionFactory(
        establishment=school,
        assignment_type=AssignmentType.ETABL,
        licences_global="ILLIMITE",
        licences_eleve="",
        licences_enseignant="",
    )
    with pytest.raises(services.AssignmentError, match="type ETABL"):
        services.assign_divisions(
            subscription=etabl, divisions=[division(school, "6A", 1)], user=doc
        )
    whole = services.assign_establishment(subscription=etabl, user=doc)
    assert (whole.target_kind, whole.licences, whole.public) == (
        TargetKind.ESTABLISHMENT,
        57,
        "ELEVE",
    )
    with pytest.raises(services.AssignmentError, match="déjà affecté à tout"):
        services.assign_establishment(subscription=etabl, user=doc)
    indiv = SubscriptionFactory(establishment=school)
    with pytest.raises(services.AssignmentError, match="individuel"):
        services.assign_establishment(subscription=indiv, user=doc)


def test_etabl_larger_than_its_global_count_is_refused(school, doc):
    division(school, "3A", 80)
    etabl = SubscriptionFactory(
        establishment=school,
        assignment_type=AssignmentType.ETABL,
        licences_global="50",
        licences_eleve="",
        licences_enseignant="",
    )
    with pytest.raises(services.AssignmentError, match="tout l'établissement demande"):
        services.assign_establishment(subscription=etabl, user=doc)
    assert not GarAssignment.objects.exists()


def test_removal_frees_the_licences_and_is_audited(school, doc):
    sub = SubscriptionFactory(establishment=school)
    [made] = services.assign_divisions(
        subscription=sub, divisions=[division(school, "3A", 28)], user=doc
    )
    services.assignment_remove(assignment=made, user=doc)
    assert used(sub)["Élèves"] == (0, 60)
    entry = AuditEntry.objects.get(action="gar.assignment.removed")
    assert entry.before == {"public": "ELEVE", "licences": 28} and entry.establishment == school


def test_copy_of_last_year_matches_codes_and_reports_what_it_cannot_copy(school, doc):
    old_year = last_year()
    teacher, gone = staff(school), staff(school, Role.CPE)
    old_sub = SubscriptionFactory(establishment=school, school_year=old_year)
    for code in ("3A", "3B", "4C", "5D"):
        old = division(school, code, 20, year=old_year)
        GarAssignment.objects.create(
            subscription=old_sub,
            target_kind="division",
            division=old,
            public="ELEVE",
            licences=20,
            created_by=doc,
        )
    for person in (teacher, gone):
        GarAssignment.objects.create(
            subscription=old_sub,
            target_kind="teacher",
            teacher=person,
            public="ENSEIGNANT",
            licences=1,
            created_by=doc,
        )
    unrelated = SubscriptionFactory(establishment=school, school_year=old_year)
    GarAssignment.objects.create(
        subscription=unrelated,
        target_kind="division",
        division=division(school, "6Z", year=old_year),
        public="ELEVE",
        licences=20,
        created_by=doc,
    )
    this_year = SubscriptionFactory(
        establishment=school, resource=old_sub.resource, licences_eleve="60"
    )
    SubscriptionFactory(establishment=school)  # a new resource: nothing to copy
    division(school, "3A", 25)
    division(school, "3B", 25)
    division(school, "5D", 25)  # 75 pupils for 60 licences: the last class does not fit
    report = services.copy_last_year(
        establishment=school, school_year=this_year.school_year, user=doc
    )
    title = this_year.resource.title
    assert report.copied == [f"{title} → 3A", f"{title} → 3B", f"{title} → {teacher}"]
    assert report.not_copied[0] == f"{title} : la classe ou le groupe 4C n'existe pas cette année."
    assert (
        report.not_copied[1].startswith(f"{title} : Licences insuffisantes")
        and "5D" in report.not_copied[1]
    )
    assert "n'enseigne" in report.not_copied[2]
    assert len(report.not_copied) == 3
    assert AuditEntry.objects.filter(action="gar.assignments.copied").count() == 1
    again = services.copy_last_year(
        establishment=school, school_year=this_year.school_year, user=doc
    )
    assert (again.copied, again.already) == ([], 3)


def test_school_coverage_counts_subscriptions_with_an_assignment(school, other_school, doc):
    year = SubscriptionFactory(establishment=school).school_year
    assigned = SubscriptionFactory(establishment=school)
    services.assign_divisions(subscription=assigned, divisions=[division(school, "3A")], user=doc)
    services.assign_divisions(subscription=assigned, divisions=[division(school, "3B")], user=doc)
    SubscriptionFactory(establishment=school, school_year=last_year())
    coverage = selectors.school_coverage([school.pk, other_school.pk], year)
    assert coverage == {school.pk: selectors.SchoolCoverage(total=2, assigned=1)}
    assert coverage[school.pk].percent == 50
