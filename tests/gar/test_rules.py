"""The GAR subscription rules (sso_gar.md §A.1): each rule, its field and its French message."""

import datetime

import pytest

from gar.subscriptions.rules import check_subscription


def valid(**changes) -> dict:
    data = {
        "idAbonnement": "ABO-2026-0001",
        "commentaireAbonnement": "",
        "debutValidite": datetime.date(2026, 9, 1),
        "finValidite": None,
        "anneeFinValidite": "2026-2027",
        "categorieAffectation": "transferable",
        "typeAffectation": "INDIV",
        "publicCible": ["ELEVE", "ENSEIGNANT"],
        "nbLicenceGlobale": "",
        "nbLicenceEleve": "120",
        "nbLicenceEnseignant": "ILLIMITE",
        "nbLicenceProfDoc": "",
        "nbLicenceAutrePersonnel": "",
        "codeProjetRessource": "",
    }
    return {**data, **changes}


def test_a_valid_subscription_breaks_no_rule():
    assert check_subscription(valid()) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"nbLicenceEleve": "", "nbLicenceEnseignant": "", "nbLicenceGlobale": "300"},
        {"nbLicenceEleve": "", "nbLicenceEnseignant": "", "nbLicenceGlobale": "ILLIMITE"},
        {
            "typeAffectation": "ETABL",
            "nbLicenceEleve": "",
            "nbLicenceEnseignant": "",
            "nbLicenceGlobale": "ILLIMITE",
        },
        {"anneeFinValidite": "", "finValidite": datetime.date(2036, 9, 1)},  # exactly 10 years
        {"anneeFinValidite": "2026-2036"},  # 10 school years
        {"categorieAffectation": "non transferable"},
        {"publicCible": ["ELEVE", "ENSEIGNANT", "DOCUMENTALISTE", "AUTRE PERSONNEL"]},
        {"idAbonnement": "A" * 45},
        {"nbLicenceProfDoc": "0"},  # zero is "not given": no DOCUMENTALISTE needed
    ],
)
def test_valid_variants(changes):
    assert check_subscription(valid(**changes)) == []


def only(errors, field) -> str:
    assert [f for f, _m in errors] == [field], errors
    return errors[0][1]


# RG1: nbLicenceGlobale XOR per-public counts


def test_rg1_global_and_per_public_counts_together_are_refused():
    message = only(check_subscription(valid(nbLicenceGlobale="300")), "nbLicenceGlobale")
    assert "pas les deux (RG1)" in message
    assert "nbLicenceEleve, nbLicenceEnseignant" in message


def test_rg1_no_licence_count_at_all_is_refused():
    errors = check_subscription(valid(nbLicenceEleve="", nbLicenceEnseignant="0"))
    assert "Indiquez le nombre de licences" in only(errors, "nbLicenceGlobale")


# RG5: a per-public count needs its publicCible


@pytest.mark.parametrize(
    ("field", "public"),
    [
        ("nbLicenceProfDoc", "DOCUMENTALISTE"),
        ("nbLicenceAutrePersonnel", "AUTRE PERSONNEL"),
    ],
)
def test_rg5_a_count_for_a_public_not_targeted_is_refused(field, public):
    message = only(check_subscription(valid(**{field: "10"})), field)
    assert message == f"{field} est renseigné : ajoutez le public cible {public} (RG5)."


def test_rg5_pupil_count_without_pupils():
    errors = check_subscription(valid(publicCible=["ENSEIGNANT"]))
    assert "ajoutez le public cible ELEVE (RG5)" in only(errors, "nbLicenceEleve")


# RG6: ETABL counts in global licences only


def test_rg6_etabl_with_per_public_counts_is_refused():
    message = only(check_subscription(valid(typeAffectation="ETABL")), "nbLicenceGlobale")
    assert "(ETABL)" in message and "(RG6)" in message


def test_rg6_etabl_without_global_count_is_refused():
    errors = check_subscription(
        valid(typeAffectation="ETABL", nbLicenceEleve="", nbLicenceEnseignant="")
    )
    assert "(RG6)" in only(errors, "nbLicenceGlobale")


# RG7 / RG10: anneeFinValidite is YYYY-YYYY, second year after the first, at most 10


@pytest.mark.parametrize("value", ["2026/2027", "26-27", "2026-27", "2026–2027", "20262027"])
def test_rg10_school_year_form(value):
    message = only(check_subscription(valid(anneeFinValidite=value)), "anneeFinValidite")
    assert message == (
        f"anneeFinValidite « {value} » n'a pas la forme AAAA-AAAA, par exemple 2026-2027 (RG10)."
    )


@pytest.mark.parametrize("value", ["2027-2026", "2026-2026"])
def test_rg7_second_year_after_the_first(value):
    message = only(check_subscription(valid(anneeFinValidite=value)), "anneeFinValidite")
    assert "la seconde année doit suivre la première (RG7)" in message


