"""Shared factories of the Pix app (campaigns, participations, results, certification sessions).

ParticipationFactory computes `match_key` with the importer's own function
(pix.imports.matching.match_key), so a later import of the same pupil updates the factory's row.
After creating participations, call `pix.summaries.rebuild(campaign)` when a test reads the
per-class summaries.
"""

import datetime

import factory

from pix.imports.matching import match_key
from pix.models import (
    Campaign,
    CampaignKind,
    CertificationLevel,
    CertificationSession,
    CompetenceResult,
    CrcnCompetence,
    Participation,
    PixOrganisation,
)
from rrupn.establishments.models import SchoolYear
from tests.factories import EstablishmentFactory


def campaign_code(n: int) -> str:
    """A valid, unique Pix Orga code: 6 letters then 3 digits (ABCDEF123 pattern)."""
    letters = ""
    value = n
    for _ in range(6):
        letters = chr(ord("A") + value % 26) + letters
        value //= 26
    return f"{letters}{n % 1000:03d}"


class PixOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PixOrganisation
        django_get_or_create = ["establishment"]

    establishment = factory.SubFactory(EstablishmentFactory)
    name = factory.LazyAttribute(lambda o: o.establishment.name)


class PixCampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    establishment = factory.SubFactory(EstablishmentFactory)
    school_year = factory.LazyFunction(SchoolYear.current)
    code = factory.Sequence(lambda n: campaign_code(n + 1000))
    pix_id = factory.Sequence(lambda n: 500000 + n)
    name = factory.Sequence(lambda n: f"Campagne Pix {n}")
    kind = CampaignKind.ASSESSMENT
    target_profile = factory.LazyAttribute(
        lambda o: "Parcours 6e Protection et sécurité" if o.kind == CampaignKind.ASSESSMENT else ""
    )

    class Params:
        profiles = factory.Trait(kind=CampaignKind.PROFILES, target_profile="")

    @factory.post_generation
    def divisions(self, create, extracted, **kwargs):
        if create and extracted:
            self.divisions.set(extracted)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    campaign = factory.SubFactory(PixCampaignFactory)
    last_name = factory.Sequence(lambda n: f"ÉLÈVE{n}")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    division_code = factory.LazyAttribute(lambda o: o.division.code if o.division else "6A")
    division = None
    match_key = factory.LazyAttribute(
        lambda o: match_key(o.last_name, o.first_name, o.division_code)
    )
    started_at = factory.LazyFunction(
        lambda: datetime.datetime(2025, 9, 15, 9, 0, tzinfo=datetime.UTC)
    )
    progression = factory.LazyAttribute(
        lambda o: None if o.campaign.kind == CampaignKind.PROFILES else 1
    )
    shared = True
    shared_at = factory.LazyAttribute(
        lambda o: o.started_at + datetime.timedelta(minutes=30) if o.shared else None
    )
    stage = None
    stage_count = None
    mastery = factory.LazyAttribute(
        lambda o: "0.750" if o.shared and o.campaign.kind == CampaignKind.ASSESSMENT else None
    )
    total_pix = factory.LazyAttribute(
        lambda o: 120 if o.shared and o.campaign.kind == CampaignKind.PROFILES else None
    )
    certifiable = factory.LazyAttribute(
        lambda o: True if o.shared and o.campaign.kind == CampaignKind.PROFILES else None
    )
    certifiable_competences = factory.LazyAttribute(
        lambda o: 8 if o.shared and o.campaign.kind == CampaignKind.PROFILES else None
    )

    class Params:
        not_started = factory.Trait(progression=0, shared=False)
        in_progress = factory.Trait(progression="0.455", shared=False)
        not_shared = factory.Trait(progression=1, shared=False)


class CompetenceResultFactory(factory.django.DjangoModelFactory):
    """A competence result; pass `competence=CrcnCompetence.objects.get(code="4.1")` or `code=`."""

    class Meta:
        model = CompetenceResult
        exclude = ["code"]

    participation = factory.SubFactory(ParticipationFactory)
    code = "4.1"
    competence = factory.LazyAttribute(lambda o: CrcnCompetence.objects.get(code=o.code))
    mastery = factory.LazyAttribute(
        lambda o: "0.750" if o.participation.campaign.kind == CampaignKind.ASSESSMENT else None
    )
    targeted = factory.LazyAttribute(
        lambda o: 4 if o.participation.campaign.kind == CampaignKind.ASSESSMENT else None
    )
    validated = factory.LazyAttribute(
        lambda o: 3 if o.participation.campaign.kind == CampaignKind.ASSESSMENT else None
    )
    level = factory.LazyAttribute(
        lambda o: 2 if o.participation.campaign.kind == CampaignKind.PROFILES else None
    )
    pix = factory.LazyAttribute(
        lambda o: 17 if o.participation.campaign.kind == CampaignKind.PROFILES else None
    )


class CertificationSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificationSession
        skip_postgeneration_save = True

    establishment = factory.SubFactory(EstablishmentFactory)
    school_year = factory.LazyFunction(SchoolYear.current)
    level = CertificationLevel.TROISIEME
    date = factory.LazyAttribute(lambda o: datetime.date(o.school_year.start_year + 1, 3, 15))
    room = "CDI"
    candidates = 25
    certified = None
    score_bands = factory.LazyFunction(dict)

    @factory.post_generation
    def divisions(self, create, extracted, **kwargs):
        if create and extracted:
            self.divisions.set(extracted)


# --- Pix Orga exports, written as Pix writes them (formats/pix.md §1) ------------------------

ORGANISATION_NAME = "Collège Exemple des Tilleuls"
ASSESSMENT_CAMPAIGN = {
    "organisation": ORGANISATION_NAME,
    "pix_id": 512347,
    "code": "QXTRMB482",
    "name": "6e - Protection et sécurité - 2025-2026",
    "target_profile": "Parcours 6e Protection et sécurité",
}
PROFILES_CAMPAIGN = {
    "organisation": ORGANISATION_NAME,
    "pix_id": 498211,
    "code": "LKZWNP317",
    "name": "Collecte de profils 3e - 2025-2026",
}
NA = object()  # a cell written "NA"


def pix_cell(value) -> str:
    """One cell as Pix's csv.js writes it: numbers bare with a decimal comma, digit-only strings
    bare, other strings quoted (inner quotes doubled, formula characters escaped with ')."""
    if value is None or value is NA:
        return '"NA"'
    if isinstance(value, bool):
        return '"Oui"' if value else '"Non"'
    if isinstance(value, int | float):
        return str(value).replace(".", ",")
    text = str(value)
    if text and all(c in "0123456789-" for c in text):
        return text
    if text[:1] in ("-", "@", "=", "+"):
        text = "'" + text
    return '"' + text.replace('"', '""') + '"'


def pix_csv(header, rows, *, bom=True) -> bytes:
    lines = [";".join(pix_cell(h) for h in header)]
    lines += [";".join(pix_cell(v) for v in row) for row in rows]
    return (("\ufeff" if bom else "") + "\n".join(lines) + "\n").encode()


def _competence_name(code: str) -> str:
    from pix import crcn

    return dict(crcn.COMPETENCES)[code]


