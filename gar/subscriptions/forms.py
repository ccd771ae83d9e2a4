"""The subscription form (fields named after the GAR fields) and the CSV upload form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gar.models import AssignmentCategory, AssignmentType, GarResource, Origin, Public

from . import importers
from .rules import LICENCE_FIELDS, check_subscription
from .services import FIELDS, normalized

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
LICENCE_LABELS = {
    "nbLicenceGlobale": _("Licences globales (nbLicenceGlobale)"),
    "nbLicenceEleve": _("Licences élèves (nbLicenceEleve)"),
    "nbLicenceEnseignant": _("Licences enseignants (nbLicenceEnseignant)"),
    "nbLicenceProfDoc": _("Licences professeurs documentalistes (nbLicenceProfDoc)"),
    "nbLicenceAutrePersonnel": _("Licences autres personnels (nbLicenceAutrePersonnel)"),
}


class ResourceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} — {obj.distributor} ({obj.get_origin_display().split(' (')[0]})"


class SubscriptionForm(forms.Form):
    idRessource = ResourceChoice(
        label=_("Ressource (idRessource)"),
        queryset=GarResource.objects.filter(active=True).exclude(origin=Origin.NATIONAL),
        empty_label=_("Choisir une ressource du catalogue"),
        help_text=_(
            "Les ressources nationales n’ont pas d’abonnement à saisir. Une ressource absente : "
            "la SRANE l’ajoute au catalogue."
        ),
        error_messages={"required": _("Choisissez la ressource dans le catalogue.")},
    )
    idAbonnement = forms.CharField(
        label=_("Identifiant de l’abonnement (idAbonnement)"),
        help_text=_(
            "Tel qu’il figure dans la console GAR ou sur le bon de commande ; 45 caractères au plus."
        ),
    )
    commentaireAbonnement = forms.CharField(
        label=_("Commentaire (commentaireAbonnement)"), required=False
    )
    debutValidite = forms.DateField(
        label=_("Début de validité (debutValidite)"),
        error_messages={"invalid": _("Saisissez une date au format JJ/MM/AAAA.")},
        **DATE_WIDGET,
    )
    finValidite = forms.DateField(
        label=_("Fin de validité (finValidite)"),
        required=False,
        help_text=_("Une date de fin, ou bien une année scolaire de fin ci-dessous."),
        error_messages={"invalid": _("Saisissez une date au format JJ/MM/AAAA.")},
        **DATE_WIDGET,
    )
    anneeFinValidite = forms.CharField(
        label=_("Année scolaire de fin (anneeFinValidite)"),
        required=False,
        help_text=_("Forme AAAA-AAAA, par exemple 2026-2027."),
    )
    typeAffectation = forms.ChoiceField(
        label=_("Type d’affectation (typeAffectation)"),
        choices=AssignmentType.choices,
        initial=AssignmentType.INDIV,
        widget=forms.RadioSelect,
    )
    categorieAffectation = forms.ChoiceField(
        label=_("Catégorie d’affectation (categorieAffectation)"),
        choices=AssignmentCategory.choices,
        initial=AssignmentCategory.TRANSFERABLE,
    )
    publicCible = forms.MultipleChoiceField(
        label=_("Publics cibles (publicCible)"),
        choices=Public.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un public cible.")},
    )
    codeProjetRessource = forms.CharField(
        label=_("Code projet (codeProjetRessource)"), required=False
    )
    # The revision the form was opened on (edit only): a concurrent change is detected.
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in LICENCE_FIELDS:
            self.fields[name] = forms.CharField(
                label=LICENCE_LABELS[name],
                required=False,
                help_text=_("Un nombre, ou ILLIMITE."),
            )
        self.helper = FormHelper(self)
        self.helper.form_id = "abonnement-gar"
        self.helper.layout = Layout(
            Fieldset(_("La ressource"), "idRessource", "idAbonnement", "commentaireAbonnement"),
            Fieldset(_("La validité"), "debutValidite", "finValidite", "anneeFinValidite"),
            Fieldset(_("L’affectation"), "typeAffectation", "categorieAffectation", "publicCible"),
            Fieldset(
                _("Les licences"),
                HTML(
                    format_html(
                        '<p class="fr-hint-text">{}</p>',
                        gettext("Soit un nombre global, soit un nombre par public coché (RG1)."),
                    )
                ),
                *LICENCE_FIELDS,
            ),
            Fieldset(_("Autres informations"), "codeProjetRessource"),
            "revision",
        )
        self.helper.add_input(
            Submit("enregistrer", submit_label or gettext("Enregistrer l’abonnement"))
        )

    def gar_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in FIELDS}

    def clean(self):
        cleaned = super().clean()
        for field, message in check_subscription(normalized(self.gar_data())):
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def add_rule_errors(self, errors) -> None:
        for field, message in errors:
            self.add_error(field if field in self.fields else None, message)


class CsvUploadForm(forms.Form):
    fichier = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_("UTF-8, séparateur point-virgule ; 2 Mo au plus."),
        error_messages={
            "required": _("Choisissez le fichier à importer."),
            "empty": _("Le fichier est vide."),
        },
    )

    def __init__(self, *args, submit_label, form_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_id = form_id
        self.helper.add_input(Submit("importer", submit_label))

    def clean_fichier(self) -> str:
        try:
            return importers.read_upload(self.cleaned_data["fichier"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
