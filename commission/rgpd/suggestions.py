"""Starting points for common services: the form is pre-filled, the team reviews and adapts."""

from django.utils.translation import gettext_lazy as _

# key → (label in the chooser, initial values of the form)
SUGGESTIONS = {
    "ent": (
        _("Espace numérique de travail (ENT)"),
        {
            "name": "Espace numérique de travail",
            "service": "ENT",  # completed with the school's ENT name
            "purpose": (
                "Mettre à disposition des élèves, des familles et des personnels des services "
                "numériques (messagerie, cahier de textes, documents, ressources) dans le cadre "
                "des missions de l'établissement."
            ),
            "data_categories": (
                "Identité (nom, prénom, identifiant), classe et groupes, fonction, données de "
                "connexion, contenus déposés par les utilisateurs."
            ),
            "people_concerned": "Élèves, responsables légaux, personnels de l'établissement",
            "recipients": (
                "Utilisateurs habilités selon leur profil ; administrateurs ENT ; hébergeur "
                "retenu par la collectivité (sous-traitant)"
            ),
            "retention": "Durée de la scolarité ou des fonctions dans l'établissement",
            "security_measures": (
                "Authentification nominative (ou via ÉduConnect), profils d'habilitation, "
                "cadre de confiance de l'ENT, hébergement et sauvegardes par le prestataire."
            ),
        },
    ),
    "pronote": (
        _("Pronote (vie scolaire et suivi pédagogique)"),
        {
            "name": "Vie scolaire et suivi pédagogique",
            "service": "Pronote",
            "purpose": (
                "Gérer la vie scolaire et le suivi pédagogique : emploi du temps, absences et "
                "retards, notes et compétences, cahier de textes, communication avec les familles."
            ),
            "data_categories": (
                "Identité et coordonnées des élèves et des responsables, scolarité (classe, "
                "options), absences, punitions et sanctions, évaluations et appréciations."
            ),
            "people_concerned": "Élèves, responsables légaux, personnels",
            "recipients": (
                "Personnels habilités selon leur fonction ; élèves et responsables pour les "
                "données qui les concernent ; éditeur en cas d'hébergement (sous-traitant)"
            ),
            "retention": "Année scolaire en cours, puis archivage selon les règles de la scolarité",
            "security_measures": (
                "Comptes nominatifs, profils d'habilitation, connexion par l'ENT, sauvegardes "
                "régulières, mises à jour de l'application."
            ),
        },
    ),
    "gar": (
        _("Médiacentre et ressources du GAR"),
        {
            "name": "Accès aux ressources numériques",
            "service": "GAR (Gestionnaire d'accès aux ressources) — médiacentre",
            "purpose": (
                "Permettre aux élèves et aux enseignants d'accéder aux ressources et manuels "
                "numériques attribués par l'établissement."
            ),
            "data_categories": (
                "Identifiant pseudonyme, profil, établissement, classes, groupes et disciplines "
                "(données minimales du cadre de confiance du GAR)."
            ),
            "people_concerned": "Élèves, enseignants, personnels",
            "recipients": (
                "Fournisseurs de ressources, dans la limite des données nécessaires ; "
                "responsables d'affectation de l'établissement"
            ),
            "retention": "Durée de l'affectation des ressources (année scolaire)",
            "security_measures": (
                "Cadre de confiance du GAR, accès depuis l'ENT, affectations par les "
                "responsables d'affectation désignés."
            ),
        },
    ),
    "pix": (
        _("Pix (compétences numériques des élèves)"),
        {
            "name": "Évaluation et certification des compétences numériques",
            "service": "Pix — Pix Orga",
            "purpose": (
                "Positionner les élèves, suivre le développement de leurs compétences numériques "
                "(CRCN) et organiser leur certification."
            ),
            "data_categories": (
                "Identité (nom, prénom, date de naissance), classe, résultats et profils de "
                "compétences."
            ),
            "people_concerned": "Élèves, personnels membres de Pix Orga",
            "recipients": (
                "GIP Pix ; personnels habilités de l'établissement ; élèves pour leurs propres "
                "résultats"
            ),
            "retention": "Selon les conditions du GIP Pix ; liste des élèves mise à jour à la rentrée",
            "security_measures": (
                "Accès nominatif à Pix Orga (rôles administrateur et membre), import des élèves "
                "depuis l'application de scolarité."
            ),
        },
    ),
}


def suggestion_initial(key: str, establishment) -> dict | None:
    if key not in SUGGESTIONS:
        return None
    initial = dict(SUGGESTIONS[key][1])
    if key == "ent" and establishment.ent is not None:
        initial["service"] = f"ENT {establishment.ent.name}"
    return initial


def suggestion_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _initial) in SUGGESTIONS.items()]
