"""Demo people (invented names) for every persona, in four establishments of the three départements."""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from rrupn.establishments.models import Establishment, SchoolYear

from .models import Role, RoleAssignment, SraneLevel, SraneScope, User

DEMO_PASSWORD = "demo-rrupn-2026"

MAUPASSANT = "0870022B"  # collège, Limoges (87)
BLUM = "0870023C"  # collège, Limoges (87)
PERRIER = "0190032G"  # lycée, Tulle (19)
NADAUD = "0230487E"  # collège, Guéret (23)

# (email, first name, last name, discipline, [(uai, role, yearly)], srane scope)
PEOPLE = [
    (
        "camille.fauvette@ac-limoges.fr",
        "Camille",
        "Fauvette",
        "Technologie",
        [(MAUPASSANT, Role.RRUPN, True), (BLUM, Role.TEACHER, False)],
        None,
    ),
    (
        "henri.bergeronnette@ac-limoges.fr",
        "Henri",
        "Bergeronnette",
        "",
        [(MAUPASSANT, Role.HEAD, False)],
        None,
    ),
    (
        "lea.sittelle@ac-limoges.fr",
        "Léa",
        "Sittelle",
        "",
        [(MAUPASSANT, Role.DIRECTION, False)],
        None,
    ),
    (
        "paul.grimpereau@ac-limoges.fr",
        "Paul",
        "Grimpereau",
        "",
        [(MAUPASSANT, Role.GESTIONNAIRE, False)],
        None,
    ),
    (
        "ines.mesange@ac-limoges.fr",
        "Inès",
        "Mésange",
        "Documentation",
        [(MAUPASSANT, Role.DOCUMENTALISTE, False), (MAUPASSANT, Role.RESP_GAR, False)],
        None,
    ),
    (
        "marc.pinson@ac-limoges.fr",
        "Marc",
        "Pinson",
        "Mathématiques",
        [(MAUPASSANT, Role.ADMIN_ENT, False), (MAUPASSANT, Role.TEACHER, False)],
        None,
    ),
    (
        "julie.rougegorge@ac-limoges.fr",
        "Julie",
        "Rougegorge",
        "Histoire-géographie",
        [(MAUPASSANT, Role.TEACHER, False)],
        None,
    ),
    ("nora.loriot@ac-limoges.fr", "Nora", "Loriot", "", [(MAUPASSANT, Role.CPE, False)], None),
    ("yves.martinet@ac-limoges.fr", "Yves", "Martinet", "", [(BLUM, Role.HEAD, False)], None),
    (
        "sophie.alouette@ac-limoges.fr",
        "Sophie",
        "Alouette",
        "",
        [(PERRIER, Role.HEAD, False)],
        None,
    ),
    (
        "hugo.bouvreuil@ac-limoges.fr",
        "Hugo",
        "Bouvreuil",
        "Sciences physiques",
        [(PERRIER, Role.RRUPN, True), (PERRIER, Role.TEACHER, False)],
        None,
    ),
    (
        "anne.verdier@ac-limoges.fr",
        "Anne",
        "Verdier",
        "",
        [(PERRIER, Role.GESTIONNAIRE, False)],
        None,
    ),
    ("claire.roitelet@ac-limoges.fr", "Claire", "Roitelet", "", [(NADAUD, Role.HEAD, False)], None),
    (
        "louis.pic@ac-limoges.fr",
        "Louis",
        "Pic",
        "Anglais",
        [(NADAUD, Role.RRUPN, True), (NADAUD, Role.TEACHER, False)],
        None,
    ),
    ("eric.hirondelle@ac-limoges.fr", "Éric", "Hirondelle", "", [], (SraneLevel.DEPARTMENT, "87")),
    (
        "agnes.tourterelle@ac-limoges.fr",
        "Agnès",
        "Tourterelle",
        "",
        [],
        (SraneLevel.DEPARTMENT, "19"),
    ),
    ("marie.cigogne@ac-limoges.fr", "Marie", "Cigogne", "", [], (SraneLevel.ACADEMIE, "")),
]
ADMIN = ("admin@ac-limoges.fr", "Admin", "Portail")


