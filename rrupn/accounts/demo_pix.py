"""Demo content of the Pix pages (invented pupils), written through the real importer.

Maupassant (its classes come from demo_gar.py) exported three campaigns from "Pix Orga", under
a name that is not its official one (the first import records it):
- "6e - Protection et sécurité" (6A, 6B): shared, in-progress, not-started and completed-but-
  not-shared pupils;
- the 6e bilan parcours (6A, 6B), whose shared results are the attestations de sensibilisation;
- a profiles collection of 3A: certifiable, not certifiable and not-sent pupils; 3B has none yet.
The files are built as Pix writes them (`;`, BOM, quoted strings, decimal comma, `NA`) and go
through `pix.imports.services.apply`, like an upload. Maupassant's RRUPN plans the 3e
certification session; Perrier's RRUPN records a terminale session with its results. Each part
is created only when it is missing, so loading the demo again adds nothing.
"""

import datetime
import zoneinfo

from django.utils import timezone

from pix.certification import services as certification
from pix.crcn import COMPETENCES, DOMAINS
from pix.imports import services as imports
from pix.models import Campaign, CertificationSession, KnownParcours, ParcoursRole
from rrupn.establishments.models import Division

from .models import RoleAssignment, User

MAUPASSANT, PERRIER = "0870022B", "0190032G"  # as in demo.py
PIX_ORGA_NAME = "CLG GUY DE MAUPASSANT - LIMOGES"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
COMPETENCE_NAMES = dict(COMPETENCES)
DOMAIN_TITLES = dict(DOMAINS)

# Invented pupils: (last name, first name) per class.
PUPILS = {
    "6A": [
        ("ALBERTINI", "Lou"),
        ("BARRAUD", "Nathan"),
        ("CHABROL", "Maëlys"),
        ("DESSALES", "Timéo"),
        ("ESTRADE", "Jeanne"),
        ("FAUCHER-LACOUR", "Sacha"),
        ("GOURSAUD", "Élise"),
        ("JOUHAUD", "Kylian"),
    ],
    "6B": [
        ("LACHAUD", "Anaïs"),
        ("MANDON", "Rayan"),
        ("NOUAILLE", "Capucine"),
        ("PEYRAT", "Eliott"),
        ("QUEYROI", "Lya"),
        ("RAFFIER", "Noé"),
        ("SARRE", "Mila"),
    ],
    "3A": [
        ("ARNAUD", "Célestin"),
        ("BESSE", "Romane"),
        ("COUDERT", "Hugo"),
        ("DUMONT-VERGNE", "Lina"),
        ("FAYE", "Mathis"),
        ("GUILLOT", "Zélie"),
        ("LAVAUD", "Enzo"),
        ("MAZABRAUD", "Clémence"),
        ("PRADEAU", "Ilyès"),
        ("ROUCHAUD", "Agathe"),
        ("TIXIER", "Malo"),
        ("VIGNAUD", "Inaya"),
    ],
}

PROTECTION_SKILLS = {"4.1": 4, "4.2": 4, "4.3": 3}  # targeted skills per competence
BILAN_SKILLS = {"1.1": 3, "3.1": 3, "4.1": 4, "5.1": 2}


