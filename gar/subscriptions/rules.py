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
            ("idAbonnement", "L'identifiant d'abonnement (idAbonnement) est obligatoire.")
        )
    elif len(value) > ID_MAX:
        errors.append(
            ("idAbonnement", f"idAbonnement compte {len(value)} caractères : {ID_MAX} au plus.")
        )
    elif value.startswith("_"):  # RG13
        errors.append(
            (
                "idAbonnement",
                "idAbonnement ne peut pas commencer par « _ » : le GAR réserve ce préfixe "
                "aux abonnements supprimés (RG13).",
            )
        )
    elif value.lower() in RESERVED_IDS:  # RG12
        errors.append(
            (
                "idAbonnement",
                f"« {value} » est un mot réservé du GAR : choisissez un autre idAbonnement (RG12).",
            )
        )


def _check_validity(data: dict, errors: list) -> None:
    start = data.get("debutValidite")
    end = data.get("finValidite")
    end_year = (data.get("anneeFinValidite") or "").strip()
    if start is None:
        errors.append(
            ("debutValidite", "La date de début de validité (debutValidite) est obligatoire.")
        )
    if end and end_year:  # RG9
        errors.append(
            (
                "anneeFinValidite",
                "Indiquez soit finValidite (une date), soit anneeFinValidite (une année "
                "scolaire), pas les deux (RG9).",
            )
        )
    elif not end and not end_year:  # RG9
        errors.append(
            (
                "finValidite",
                "Indiquez la fin de validité : une date (finValidite) ou une année scolaire "
                "(anneeFinValidite), l'une des deux (RG9).",
            )
        )
    if end and start:
        if end < start:
            errors.append(
                (
                    "finValidite",
                    "La fin de validité (finValidite) précède son début (debutValidite).",
                )
            )
        elif end > _years_later(start, MAX_YEARS):  # RG8
            errors.append(
                (
                    "finValidite",
                    f"La fin de validité est à plus de {MAX_YEARS} ans du début de validité (RG8).",
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
                f"anneeFinValidite « {value} » n'a pas la forme AAAA-AAAA, par exemple "
                "2026-2027 (RG10).",
            )
        )
        return
    first, second = int(match[1]), int(match[2])
    if second <= first:  # RG7
        errors.append(
            (
                "anneeFinValidite",
                f"Dans anneeFinValidite « {value} », la seconde année doit suivre la première (RG7).",
            )
        )
    elif second - first > MAX_YEARS:  # RG7
        errors.append(
            (
                "anneeFinValidite",
                f"anneeFinValidite « {value} » couvre plus de {MAX_YEARS} années scolaires (RG7).",
            )
        )
    elif start is not None and datetime.date(second, 8, 31) < start:
        errors.append(
            (
                "anneeFinValidite",
                f"L'année scolaire {value} se termine avant le début de validité (debutValidite).",
            )
        )


def _check_publics_and_licences(data: dict, errors: list) -> None:
    publics = list(data.get("publicCible") or [])
    unknown = [p for p in publics if p not in Public.values]
    if not publics:
        errors.append(
            (
                "publicCible",
                "Choisissez au moins un public cible (ELEVE, ENSEIGNANT, DOCUMENTALISTE, "
                "AUTRE PERSONNEL).",
            )
        )
    for public in unknown:
        errors.append(
            (
                "publicCible",
                f"Public cible inconnu « {public} » : ELEVE, ENSEIGNANT, DOCUMENTALISTE ou "
                "AUTRE PERSONNEL (avec une espace).",
            )
        )
    counts = {name: (data.get(name) or "").strip() for name in LICENCE_FIELDS}
    for name, value in counts.items():
        if not _licence_ok(value):
            errors.append((name, f"{name} « {value} » : indiquez un nombre entier ou ILLIMITE."))
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
                "Une affectation à tout l'établissement (ETABL) se compte en licences globales : "
                "indiquez nbLicenceGlobale et aucun nombre par public (RG6).",
            )
        )
    elif global_given and per_public:  # RG1
        errors.append(
            (
                "nbLicenceGlobale",
                "Indiquez soit un nombre global de licences (nbLicenceGlobale), soit des nombres "
                f"par public ({', '.join(per_public)}), pas les deux (RG1).",
            )
        )
    elif not global_given and not per_public:  # RG1
        errors.append(
            (
                "nbLicenceGlobale",
                "Indiquez le nombre de licences : global (nbLicenceGlobale) ou par public "
                "(nbLicenceEleve, nbLicenceEnseignant…) (RG1).",
            )
        )
    for name in per_public:  # RG5
        public = PUBLIC_COUNTS[name]
        if public not in publics:
            errors.append(
                (
                    name,
                    f"{name} est renseigné : ajoutez le public cible {public} (RG5).",
                )
            )


def check_subscription(data: dict) -> list[tuple[str, str]]:
    """Every GAR rule the subscription breaks, as (field, message); empty when it is valid."""
    errors: list[tuple[str, str]] = []
    _check_id((data.get("idAbonnement") or "").strip(), errors)
    _check_validity(data, errors)
    if data.get("typeAffectation") not in AssignmentType.values:
        errors.append(
            ("typeAffectation", "typeAffectation : INDIV (individuelle) ou ETABL (établissement).")
        )
    if data.get("categorieAffectation") not in AssignmentCategory.values:
        errors.append(
            (
                "categorieAffectation",
                "categorieAffectation : « transferable » ou « non transferable ».",
            )
        )
    _check_publics_and_licences(data, errors)
    if len(data.get("commentaireAbonnement") or "") > COMMENT_MAX:
        errors.append(
            ("commentaireAbonnement", f"commentaireAbonnement : {COMMENT_MAX} caractères au plus.")
        )
    if len(data.get("codeProjetRessource") or "") > PROJECT_MAX:
        errors.append(
            ("codeProjetRessource", f"codeProjetRessource : {PROJECT_MAX} caractères au plus.")
        )
    return errors
