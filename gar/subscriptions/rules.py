"""The GAR subscription rules (formats/sso_gar.md §A.1), checked before anything is saved.

`check_subscription(data)` takes the GAR field names as keys, dates already parsed
(`datetime.date` or None), the publics as a list, licence counts as text; it returns every
broken rule as (GAR field name, French message). The form and both imports report them on
the field, or on the CSV column of the same name.

RG2/RG3 (uaiEtab/codeNatureUAI, idDistributeurCom) concern the distributor's web service, and
RG11 (no DOCUMENTALISTE in 1st-degree schools) the écoles, which the portal does not hold.
"""

import datetime
import re

from django.utils.translation import gettext as _

from gar.models import UNLIMITED, AssignmentCategory, AssignmentType, Public

# nbLicence… field → the publicCible it needs (RG5)
PUBLIC_COUNTS = {
    "nbLicenceEleve": Public.ELEVE,
    "nbLicenceEnseignant": Public.ENSEIGNANT,
    "nbLicenceProfDoc": Public.DOCUMENTALISTE,
    "nbLicenceAutrePersonnel": Public.AUTRE_PERSONNEL,
}
LICENCE_FIELDS = ["nbLicenceGlobale", *PUBLIC_COUNTS]
RESERVED_IDS = {"abonnements", "categorie"}  # RG12: words of the web service's paths
SCHOOL_YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")
MAX_YEARS = 10
ID_MAX, COMMENT_MAX, PROJECT_MAX = 45, 255, 50


def licence_count_given(value: str) -> bool:
    """A count is given when it is not empty and not zero (the GAR reads 0 as absent)."""
    return bool(value) and value.strip("0") != ""


def _licence_ok(value: str) -> bool:
    return value in ("", UNLIMITED) or (value.isascii() and value.isdigit() and len(value) <= 9)


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _check_id(value: str, errors: list) -> None:
    if not value:
        errors.append(
            ("idAbonnement", _("L'identifiant d'abonnement (idAbonnement) est obligatoire."))
        )
    elif len(value) > ID_MAX:
        errors.append(
            (
                "idAbonnement",
                _("idAbonnement compte %(count)s caractères : %(max)s au plus.")
                % {"count": len(value), "max": ID_MAX},
            )
        )
    elif value.startswith("_"):  # RG13
        errors.append(
            (
                "idAbonnement",
                _(
                    "idAbonnement ne peut pas commencer par « _ » : le GAR réserve ce préfixe aux "
                    "abonnements supprimés (RG13)."
                ),
            )
        )
    elif value.lower() in RESERVED_IDS:  # RG12
        errors.append(
            (
                "idAbonnement",
                _(
                    "« %(value)s » est un mot réservé du GAR : choisissez un autre idAbonnement "
                    "(RG12)."
                )
                % {"value": value},
            )
        )


def _check_validity(data: dict, errors: list) -> None:
    start = data.get("debutValidite")
    end = data.get("finValidite")
    end_year = (data.get("anneeFinValidite") or "").strip()
    if start is None:
        errors.append(
            ("debutValidite", _("La date de début de validité (debutValidite) est obligatoire."))
        )
    if end and end_year:  # RG9
        errors.append(
            (
                "anneeFinValidite",
                _(
                    "Indiquez soit finValidite (une date), soit anneeFinValidite (une année "
                    "scolaire), pas les deux (RG9)."
                ),
            )
        )
    elif not end and not end_year:  # RG9
        errors.append(
            (
                "finValidite",
                _(
                    "Indiquez la fin de validité : une date (finValidite) ou une année scolaire "
                    "(anneeFinValidite), l'une des deux (RG9)."
                ),
            )
        )
    if end and start:
        if end < start:
            errors.append(
                (
                    "finValidite",
                    _("La fin de validité (finValidite) précède son début (debutValidite)."),
                )
            )
        elif end > _years_later(start, MAX_YEARS):  # RG8
            errors.append(
                (
                    "finValidite",
                    _("La fin de validité est à plus de %(max)s ans du début de validité (RG8).")
                    % {"max": MAX_YEARS},
                )
            )
    if end_year:
        _check_end_school_year(end_year, start, errors)