def assessment_export(
    pupils,
    *,
    competences=("4.1", "4.2", "4.3"),
    stage_count=3,
    badges=(),
    external_id_label=None,
    campaign=None,
    with_code=True,
    old_headers=False,
    progression=True,
    bom=True,
) -> bytes:
    """An assessment export. Each pupil is a dict: last, first, division ("6A"), external_id,
    progression (1), started ("15/09/2025 09:12"), shared (True), shared_at ("15/09/2025 09:41"),
    stage (1), mastery (0.75), badges {title: bool}, results {code: (ratio, targeted, validated)}
    (default (0.75, 4, 3)). A pupil not shared gets "NA" in every result column."""
    from pix import crcn

    campaign = {**ASSESSMENT_CAMPAIGN, **(campaign or {})}
    domain_of = {code: int(code.split(".")[0]) for code, _name in crcn.COMPETENCES}
    domains = sorted({domain_of[c] for c in competences})
    header = ["Nom de l'organisation", "ID Campagne"]
    header += ["Code"] if with_code else []
    header += ["Nom de la campagne", "Nom du Profil Cible" if old_headers else "Parcours"]
    header += ["Nom du Participant", "Prénom du Participant", "Classe"]
    header += [external_id_label] if external_id_label else []
    header += ["% de progression"] if progression else []
    header += [
        "Date de début" if old_headers else "Date et heure de début (Europe/Paris)",
        "Partage (O/N)",
        "Date du partage" if old_headers else "Date et heure du partage (Europe/Paris)",
    ]
    header += [f"Palier obtenu (/{stage_count})"] if stage_count else []
    header += [f"{title} obtenu (O/N)" for title in badges]
    header += ["% maitrise de l'ensemble des acquis du profil"]
    for code in competences:
        name = _competence_name(code)
        header += [
            f"% de maitrise des acquis de la compétence {name}",
            f"Nombre d'acquis du profil cible dans la compétence {name}",
            f"Acquis maitrisés dans la compétence {name}",
        ]
    titles = dict(crcn.DOMAINS)
    for number in domains:
        header += [
            f"% de maitrise des acquis du domaine {titles[number]}",
            f"Nombre d'acquis du profil cible du domaine {titles[number]}",
            f"Acquis maitrisés du domaine {titles[number]}",
        ]
    rows = []
    for pupil in pupils:
        shared = pupil.get("shared", True)
        row = [campaign["organisation"], campaign["pix_id"]]
        row += [campaign["code"]] if with_code else []
        row += [campaign["name"], campaign["target_profile"]]
        row += [pupil["last"], pupil["first"], pupil.get("division", "6A")]
        row += [pupil.get("external_id", "")] if external_id_label else []
        row += [pupil.get("progression", 1)] if progression else []
        row += [pupil.get("started", "15/09/2025 09:12"), shared]
        if not shared:
            row += [NA] * (len(header) - len(row))
            rows.append(row)
            continue
        row += [pupil.get("shared_at", "15/09/2025 09:41")]
        row += [pupil.get("stage", 1)] if stage_count else []
        row += [pupil.get("badges", {}).get(title, False) for title in badges]
        results = {c: pupil.get("results", {}).get(c, (0.75, 4, 3)) for c in competences}
        row += [pupil.get("mastery", 0.75)]
        for code in competences:
            row += list(results[code])
        for number in domains:
            mine = [results[c] for c in competences if domain_of[c] == number]
            targeted = sum(r[1] for r in mine)
            validated = sum(r[2] for r in mine)
            row += [round(validated / targeted, 2) if targeted else 0, targeted, validated]
        rows.append(row)
    return pix_csv(header, rows, bom=bom)


def profiles_export(
    pupils, *, campaign=None, external_id_label=None, old_headers=False, bom=True
) -> bytes:
    """A profiles-collection export. Each pupil is a dict: last, first, division ("3A"),
    external_id, sent (True), sent_at ("02/10/2025 10:21"), levels {code: (level, pix)}
    (default (1, 10) for each of the 16 competences). Totals and certifiability are computed."""
    from pix import crcn

    campaign = {**PROFILES_CAMPAIGN, **(campaign or {})}
    header = [
        "Nom de l'organisation",
        "ID Campagne",
        "Code",
        "Nom de la campagne",
        "Nom du Participant",
        "Prénom du Participant",
        "Classe",
    ]
    header += [external_id_label] if external_id_label else []
    header += [
        "Envoi (O/N)",
        "Date de l'envoi" if old_headers else "Date et heure de l'envoi (Europe/Paris)",
        "Nombre de pix total",
        "Certifiable (O/N)",
        "Nombre de compétences certifiables",
    ]
    for _code, name in crcn.COMPETENCES:
        header += [f"Niveau pour la compétence {name}", f"Nombre de pix pour la compétence {name}"]
    rows = []
    for pupil in pupils:
        sent = pupil.get("sent", True)
        row = [campaign["organisation"], campaign["pix_id"], campaign["code"], campaign["name"]]
        row += [pupil["last"], pupil["first"], pupil.get("division", "3A")]
        row += [pupil.get("external_id", "")] if external_id_label else []
        row += [sent]
        if not sent:
            row += [NA] * (len(header) - len(row))
            rows.append(row)
            continue
        levels = {c: pupil.get("levels", {}).get(c, (1, 10)) for c, _n in crcn.COMPETENCES}
        certifiable_count = sum(1 for level, _pix in levels.values() if level >= 1)
        row += [
            pupil.get("sent_at", "2025-10-02" if old_headers else "02/10/2025 10:21"),
            sum(pix for _level, pix in levels.values()),
            certifiable_count >= crcn.CERTIFIABLE_MIN_COMPETENCES,
            certifiable_count,
        ]
        for code, _name in crcn.COMPETENCES:
            row += list(levels[code])
        rows.append(row)
    return pix_csv(header, rows, bom=bom)
