"""Demo content of the commission pages, written through the commission's own services.

Maupassant has a validated commission that met this term, a project, training, purchases,
practices and an RGPD register; Perrier a smaller commission waiting for its head. Each part is
created only when the school has none of it yet, so loading the demo again adds nothing. Dates
are relative to today: the past meeting always falls in the current term.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from commission.members import services as members
from commission.members.selectors import day_start, term_bounds
from commission.models import (
    ActionStatus,
    Commission,
    MemberCategory,
    Modality,
    NeedOrigin,
    Presence,
    Priority,
    ProcessingActivity,
    ProjectAxis,
    PurchaseProposal,
    RemarkablePractice,
    TrainingKind,
    TrainingNeed,
    TrainingTopic,
)
from commission.practices import services as practices
from commission.project import services as project
from commission.purchases import services as purchases
from commission.rgpd import services as rgpd
from commission.rgpd.suggestions import suggestion_initial
from commission.training import services as training

from .models import RoleAssignment, User

MAUPASSANT, PERRIER = "0870022B", "0190032G"  # as in demo.py (which imports this module)
PARENT = "Sandrine Chardonneret"  # invented, like every demo name

# (email or None for the parent, category, discipline, detail, presence at the past meeting)
MAUPASSANT_MEMBERS = [
    ("henri.bergeronnette@ac-limoges.fr", MemberCategory.DIRECTION, "", "", Presence.PRESENT),
    ("camille.fauvette@ac-limoges.fr", MemberCategory.RRUPN, "", "", Presence.PRESENT),
    ("paul.grimpereau@ac-limoges.fr", MemberCategory.INTENDANCE, "", "", Presence.EXCUSED),
    ("ines.mesange@ac-limoges.fr", MemberCategory.DOCUMENTALISTE, "", "", Presence.PRESENT),
    ("marc.pinson@ac-limoges.fr", MemberCategory.ADMIN_ENT, "", "", Presence.PRESENT),
    ("nora.loriot@ac-limoges.fr", MemberCategory.VIE_SCOLAIRE, "", "CPE", Presence.PRESENT),
    (
        "julie.rougegorge@ac-limoges.fr",
        MemberCategory.DISCIPLINE_REFERENT,
        "Histoire-géographie",
        "",
        Presence.PRESENT,
    ),
    (None, MemberCategory.PARENT, "", "Élue au conseil d'administration", Presence.ABSENT),
]
PERRIER_MEMBERS = [
    ("sophie.alouette@ac-limoges.fr", MemberCategory.DIRECTION),
    ("hugo.bouvreuil@ac-limoges.fr", MemberCategory.RRUPN),
    ("anne.verdier@ac-limoges.fr", MemberCategory.INTENDANCE),
]
AGENDA = [
    "Bilan de la rentrée numérique (ENT, comptes, matériel)",
    "Recensement des besoins de formation",
    "Propositions d'achat pour l'année",
]
MINUTES = (
    "Les comptes ENT de tous les élèves sont actifs ; le cahier de textes est utilisé par la "
    "plupart des équipes.\n"
    "Les besoins de formation portent d'abord sur Pix+Édu et le médiacentre.\n"
    "La commission soutient l'achat de visualiseuses pour les salles de sciences."
)


def demo_commission(establishments, year) -> None:
    people = {user.email: user for user in User.objects.filter(email__endswith="@ac-limoges.fr")}
    maupassant, perrier = establishments[MAUPASSANT], establishments[PERRIER]
    head = people["henri.bergeronnette@ac-limoges.fr"]
    rrupn = people["camille.fauvette@ac-limoges.fr"]
    roles = _roles(rrupn, maupassant, year)
    _maupassant_commission(maupassant, year, people, head)
    _project(maupassant, rrupn)
    _training(maupassant, year, rrupn)
    _purchases(maupassant, year, rrupn, roles, head)
    _practices(maupassant, year, rrupn, roles, people)
    _register(maupassant, rrupn, roles)
    _perrier(perrier, year, people)


def _roles(user, establishment, year) -> frozenset:
    return frozenset(
        RoleAssignment.objects.active(year)
        .filter(user=user, establishment=establishment)
        .values_list("role", flat=True)
    )


def meeting_times(now=None) -> tuple[datetime.datetime, datetime.datetime]:
    """A meeting held earlier this term (term start ≤ it ≤ now) and one two weeks ahead."""
    now = timezone.localtime(now)
    term_start = day_start(term_bounds(now.date())[0])
    held = (now - datetime.timedelta(days=14)).replace(hour=17, minute=0, second=0, microsecond=0)
    if held < term_start:  # the term began less than two weeks ago
        held = (term_start + (now - term_start) / 2).replace(second=0, microsecond=0)
    upcoming = (now + datetime.timedelta(days=14)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    return held, upcoming


def _add_members(commission, user, rows, people) -> dict:
    added = {}
    for email, category, discipline, detail in rows:
        data = members.MemberData(
            category=category,
            person=people[email] if email else None,
            outsider_name="" if email else PARENT,
            discipline=discipline,
            detail=detail,
        )
        added[email] = members.member_add(
            commission=commission, user=user, revision=commission.revision, data=data
        )
    return added


def _maupassant_commission(est, year, people, head) -> None:
    if Commission.objects.filter(establishment=est, school_year=year).exists():
        return
    rrupn = people["camille.fauvette@ac-limoges.fr"]
    commission = members.commission_create(
        establishment=est, school_year=year, user=rrupn, modality=Modality.AD_HOC
    )
    added = _add_members(commission, rrupn, [row[:4] for row in MAUPASSANT_MEMBERS], people)
    members.composition_submit(commission=commission, user=rrupn, revision=commission.revision)
    members.composition_validate(
        commission=commission,
        user=head,
        roles=_roles(head, est, year),
        revision=commission.revision,
    )

    held_at, upcoming_at = meeting_times()
    meeting = members.meeting_create(
        commission=commission,
        user=rrupn,
        data=members.MeetingData(starts_at=held_at, place="Salle du conseil", agenda=AGENDA),
    )
    presences = {added[row[0]].pk: row[4] for row in MAUPASSANT_MEMBERS}
    members.attendance_record(
        meeting=meeting, user=rrupn, revision=meeting.revision, presences=presences
    )
    members.minutes_save(meeting=meeting, user=rrupn, revision=meeting.revision, minutes=MINUTES)
    today = timezone.localdate()
    done = members.action_create(
        commission=commission,
        user=rrupn,
        title="Mettre à jour la charte d'usage de l'ENT",
        owner=added["marc.pinson@ac-limoges.fr"],
        due_on=held_at.date() + datetime.timedelta(days=7),
        meeting=meeting,
    )
    members.action_set_status(
        action=done, user=rrupn, seen_status=ActionStatus.TODO, status=ActionStatus.DONE
    )
    members.action_create(
        commission=commission,
        user=rrupn,
        title="Recenser les besoins Pix+Édu des équipes disciplinaires",
        owner=added["camille.fauvette@ac-limoges.fr"],
        due_on=today + datetime.timedelta(days=30),
        meeting=meeting,
    )
    meeting.refresh_from_db()  # the decisions bumped its revision: the PDF shows them
    members.minutes_pdf_request(meeting=meeting, user=rrupn)

    upcoming = members.meeting_create(
        commission=commission,
        user=rrupn,
        data=members.MeetingData(
            starts_at=upcoming_at,
            duration_minutes=90,
            place="CDI",
            agenda=["Suivi des actions", "Plan de formation : café numérique sur le médiacentre"],
        ),
    )
    members.invitation_send(meeting=upcoming, user=rrupn)


def _project(est, user) -> None:
    if ProjectAxis.objects.filter(establishment=est).exists():
        return
    axis = project.axis_create(
        establishment=est, user=user, title="Développer les usages pédagogiques de l'ENT", order=1
    )
    today = timezone.localdate()
    indicators = [
        ("Enseignants utilisant le cahier de textes de l'ENT", "%", 90, [52, 64, 71]),
        ("Élèves de 3e certifiés Pix", "élèves", 120, [35, 58, 83]),
    ]
    for name, unit, target, values in indicators:
        indicator = project.indicator_create(
            axis=axis, user=user, name=name, unit=unit, target=Decimal(target)
        )
        for days_ago, value in zip((120, 60, 10), values, strict=True):
            project.value_record(
                indicator=indicator,
                user=user,
                measured_on=today - datetime.timedelta(days=days_ago),
                value=Decimal(value),
            )


def _training(est, year, user) -> None:
    if TrainingNeed.objects.filter(establishment=est, school_year=year).exists():
        return
    topics = {t.label: t for t in TrainingTopic.objects.all()}
    gar = topics["Médiacentre et ressources du GAR"]
    need = training.need_create(
        establishment=est,
        school_year=year,
        user=user,
        data=training.NeedData(
            topic=gar,
            audience="Enseignants de toutes disciplines",
            staff_count=14,
            priority=Priority.HIGH,
            origin=NeedOrigin.SURVEY,
            detail="Trouver et affecter les ressources du médiacentre",
        ),
    )
    training.need_create(
        establishment=est,
        school_year=year,
        user=user,
        data=training.NeedData(
            topic=topics["Pix+Édu : compétences numériques des personnels"],
            audience="Équipe de mathématiques et de sciences",
            staff_count=6,
            priority=Priority.MEDIUM,
            origin=NeedOrigin.PIX_EDU,
        ),
    )
    training.action_create(
        establishment=est,
        school_year=year,
        user=user,
        data=training.ActionData(
            kind=TrainingKind.CAFE,
            topic=gar,
            title="Le médiacentre en 30 minutes",
            presenter="Inès Mésange",
            held_on=max(year.starts_on, timezone.localdate() - datetime.timedelta(days=21)),
            attendees=9,
            need=need,
        ),
    )


def _purchases(est, year, user, roles, head) -> None:
    if PurchaseProposal.objects.filter(establishment=est, school_year=year).exists():
        return
    approved = purchases.purchase_propose(
        establishment=est,
        school_year=year,
        user=user,
        roles=roles,
        data=purchases.PurchaseData(
            item="Visualiseuse",
            quantity=3,
            estimated_cost=Decimal("447.00"),
            justification="Une par salle de sciences, pour projeter les manipulations.",
            project="Développer les usages pédagogiques de l'ENT",
        ),
    )
    purchases.purchase_decide(
        proposal=approved,
        user=head,
        roles=_roles(head, est, year),
        approve=True,
        comment="Sur le budget numérique de l'année.",
    )
    purchases.purchase_propose(
        establishment=est,
        school_year=year,
        user=user,
        roles=roles,
        data=purchases.PurchaseData(
            item="Casques avec micro",
            quantity=15,
            estimated_cost=Decimal("375.00"),
            justification="Enregistrements oraux en langues vivantes et webradio.",
        ),
    )


def _practices(est, year, user, roles, people) -> None:
    if RemarkablePractice.objects.filter(establishment=est, school_year=year).exists():
        return
    shared = practices.practice_create(
        establishment=est,
        school_year=year,
        user=user,
        roles=roles,
        data=practices.PracticeData(
            title="Carte collaborative du patrimoine limousin",
            discipline="Histoire-géographie",
            level="5e",
            description=(
                "Par groupes, les élèves situent et documentent un monument du quartier sur une "
                "carte partagée, puis présentent leur fiche à la classe."
            ),
            tools="Carte collaborative de l'ENT, tablettes",
            author=people["julie.rougegorge@ac-limoges.fr"],
        ),
    )
    practices.practice_share(practice=shared, user=user, roles=roles)
    practices.practice_create(
        establishment=est,
        school_year=year,
        user=user,
        roles=roles,
        data=practices.PracticeData(
            title="Rituels de calcul mental avec boîtiers de vote",
            discipline="Mathématiques",
            level="6e",
            description="Cinq minutes en début de séance ; les réponses s'affichent aussitôt.",
            tools="Boîtiers de vote, vidéoprojecteur",
            author=people["marc.pinson@ac-limoges.fr"],
        ),
    )


def _register(est, user, roles) -> None:
    if ProcessingActivity.objects.filter(establishment=est).exists():
        return
    for key in ("ent", "pronote"):
        data = rgpd.ActivityData(**suggestion_initial(key, est))
        rgpd.activity_create(establishment=est, user=user, roles=roles, data=data)


def _perrier(est, year, people) -> None:
    """A smaller commission submitted to the head, and one practice shared with the SRANE."""
    rrupn = people["hugo.bouvreuil@ac-limoges.fr"]
    roles = _roles(rrupn, est, year)
    if not Commission.objects.filter(establishment=est, school_year=year).exists():
        commission = members.commission_create(
            establishment=est, school_year=year, user=rrupn, modality=Modality.AD_HOC
        )
        rows = [(email, category, "", "") for email, category in PERRIER_MEMBERS]
        _add_members(commission, rrupn, rows, people)
        members.composition_submit(commission=commission, user=rrupn, revision=commission.revision)
    if not RemarkablePractice.objects.filter(establishment=est, school_year=year).exists():
        practice = practices.practice_create(
            establishment=est,
            school_year=year,
            user=rrupn,
            roles=roles,
            data=practices.PracticeData(
                title="Expériences filmées et commentées en seconde",
                discipline="Sciences physiques",
                level="2nde",
                description=(
                    "Les élèves filment une expérience, la commentent et déposent la vidéo dans "
                    "l'ENT ; la classe la revoit pour préparer l'évaluation."
                ),
                tools="Tablettes, espace documentaire de l'ENT",
                author=rrupn,
            ),
        )
        practices.practice_share(practice=practice, user=rrupn, roles=roles)
