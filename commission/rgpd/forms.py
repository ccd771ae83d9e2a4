"""The register entry form, and the chooser of a pre-filled starting point."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ProcessingActivity
from .services import ActivityData
from .suggestions import suggestion_choices

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ActivityForm(forms.ModelForm):
    # The `updated_at` the form was drawn from (see services.activity_update).
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProcessingActivity
        fields = [
            "name",
            "service",
            "purpose",
            "data_categories",
            "people_concerned",
            "recipients",
            "retention",
            "security_measures",
        ]
        widgets = {
            "purpose": TEXTAREA,
            "data_categories": TEXTAREA,
            "security_measures": TEXTAREA,
        }
        help_texts = {
            "name": _("Par exemple « Vie scolaire et suivi pédagogique »."),
            "service": _("Application ou plateforme : ENT, Pronote, médiacentre, Pix…"),
            "purpose": _(
                "À quoi sert le traitement, dans le cadre des missions de l’établissement."
            ),
            "data_categories": _("Identité, scolarité, évaluations, données de connexion…"),
            "people_concerned": _("Élèves, responsables légaux, personnels…"),
            "recipients": _(
                "Qui accède aux données : personnels habilités, éditeur, collectivité…"
            ),
            "retention": _("Par exemple « durée de la scolarité dans l’établissement »."),
            "security_measures": _("Authentification, habilitations, hébergement, sauvegardes…"),
        }
        error_messages = {
            name: {"required": _("Renseignez cette rubrique du registre.")} for name in fields
        }

    def __init__(self, *args, activity=None, **kwargs):
        # The form never gets the activity as `instance`: ModelForm would write the posted
        # values onto it before the service has decided (and before its audit snapshot).
        if activity is not None and not args and "data" not in kwargs:
            initial = {name: getattr(activity, name) for name in self._meta.fields}
            kwargs["initial"] = {**initial, "version": activity.updated_at.isoformat()}
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.helper = FormHelper(self)
        self.helper.form_id = "traitement-rgpd"
        self.helper.layout = Layout(
            Fieldset(_("Le traitement"), "name", "service", "purpose"),
            Fieldset(_("Les données"), "data_categories", "people_concerned", "recipients"),
            Fieldset(_("Conservation et sécurité"), "retention", "security_measures"),
            "version",
        )
        self.helper.add_input(Submit("enregistrer", _("Enregistrer le traitement")))

    def clean(self):
        data = super().clean()
        data["version"] = None
        if self.activity is not None:
            try:
                data["version"] = datetime.datetime.fromisoformat(self.data.get("version", ""))
            except ValueError:
                self.add_error(
                    None, _("Le formulaire est incomplet : rechargez la page et recommencez.")
                )
        return data

    def to_data(self) -> ActivityData:
        return ActivityData(
            **{name: self.cleaned_data[name] for name in ActivityData.__dataclass_fields__}
        )


class SuggestionForm(forms.Form):
    modele = forms.ChoiceField(label=_("Service courant"), choices=suggestion_choices)

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_id = "modele-traitement"
        self.helper.form_method = "get"
        self.helper.form_action = action
        self.helper.layout = Layout("modele")
        self.helper.add_input(Submit("preremplir", _("Préremplir le formulaire")))