def demo_pix(establishments, year) -> None:
    maupassant, perrier = establishments[MAUPASSANT], establishments[PERRIER]
    rrupn = User.objects.get(email="camille.fauvette@ac-limoges.fr")
    classes = {
        d.code: d for d in Division.objects.filter(establishment=maupassant, school_year=year)
    }
    _set_team(classes, "6A", "julie.rougegorge@ac-limoges.fr")
    _set_team(classes, "3A", "marc.pinson@ac-limoges.fr")
    moments = _moments(year)
    bilan_name = (
        KnownParcours.objects.filter(role=ParcoursRole.SIXTH_BILAN).values_list("name", flat=True)
    ).first() or "Parcours 6e Bilan"
    protection_name = (
        KnownParcours.objects.filter(role=ParcoursRole.SIXTH_PROTECTION).values_list(
            "name", flat=True
        )
    ).first() or "Parcours 6e Protection et sécurité"
    _import(
        maupassant,
        year,
        rrupn,
        "DMOPSC601",
        f"Resultats-6e - Protection et sécurité-{year.label}.csv",
        _assessment_export(
            "DMOPSC601",
            700101,
            f"6e - Protection et sécurité - {year.label}",
            protection_name,
            PROTECTION_SKILLS,
            moments[0],
            states=["shared", "shared", "shared", "progress", "shared", "not_shared", "shared"],
        ),
    )
    _import(
        maupassant,
        year,
        rrupn,
        "DMOBIL602",
        f"Resultats-6e - Bilan-{year.label}.csv",
        _assessment_export(
            "DMOBIL602",
            700102,
            f"6e - Bilan - {year.label}",
            bilan_name,
            BILAN_SKILLS,
            moments[1],
            states=["shared", "shared", "not_started", "shared", "progress", "shared"],
        ),
    )
    _import(
        maupassant,
        year,
        rrupn,
        "DMOCOL303",
        f"Resultats-Collecte de profils 3e-{year.label}.csv",
        _profiles_export("DMOCOL303", 700103, f"Collecte de profils 3e - {year.label}", moments[2]),
    )
    _sessions(maupassant, perrier, year, classes, rrupn)


def _set_team(classes, code, email) -> None:
    """The class's teaching team: who sees its pupils' results (Division.teachers)."""
    division = classes.get(code)
    if division is not None:
        division.teachers.add(User.objects.get(email=email))


def _moments(year) -> list[datetime.datetime]:
    """Three moments of the school year, in the past when the year has begun long enough."""
    now = timezone.now()
    start = datetime.datetime.combine(year.starts_on, datetime.time(9, 0), tzinfo=PARIS)
    span = max(now - start, datetime.timedelta(0))
    return [start + span * share for share in (0.2, 0.5, 0.8)]


def _roles(user, establishment, year) -> frozenset:
    return frozenset(
        RoleAssignment.objects.active(year)
        .filter(user=user, establishment=establishment)
        .values_list("role", flat=True)
    )


def _import(establishment, year, user, code, file_name, data: bytes) -> None:
    if Campaign.objects.filter(establishment=establishment, code=code).exists():
        return
    try:
        imports.apply(
            establishment, data, file_name=file_name, user=user, forced_year=year.start_year
        )
    except imports.ImportRefused as exc:
        raise ValueError(f"Export Pix de démonstration refusé : {exc.errors}") from exc


# --- the files, as Pix Orga writes them --------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return '"NA"'
    if isinstance(value, bool):
        return '"Oui"' if value else '"Non"'
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.3f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    if isinstance(value, datetime.datetime):
        return '"' + value.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") + '"'
    text = str(value)
    if text and all(c.isdigit() or c == "-" for c in text):
        return text  # digit-only strings are written bare
    return '"' + text.replace('"', '""') + '"'


