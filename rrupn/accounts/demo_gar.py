"""Demo content of the GAR pages, written through the GAR and divisions services.

Maupassant has its classes of the year (imported from the divisions CSV, counts only), two
subscriptions entered by its gestionnaire (one counted per public and assigned to classes and a
teacher, marked done; one ILLIMITE, still to assign) and its documentalist designated
responsable d'affectation, done in the ENT. Perrier has one subscription nobody has assigned
and no responsable: once the campaign's due date (30 September by default) has passed, it is
late. Each part is created only when the school has none of it yet, so loading the demo again
adds nothing.
"""

from gar.assignments import services as assignments
from gar.campaign import responsables
from gar.campaign import services as campaign
from gar.models import GarResource, GarSubscription, Origin, Public, RespAffectation
from gar.subscriptions import services as subscriptions
from rrupn.establishments.divisions import importers as division_importers
from rrupn.establishments.divisions import services as divisions

from .models import RoleAssignment, User

MAUPASSANT, PERRIER = "0870022B", "0190032G"  # as in demo.py (which imports this module)

# The portal's divisions CSV, as the ENT administrator would import it: no pupil name, counts only.
MAUPASSANT_CLASSES = """code;libelle;type;niveau;effectif;classes
6A;6e A;CLASSE;6e;26;
6B;6e B;CLASSE;6e;25;
5A;5e A;CLASSE;5e;27;
5B;5e B;CLASSE;5e;26;
4A;4e A;CLASSE;4e;28;
4B;4e B;CLASSE;4e;27;
3A;3e A;CLASSE;3e;29;
3B;3e B;CLASSE;3e;28;
LAT5;Latin 5e;GROUPE;5e;14;5A, 5B
"""
ASSIGNED_CLASSES = ["5A", "5B", "4A", "4B"]

# The seed catalogue holds only national resources (no subscription to enter): the acquired
# ones are reference data kept by the SRANE in the admin, which has no service to call, so they
# are created here directly, with test ARKs (NAAN 99999) like the seed.
FICTIONAL = "Ressource fictive de la démonstration : l'identifiant ARK (NAAN 99999) est d'essai."
RESOURCES = {
    "maths": (
        "ark:/99999/demo-manuel-mathematiques-cycle4",
        "Manuel numérique de mathématiques, cycle 4",
        "Éditions des Monts d'Ambazac",
        [Public.ELEVE, Public.ENSEIGNANT],
    ),
    "dictionary": (
        "ark:/99999/demo-dictionnaire-encyclopedie",
        "Dictionnaire et encyclopédie en ligne",
        "Encyclopédies de la Vienne",
        [Public.ELEVE, Public.ENSEIGNANT, Public.DOCUMENTALISTE],
    ),
    "annals": (
        "ark:/99999/demo-annales-baccalaureat",
        "Annales corrigées du baccalauréat",
        "Éditions de la Vézère",
        [Public.ELEVE, Public.ENSEIGNANT],
    ),
}


def demo_gar(establishments, year) -> None:
    people = {user.email: user for user in User.objects.filter(email__endswith="@ac-limoges.fr")}
    maupassant, perrier = establishments[MAUPASSANT], establishments[PERRIER]
    campaign.campaign_ensure(year)  # the year's campaign, with its default due date
    catalogue = _catalogue()
    _classes(maupassant, year, people["marc.pinson@ac-limoges.fr"])
    _responsable(maupassant, year, people)
    _maupassant_subscriptions(maupassant, year, people, catalogue)
    _perrier(perrier, year, people, catalogue)


def _roles(user, establishment, year) -> frozenset:
    return frozenset(
        RoleAssignment.objects.active(year)
        .filter(user=user, establishment=establishment)
        .values_list("role", flat=True)
    )


def _catalogue() -> dict[str, GarResource]:
    found = {}
    for key, (ark, title, distributor, publics) in RESOURCES.items():
        resource = GarResource.objects.filter(ark=ark).first()
        if resource is None:
            resource = GarResource(
                ark=ark,
                title=title,
                distributor=distributor,
                origin=Origin.ACQUIRED,
                publics=list(publics),
                description=FICTIONAL,
            )
            resource.full_clean()
            resource.save()
        found[key] = resource
    return found