@transaction.atomic
def load_demo() -> list[tuple[str, str]]:
    """Create or refresh the demo people; safe to run again. Return (email, description)."""
    year = SchoolYear.current()
    establishments = {
        e.uai: e for e in Establishment.objects.filter(uai__in=[MAUPASSANT, BLUM, PERRIER, NADAUD])
    }
    missing = {MAUPASSANT, BLUM, PERRIER, NADAUD} - set(establishments)
    if missing:
        raise LookupError(
            f"Établissements absents ({', '.join(sorted(missing))}) : importez d'abord le référentiel."
        )
    summary = []
    # One hash for every demo account (a public password): hashing it per person took seconds.
    hashed = make_password(DEMO_PASSWORD)
    for email, first, last, discipline, roles, scope in PEOPLE:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"first_name": first, "last_name": last, "discipline": discipline},
        )
        if created:
            user.password = hashed
            user.save()
        descriptions = []
        for uai, role, yearly in roles:
            RoleAssignment.objects.get_or_create(
                user=user,
                establishment=establishments[uai],
                role=role,
                school_year=year if yearly else None,
            )
            descriptions.append(f"{Role(role).label} — {establishments[uai].name}")
        if scope:
            SraneScope.objects.get_or_create(user=user, level=scope[0], department=scope[1])
            descriptions.append(
                "SRANE académie" if scope[0] == SraneLevel.ACADEMIE else f"SRANE {scope[1]}"
            )
        summary.append((email, " ; ".join(descriptions)))
    admin, created = User.objects.get_or_create(
        email=ADMIN[0],
        defaults={
            "first_name": ADMIN[1],
            "last_name": ADMIN[2],
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.password = hashed
        admin.save()
    summary.append((ADMIN[0], "Administrateur du site"))
    _demo_letters(establishments, year)
    _demo_commission(establishments, year)
    _demo_gar(establishments, year)
    _demo_pix(establishments, year)
    _demo_maintenance(establishments, year)
    _demo_relay(establishments, year)
    return summary


def _demo_relay(establishments, year) -> None:
    """Announcements of the SRANE to the RRUPN, one read (demo_relay.py, through the relay's
    services; no e-mail at load time)."""
    from .demo_relay import demo_relay

    demo_relay(establishments, year)


def _demo_maintenance(establishments, year) -> None:
    """Incidents in various states (one per channel kind) and equipment needs
    (demo_maintenance.py; nothing is sent at load time)."""
    from .demo_maintenance import demo_maintenance

    demo_maintenance(establishments, year)


def _demo_pix(establishments, year) -> None:
    """Pix campaigns of invented pupils imported as exports, certification sessions
    (demo_pix.py, through the importer and the certification services)."""
    from .demo_pix import demo_pix

    demo_pix(establishments, year)


def _demo_gar(establishments, year) -> None:
    """Classes, subscriptions, assignments and the campaign (demo_gar.py, through the GAR
    services)."""
    from .demo_gar import demo_gar

    demo_gar(establishments, year)


def _demo_commission(establishments, year) -> None:
    """Something on every commission page (demo_commission.py, written through its services)."""
    from .demo_commission import demo_commission

    demo_commission(establishments, year)


def _demo_letters(establishments, year) -> None:
    """A letter in force at Maupassant, one waiting for the head's signature at Perrier."""
    from missions import services
    from missions.models import ImpRate, MissionLetter, MissionTask, SharingPartner

    def people(uai, head_email, rrupn_email):
        head = User.objects.get(email=head_email)
        rrupn = User.objects.get(email=rrupn_email)
        est = establishments[uai]
        roles = lambda user: frozenset(  # noqa: E731
            RoleAssignment.objects.active(year)
            .filter(user=user, establishment=est)
            .values_list("role", flat=True)
        )
        return est, head, rrupn, roles

    tasks = list(MissionTask.objects.filter(function__number__in=[1, 2, 3]).order_by("pk"))
    gar = SharingPartner.objects.get(code="resp-gar")
    choices = [services.TaskChoice(t, gar if "GAR" in t.title else None) for t in tasks[::2]]

    est, head, rrupn, roles = people(
        MAUPASSANT, "henri.bergeronnette@ac-limoges.fr", "camille.fauvette@ac-limoges.fr"
    )
    if not MissionLetter.objects.filter(establishment=est, school_year=year).exists():
        data = services.LetterData(
            rrupn=rrupn,
            starts_on=year.starts_on,
            ends_on=year.ends_on,
            imp_rate=ImpRate.objects.get(amount=1250),
            clauses="Deux heures hebdomadaires dégagées.",
            tasks=choices,
        )
        letter = services.letter_create(
            establishment=est, school_year=year, author=head, roles=roles(head), data=data
        )
        services.letter_propose(
            letter=letter, user=head, roles=roles(head), revision=letter.revision
        )
        services.letter_sign(letter=letter, user=head, roles=roles(head), revision=letter.revision)
        services.letter_accept(letter=letter, user=rrupn, revision=letter.revision)

    est, head, rrupn, roles = people(
        PERRIER, "sophie.alouette@ac-limoges.fr", "hugo.bouvreuil@ac-limoges.fr"
    )
    if not MissionLetter.objects.filter(establishment=est, school_year=year).exists():
        data = services.LetterData(
            rrupn=rrupn,
            starts_on=year.starts_on,
            ends_on=year.ends_on,
            imp_rate=ImpRate.objects.get(amount=625),
            tasks=choices,
        )
        letter = services.letter_create(
            establishment=est, school_year=year, author=rrupn, roles=roles(rrupn), data=data
        )
        services.letter_propose(
            letter=letter, user=rrupn, roles=roles(rrupn), revision=letter.revision
        )