def _file(header: list[str], rows: list[list]) -> bytes:
    lines = [";".join(_cell(h) for h in header)]
    lines += [";".join(_cell(v) for v in row) for row in rows]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def _assessment_export(code, pix_id, name, parcours, skills, moment, states) -> bytes:
    """A 6e assessment campaign over 6A and 6B; `states` cycles over the pupils."""
    domains: dict[int, list[str]] = {}
    for competence in skills:
        domains.setdefault(int(competence[0]), []).append(competence)
    header = [
        "Nom de l'organisation",
        "ID Campagne",
        "Code",
        "Nom de la campagne",
        "Parcours",
        "Nom du Participant",
        "Prénom du Participant",
        "Classe",
        "% de progression",
        "Date et heure de début (Europe/Paris)",
        "Partage (O/N)",
        "Date et heure du partage (Europe/Paris)",
        "Palier obtenu (/3)",
        "% maitrise de l'ensemble des acquis du profil",
    ]
    for competence in skills:
        title = COMPETENCE_NAMES[competence]
        header += [
            f"% de maitrise des acquis de la compétence {title}",
            f"Nombre d'acquis du profil cible dans la compétence {title}",
            f"Acquis maitrisés dans la compétence {title}",
        ]
    for number in domains:
        title = DOMAIN_TITLES[number]
        header += [
            f"% de maitrise des acquis du domaine {title}",
            f"Nombre d'acquis du profil cible du domaine {title}",
            f"Acquis maitrisés du domaine {title}",
        ]
    rows = []
    total_skills = sum(skills.values())
    index = 0
    for division in ("6A", "6B"):
        for last, first in PUPILS[division]:
            state = states[index % len(states)]
            started = moment + datetime.timedelta(minutes=7 * index)
            index += 1
            if state == "not_started":
                progression, shared = 0, False
            elif state == "progress":
                progression, shared = 0.455, False
            elif state == "not_shared":
                progression, shared = 1, False
            else:
                progression, shared = 1, True
            row = [PIX_ORGA_NAME, pix_id, code, name, parcours, last, first, division]
            row += [progression, started, shared]
            if not shared:
                row += [None] * (3 + 3 * len(skills) + 3 * len(domains))
                rows.append(row)
                continue
            validated = {c: max(0, n - (index + i) % 3) for i, (c, n) in enumerate(skills.items())}
            done = sum(validated.values())
            stage = min(3, round(3 * done / total_skills))
            row += [started + datetime.timedelta(minutes=25), stage, round(done / total_skills, 2)]
            for competence, targeted in skills.items():
                got = validated[competence]
                row += [round(got / targeted, 2), targeted, got]
            for members in domains.values():
                targeted = sum(skills[c] for c in members)
                got = sum(validated[c] for c in members)
                row += [round(got / targeted, 2), targeted, got]
            rows.append(row)
    return _file(header, rows)


def _profiles_export(code, pix_id, name, moment) -> bytes:
    """A profiles collection of 3A: most sent (a few not certifiable), two not sent."""
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
    for _code, title in COMPETENCES:
        header += [
            f"Niveau pour la compétence {title}",
            f"Nombre de pix pour la compétence {title}",
        ]
    rows = []
    for index, (last, first) in enumerate(PUPILS["3A"]):
        row = [PIX_ORGA_NAME, pix_id, code, name, last, first, "3A"]
        if index in (4, 9):  # joined, never sent
            rows.append([*row, False, *([None] * (4 + 2 * len(COMPETENCES)))])
            continue
        # Competences with pix: most pupils reach level 1 in many; two only in three.
        reached = 3 if index in (2, 7) else 8 + index % 6
        pix = [
            (8 + (index * 5 + c * 3) % 20) if c < reached else (c + index) % 7 for c in range(16)
        ]
        levels = [min(7, p // 8) for p in pix]
        at_level = sum(1 for level in levels if level >= 1)
        sent = moment + datetime.timedelta(minutes=11 * index)
        row += [True, sent, sum(pix), at_level >= 5, at_level]
        for level, points in zip(levels, pix, strict=True):
            row += [level, points]
        rows.append(row)
    return _file(header, rows)


# --- certification sessions --------------------------------------------------------------------


def _sessions(maupassant, perrier, year, classes, rrupn) -> None:
    if not CertificationSession.objects.filter(establishment=maupassant, school_year=year).exists():
        thirds = [classes[c] for c in ("3A", "3B") if c in classes]
        certification.session_create(
            establishment=maupassant,
            school_year=year,
            user=rrupn,
            roles=_roles(rrupn, maupassant, year),
            data=certification.SessionData(
                level="3e",
                date=datetime.date(year.start_year + 1, 3, 18),
                room="Salle informatique B12",
                divisions=thirds,
                candidates=sum(d.pupil_count for d in thirds) or 57,
            ),
        )
    if not CertificationSession.objects.filter(establishment=perrier, school_year=year).exists():
        hugo = User.objects.get(email="hugo.bouvreuil@ac-limoges.fr")
        held = max(year.starts_on, timezone.localdate() - datetime.timedelta(days=14))
        certification.session_create(
            establishment=perrier,
            school_year=year,
            user=hugo,
            roles=_roles(hugo, perrier, year),
            data=certification.SessionData(
                level="terminale",
                date=min(held, year.ends_on),
                room="CDI",
                candidates=30,
                certified=27,
                score_bands={"novice2": 6, "independant1": 14, "independant2": 8, "avance1": 2},
            ),
        )