def _classes(est, year, admin_ent) -> None:
    if divisions.divisions_of(est, year).exists():
        return
    result = divisions.divisions_import(
        establishment=est,
        school_year=year,
        user=admin_ent,
        parsed=division_importers.parse_divisions_csv(MAUPASSANT_CLASSES),
    )
    if result.errors:
        raise ValueError(f"Classes de démonstration refusées : {result.errors}")


def _responsable(est, year, people) -> None:
    """The head designates the documentalist (eligible: designated at once); she confirms that
    the ENT administrator gave her the role in the ENT."""
    if RespAffectation.objects.filter(establishment=est, school_year=year).exists():
        return
    head = people["henri.bergeronnette@ac-limoges.fr"]
    ines = people["ines.mesange@ac-limoges.fr"]
    designation = responsables.responsable_designate(
        establishment=est,
        school_year=year,
        person=ines,
        user=head,
        roles=_roles(head, est, year),
    )
    responsables.responsable_confirm_ent(
        designation=designation, user=ines, roles=_roles(ines, est, year)
    )


def _entry(est, year, resource, **fields) -> dict:
    """The subscription form's data (GAR field names), as the gestionnaire types it in."""
    data = {
        "idAbonnement": f"ABO-{est.uai}-{year.start_year}-{fields.pop('code')}",
        "debutValidite": year.starts_on,
        "typeAffectation": "INDIV",
        "categorieAffectation": "transferable",
        "publicCible": list(resource.publics),
    }
    return {**data, **fields}


def _maupassant_subscriptions(est, year, people, catalogue) -> None:
    if GarSubscription.objects.filter(establishment=est, school_year=year).exists():
        return
    gestionnaire = people["paul.grimpereau@ac-limoges.fr"]
    ines = people["ines.mesange@ac-limoges.fr"]
    maths = subscriptions.subscription_save(
        establishment=est,
        school_year=year,
        user=gestionnaire,
        resource=catalogue["maths"],
        data=_entry(
            est,
            year,
            catalogue["maths"],
            code="MATHS",
            commentaireAbonnement="Bon de commande n° 118, licences pour trois ans",
            anneeFinValidite=f"{year.start_year + 2}-{year.start_year + 3}",
            nbLicenceEleve="120",
            nbLicenceEnseignant="4",
        ),
    )
    subscriptions.subscription_save(
        establishment=est,
        school_year=year,
        user=gestionnaire,
        resource=catalogue["dictionary"],
        data=_entry(
            est,
            year,
            catalogue["dictionary"],
            code="DICO",
            commentaireAbonnement="Abonnement du CDI",
            finValidite=year.ends_on,
            nbLicenceGlobale="ILLIMITE",
        ),
    )
    classes = list(
        divisions.divisions_of(est, year).filter(code__in=ASSIGNED_CLASSES).order_by("code")
    )
    if classes:
        assignments.assign_divisions(subscription=maths, divisions=classes, user=ines)
    assignments.assign_teachers(
        subscription=maths, teachers=[people["marc.pinson@ac-limoges.fr"]], user=ines
    )
    campaign.subscription_mark_done(
        subscription=maths, user=ines, roles=_roles(ines, est, year), done=True
    )


def _perrier(est, year, people, catalogue) -> None:
    """One subscription entered, nobody designated, nothing assigned: late after the due date."""
    if GarSubscription.objects.filter(establishment=est, school_year=year).exists():
        return
    subscriptions.subscription_save(
        establishment=est,
        school_year=year,
        user=people["anne.verdier@ac-limoges.fr"],
        resource=catalogue["annals"],
        data=_entry(
            est,
            year,
            catalogue["annals"],
            code="ANNALES",
            anneeFinValidite=year.label,
            nbLicenceEleve="180",
            nbLicenceEnseignant="12",
        ),
    )