def _check_end_school_year(value: str, start, errors: list) -> None:
    match = SCHOOL_YEAR_RE.match(value)
    if not match:  # RG10
        errors.append(
            (
                "anneeFinValidite",
                _(
                    "anneeFinValidite « %(value)s » n'a pas la forme AAAA-AAAA, par exemple "
                    "2026-2027 (RG10)."
                )
                % {"value": value},
            )
        )
        return
    first, second = int(match[1]), int(match[2])
    if second <= first:  # RG7
        errors.append(
            (
                "anneeFinValidite",
                _(
                    "Dans anneeFinValidite « %(value)s », la seconde année doit suivre la première "
                    "(RG7)."
                )
                % {"value": value},
            )
        )
    elif second - first > MAX_YEARS:  # RG7
        errors.append(
            (
                "anneeFinValidite",
                _("anneeFinValidite « %(value)s » couvre plus de %(max)s années scolaires (RG7).")
                % {"value": value, "max": MAX_YEARS},
            )
        )
    elif start is not None and datetime.date(second, 8, 31) < start:
        errors.append(
            (
                "anneeFinValidite",
                _(
                    "L'année scolaire %(value)s se termine avant le début de validité "
                    "(debutValidite)."
                )
                % {"value": value},
            )
        )


def _check_publics_and_licences(data: dict, errors: list) -> None:
    publics = list(data.get("publicCible") or [])
    unknown = [p for p in publics if p not in Public.values]
    if not publics:
        errors.append(
            (
                "publicCible",
                _(
                    "Choisissez au moins un public cible (ELEVE, ENSEIGNANT, DOCUMENTALISTE, AUTRE "
                    "PERSONNEL)."
                ),
            )
        )
    for public in unknown:
        errors.append(
            (
                "publicCible",
                _(
                    "Public cible inconnu « %(public)s » : ELEVE, ENSEIGNANT, DOCUMENTALISTE ou "
                    "AUTRE PERSONNEL (avec une espace)."
                )
                % {"public": public},
            )
        )
    counts = {name: (data.get(name) or "").strip() for name in LICENCE_FIELDS}
    for name, value in counts.items():
        if not _licence_ok(value):
            errors.append(
                (
                    name,
                    _("%(name)s « %(value)s » : indiquez un nombre entier ou ILLIMITE.")
                    % {"name": name, "value": value},
                )
            )
    given = {
        name for name, value in counts.items() if _licence_ok(value) and licence_count_given(value)
    }
    per_public = sorted(given - {"nbLicenceGlobale"}, key=LICENCE_FIELDS.index)
    global_given = "nbLicenceGlobale" in given
    etabl = data.get("typeAffectation") == AssignmentType.ETABL
    if etabl and (per_public or not global_given):  # RG6
        errors.append(
            (
                "nbLicenceGlobale",
                _(
                    "Une affectation à tout l'établissement (ETABL) se compte en licences globales : "
                    "indiquez nbLicenceGlobale et aucun nombre par public (RG6)."
                ),
            )
        )
    elif global_given and per_public:  # RG1
        errors.append(
            (
                "nbLicenceGlobale",
                _(
                    "Indiquez soit un nombre global de licences (nbLicenceGlobale), soit des nombres "
                    "par public (%(publics)s), pas les deux (RG1)."
                )
                % {"publics": ", ".join(per_public)},
            )
        )
    elif not global_given and not per_public:  # RG1
        errors.append(
            (
                "nbLicenceGlobale",
                _(
                    "Indiquez le nombre de licences : global (nbLicenceGlobale) ou par public "
                    "(nbLicenceEleve, nbLicenceEnseignant…) (RG1)."
                ),
            )
        )
    for name in per_public:  # RG5
        public = PUBLIC_COUNTS[name]
        if public not in publics:
            errors.append(
                (
                    name,
                    _("%(name)s est renseigné : ajoutez le public cible %(public)s (RG5).")
                    % {"name": name, "public": public},
                )
            )


def check_subscription(data: dict) -> list[tuple[str, str]]:
    """Every GAR rule the subscription breaks, as (field, message); empty when it is valid."""
    errors: list[tuple[str, str]] = []
    _check_id((data.get("idAbonnement") or "").strip(), errors)
    _check_validity(data, errors)
    if data.get("typeAffectation") not in AssignmentType.values:
        errors.append(
            (
                "typeAffectation",
                _("typeAffectation : INDIV (individuelle) ou ETABL (établissement)."),
            )
        )
    if data.get("categorieAffectation") not in AssignmentCategory.values:
        errors.append(
            (
                "categorieAffectation",
                _("categorieAffectation : « transferable » ou « non transferable »."),
            )
        )
    _check_publics_and_licences(data, errors)
    if len(data.get("commentaireAbonnement") or "") > COMMENT_MAX:
        errors.append(
            (
                "commentaireAbonnement",
                _("commentaireAbonnement : %(max)s caractères au plus.") % {"max": COMMENT_MAX},
            )
        )
    if len(data.get("codeProjetRessource") or "") > PROJECT_MAX:
        errors.append(
            (
                "codeProjetRessource",
                _("codeProjetRessource : %(max)s caractères au plus.") % {"max": PROJECT_MAX},
            )
        )
    return errors