def test_rg7_at_most_ten_school_years():
    message = only(check_subscription(valid(anneeFinValidite="2026-2037")), "anneeFinValidite")
    assert "plus de 10 années scolaires (RG7)" in message


def test_end_school_year_before_the_start_is_refused():
    message = only(check_subscription(valid(anneeFinValidite="2024-2025")), "anneeFinValidite")
    assert "se termine avant le début de validité" in message


# RG8: finValidite at most 10 years after debutValidite


def test_rg8_more_than_ten_years():
    errors = check_subscription(valid(anneeFinValidite="", finValidite=datetime.date(2036, 9, 2)))
    assert "plus de 10 ans du début de validité (RG8)" in only(errors, "finValidite")


def test_rg8_leap_day_start():
    data = valid(
        anneeFinValidite="",
        debutValidite=datetime.date(2028, 2, 29),
        finValidite=datetime.date(2038, 2, 28),
    )
    assert check_subscription(data) == []


def test_end_before_start_is_refused():
    errors = check_subscription(valid(anneeFinValidite="", finValidite=datetime.date(2026, 8, 31)))
    assert "précède son début" in only(errors, "finValidite")


# RG9: exactly one of finValidite / anneeFinValidite


def test_rg9_both_ends_are_refused():
    errors = check_subscription(valid(finValidite=datetime.date(2027, 8, 31)))
    assert "pas les deux (RG9)" in only(errors, "anneeFinValidite")


def test_rg9_no_end_is_refused():
    message = only(check_subscription(valid(anneeFinValidite="")), "finValidite")
    assert "l'une des deux (RG9)" in message


def test_start_is_required():
    errors = check_subscription(valid(debutValidite=None))
    assert "debutValidite" in only(errors, "debutValidite")


# RG12 / RG13 and the length of idAbonnement


@pytest.mark.parametrize("value", ["abonnements", "categorie", "Categorie"])
def test_rg12_reserved_words(value):
    message = only(check_subscription(valid(idAbonnement=value)), "idAbonnement")
    assert message == (
        f"« {value} » est un mot réservé du GAR : choisissez un autre idAbonnement (RG12)."
    )


def test_rg13_no_leading_underscore():
    message = only(check_subscription(valid(idAbonnement="_ABO-1")), "idAbonnement")
    assert "ne peut pas commencer par « _ »" in message and "(RG13)" in message


def test_id_at_most_45_characters():
    message = only(check_subscription(valid(idAbonnement="A" * 46)), "idAbonnement")
    assert message == "idAbonnement compte 46 caractères : 45 au plus."


def test_id_is_required():
    errors = check_subscription(valid(idAbonnement="  "))
    assert "obligatoire" in only(errors, "idAbonnement")


# publics, licence counts, typeAffectation, categorieAffectation


def test_unknown_public():
    errors = check_subscription(valid(publicCible=["ELEVE", "ENSEIGNANT", "AUTRE_PERSONNEL"]))
    assert "Public cible inconnu « AUTRE_PERSONNEL »" in only(errors, "publicCible")


def test_no_public():
    errors = check_subscription(
        valid(publicCible=[], nbLicenceEleve="", nbLicenceEnseignant="", nbLicenceGlobale="5")
    )
    assert "au moins un public cible" in only(errors, "publicCible")


@pytest.mark.parametrize("value", ["douze", "-3", "1.5", "illimité", "1234567890"])
def test_licence_count_is_a_number_or_illimite(value):
    errors = check_subscription(valid(nbLicenceEleve=value))
    assert (
        "nbLicenceEleve",
        f"nbLicenceEleve « {value} » : indiquez un nombre entier ou ILLIMITE.",
    ) in errors


def test_type_affectation():
    errors = check_subscription(valid(typeAffectation="CLASSE"))
    assert "INDIV (individuelle) ou ETABL" in only(errors, "typeAffectation")


def test_categorie_affectation():
    errors = check_subscription(valid(categorieAffectation="cessible"))
    assert "« transferable » ou « non transferable »" in only(errors, "categorieAffectation")


def test_comment_and_project_lengths():
    errors = check_subscription(
        valid(commentaireAbonnement="x" * 256, codeProjetRessource="y" * 51)
    )
    assert [f for f, _m in errors] == ["commentaireAbonnement", "codeProjetRessource"]


def test_every_broken_rule_is_reported_at_once():
    errors = check_subscription(
        valid(
            idAbonnement="_x",
            anneeFinValidite="2026",
            typeAffectation="ETABL",
            publicCible=["ELEVE"],
        )
    )
    fields = [f for f, _m in errors]
    assert fields == ["idAbonnement", "anneeFinValidite", "nbLicenceGlobale", "nbLicenceEnseignant"]
