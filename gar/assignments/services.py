"""Writes on assignments (affectations): a subscription given to classes and groups, teachers
or the whole establishment, within its licences.

Every addition locks the subscription row, recounts the licences assigned and refuses the whole
request when it does not fit: a multi-class assignment is all or nothing. ILLIMITE never limits.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from gar.models import AssignmentType, GarAssignment, GarSubscription, Public, TargetKind
from rrupn.audit.services import audit_record

from . import selectors


class AssignmentError(Exception):
    """A refused assignment; the message is shown to the user as is."""


def _locked(subscription) -> GarSubscription:
    return (
        GarSubscription.objects.select_for_update()
        .select_related("resource")
        .get(pk=subscription.pk)
    )


def _check_fits(subscription, public, wanted: int, what: str, many: bool = False) -> None:
    used = selectors.used_by_public([subscription.pk]).get(subscription.pk, {})
    pool = selectors.pool_for(subscription, public, used)
    if pool.unlimited or wanted <= pool.left:
        return
    if not pool.available:
        raise AssignmentError(
            _("L'abonnement « %(resource)s » ne prévoit pas de %(words)s : rien n'a été affecté.")
            % {"resource": subscription.resource, "words": pool.words}
        )
    if many:
        message = _(
            "Licences insuffisantes pour « %(resource)s » : %(what)s demandent "
            "%(wanted)s %(words)s, il en reste %(left)s sur %(available)s "
            "(%(used)s déjà affectée(s)). Rien n'a été affecté."
        )
    else:
        message = _(
            "Licences insuffisantes pour « %(resource)s » : %(what)s demande "
            "%(wanted)s %(words)s, il en reste %(left)s sur %(available)s "
            "(%(used)s déjà affectée(s)). Rien n'a été affecté."
        )
    raise AssignmentError(
        message
        % {
            "resource": subscription.resource,
            "what": what,
            "wanted": wanted,
            "words": pool.words,
            "left": max(pool.left, 0),
            "available": pool.available,
            "used": pool.used,
        }
    )


def _check_individual(subscription, public) -> None:
    if subscription.assignment_type == AssignmentType.ETABL:
        raise AssignmentError(
            _(
                "L'abonnement « %(resource)s » est de type ETABL : il s'affecte à tout "
                "l'établissement."
            )
            % {"resource": subscription.resource}
        )
    if public not in subscription.publics:
        raise AssignmentError(
            _("L'abonnement « %(resource)s » n'est pas destiné au public « %(public)s ».")
            % {"resource": subscription.resource, "public": Public(public).label.lower()}
        )


def _create(subscription, user, **fields) -> GarAssignment:
    assignment = GarAssignment.objects.create(subscription=subscription, created_by=user, **fields)
    audit_record(
        actor=user,
        action="gar.assignment.created",
        obj=assignment,
        establishment=subscription.establishment,
        after={"public": assignment.public, "licences": assignment.licences},
        summary=f"Affectation : {assignment}",
    )
    return assignment


@transaction.atomic
def assign_divisions(*, subscription, divisions, user) -> list[GarAssignment]:
    """Classes and groups: one licence per pupil, public ELEVE."""
    subscription = _locked(subscription)
    divisions = list(divisions)
    if not divisions:
        raise AssignmentError(_("Choisissez au moins une classe ou un groupe."))
    _check_individual(subscription, Public.ELEVE)
    foreign = [
        d
        for d in divisions
        if (d.establishment_id, d.school_year_id)
        != (subscription.establishment_id, subscription.school_year_id)
    ]
    if foreign:
        raise AssignmentError(
            _(
                "Seules les classes et groupes de l'établissement pour l'année de l'abonnement "
                "peuvent être affectés."
            )
        )
    already = set(
        subscription.assignments.filter(division__in=divisions).values_list(
            "division__code", flat=True
        )
    )
    if already:
        raise AssignmentError(
            _("Déjà affecté(e)(s) à cet abonnement : %(names)s. Rien n'a été affecté.")
            % {"names": ", ".join(sorted(already))}
        )
    names = ", ".join(d.code for d in divisions)
    _check_fits(
        subscription,
        Public.ELEVE,
        sum(d.pupil_count for d in divisions),
        names,
        many=len(divisions) > 1,
    )
    return [
        _create(
            subscription,
            user,
            target_kind=TargetKind.DIVISION,
            division=d,
            public=Public.ELEVE,
            licences=d.pupil_count,
        )
        for d in divisions
    ]


@transaction.atomic
def assign_teachers(*, subscription, teachers, user) -> list[GarAssignment]:
    """Teachers of the school: one licence each, public ENSEIGNANT."""
    subscription = _locked(subscription)
    teachers = list(teachers)
    if not teachers:
        raise AssignmentError(_("Choisissez au moins un enseignant."))
    _check_individual(subscription, Public.ENSEIGNANT)
    staff = set(
        selectors.teachers_of(subscription.establishment, subscription.school_year).values_list(
            "pk", flat=True
        )
    )
    outsiders = [str(t) for t in teachers if t.pk not in staff]
    if outsiders:
        raise AssignmentError(
            _("%(names)s n'enseigne(nt) pas dans l'établissement cette année.")
            % {"names": ", ".join(outsiders)}
        )
    already = [str(a.teacher) for a in subscription.assignments.filter(teacher__in=teachers)]
    if already:
        raise AssignmentError(
            _("Déjà affecté(e)(s) à cet abonnement : %(names)s. Rien n'a été affecté.")
            % {"names": ", ".join(already)}
        )
    names = ", ".join(str(t) for t in teachers)
    _check_fits(subscription, Public.ENSEIGNANT, len(teachers), names, many=len(teachers) > 1)
    return [
        _create(
            subscription,
            user,
            target_kind=TargetKind.TEACHER,
            teacher=t,
            public=Public.ENSEIGNANT,
            licences=1,
        )
        for t in teachers
    ]


def establishment_size(subscription) -> int:
    """Licences a whole-establishment assignment takes: pupils of the classes, and teachers."""
    establishment, year = subscription.establishment, subscription.school_year
    pupils = selectors.pupils_in_classes(establishment, year)
    teachers = selectors.teachers_of(establishment, year).count()
    return (pupils if Public.ELEVE in subscription.publics else 0) + (
        teachers if Public.ENSEIGNANT in subscription.publics else 0
    )


@transaction.atomic
def assign_establishment(*, subscription, user) -> GarAssignment:
    """An ETABL subscription given to the whole establishment (its global licences)."""
    subscription = _locked(subscription)
    if subscription.assignment_type != AssignmentType.ETABL:
        raise AssignmentError(
            _(
                "L'abonnement « %(resource)s » est individuel (INDIV) : affectez-le à des "
                "classes, des groupes ou des enseignants."
            )
            % {"resource": subscription.resource}
        )
    if subscription.assignments.filter(target_kind=TargetKind.ESTABLISHMENT).exists():
        raise AssignmentError(_("Cet abonnement est déjà affecté à tout l'établissement."))
    public = next((p for p in Public.values if p in subscription.publics), Public.ELEVE)
    size = establishment_size(subscription)
    _check_fits(subscription, public, size, _("tout l'établissement"))
    return _create(
        subscription, user, target_kind=TargetKind.ESTABLISHMENT, public=public, licences=size
    )


@transaction.atomic
def assignment_remove(*, assignment, user) -> None:
    subscription = _locked(assignment.subscription)
    before = {"public": assignment.public, "licences": assignment.licences}
    text = str(assignment)
    audit_record(
        actor=user,
        action="gar.assignment.removed",
        obj=assignment,
        establishment=subscription.establishment,
        before=before,
        summary=f"Affectation retirée : {text}",
    )
    assignment.delete()


@dataclass
class CopyReport:
    copied: list[str] = field(default_factory=list)
    not_copied: list[str] = field(default_factory=list)
    already: int = 0
    subscriptions: int = 0  # this year's subscriptions with a subscription last year


def _last_year_targets(establishment, school_year) -> dict[int, list[GarAssignment]]:
    """{resource id: last year's assignments of that resource in the school}."""
    last = (
        GarAssignment.objects.filter(
            subscription__establishment=establishment,
            subscription__school_year__start_year=school_year.start_year - 1,
        )
        .select_related("division", "teacher", "subscription")
        .order_by("target_kind", "division__code", "teacher__last_name", "pk")
    )
    targets: dict[int, list[GarAssignment]] = {}
    for assignment in last:
        targets.setdefault(assignment.subscription.resource_id, []).append(assignment)
    return targets


@transaction.atomic
def copy_last_year(*, establishment, school_year, user) -> CopyReport:
    """Recreate last year's assignments of each resource on this year's subscriptions.

    Classes and groups are matched by code; each target that no longer exists or no longer fits
    in the licences is reported, the others are copied.
    """
    report = CopyReport()
    targets = _last_year_targets(establishment, school_year)
    divisions = {d.code: d for d in selectors.divisions_of(establishment, school_year)}
    subscriptions = selectors.subscriptions_of(establishment, school_year).filter(
        resource_id__in=targets
    )
    for subscription in subscriptions:
        report.subscriptions += 1
        for old in targets[subscription.resource_id]:
            title = subscription.resource.title
            try:
                if old.target_kind == TargetKind.DIVISION:
                    division = divisions.get(old.division.code)
                    if division is None:
                        report.not_copied.append(
                            _(
                                "%(title)s : la classe ou le groupe %(code)s n'existe pas "
                                "cette année."
                            )
                            % {"title": title, "code": old.division.code}
                        )
                        continue
                    if subscription.assignments.filter(division=division).exists():
                        report.already += 1
                        continue
                    assign_divisions(subscription=subscription, divisions=[division], user=user)
                    report.copied.append(f"{title} → {division.code}")
                elif old.target_kind == TargetKind.TEACHER:
                    if subscription.assignments.filter(teacher=old.teacher).exists():
                        report.already += 1
                        continue
                    assign_teachers(subscription=subscription, teachers=[old.teacher], user=user)
                    report.copied.append(f"{title} → {old.teacher}")
                else:
                    if subscription.assignments.filter(
                        target_kind=TargetKind.ESTABLISHMENT
                    ).exists():
                        report.already += 1
                        continue
                    assign_establishment(subscription=subscription, user=user)
                    report.copied.append(f"{title} → tout l'établissement")
            except AssignmentError as exc:
                report.not_copied.append(
                    _("%(title)s : %(error)s") % {"title": title, "error": exc}
                )
    if report.copied:
        audit_record(
            actor=user,
            action="gar.assignments.copied",
            establishment=establishment,
            after={"copiées": len(report.copied), "non copiées": len(report.not_copied)},
            summary=f"Affectations de l'an dernier copiées : {len(report.copied)}",
        )
    return report
