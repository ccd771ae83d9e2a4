"""The equipment need form and the direction's decision form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .services import NeedData

PRIORITY_CHOICES = [
    (1, _("1 — haute : indispensable aux cours")),
    (2, _("2 — moyenne")),
    (3, _("3 — basse : souhaitable")),
]


class NeedForm(forms.Form):
    item = forms.CharField(
        label=_("Matériel"),
        max_length=200,
        help_text=_(
            "Tel que dans le référentiel de la collectivité, par exemple : vidéoprojecteur interactif."
        ),
        error_messages={"required": _("Indiquez le matériel demandé.")},
    )
    quantity = forms.IntegerField(
        label=_("Quantité"),
        min_value=1,
        max_value=10000,
        initial=1,
        error_messages={
            "required": _("Indiquez la quantité."),
            "min_value": _("La quantité doit être au moins 1."),
            "max_value": _("Cette quantité est trop élevée."),
            "invalid": _("Indiquez la quantité en nombre entier, par exemple 3."),
        },
    )
    priority = forms.TypedChoiceField(
        label=_("Priorité"),
        choices=PRIORITY_CHOICES,
        coerce=int,
        initial=2,
        error_messages={"invalid_choice": _("Choisissez une priorité de 1 à 3.")},
    )
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("L'usage prévu, les classes ou équipes concernées, le matériel remplacé."),
        error_messages={"required": _("Justifiez le besoin : pour quel usage, quelles classes ?")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_id = "besoin-equipement"
        self.helper.layout = Layout("item", "quantity", "priority", "justification")
        self.helper.add_input(Submit("proposer", _("Proposer le besoin")))

    def clean_justification(self):
        text = self.cleaned_data["justification"].strip()
        if not text:
            raise forms.ValidationError(
                _("Justifiez le besoin : pour quel usage, quelles classes ?")
            )
        return text

    def to_data(self) -> NeedData:
        data = self.cleaned_data
        return NeedData(
            item=data["item"],
            quantity=data["quantity"],
            justification=data["justification"],
            priority=data["priority"],
        )


class DecisionForm(forms.Form):
    VALIDATE, REFUSE = "valider", "refuser"

    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[(VALIDATE, _("Valider le besoin")), (REFUSE, _("Refuser le besoin"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez : valider ou refuser.")},
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("Obligatoire en cas de refus : il est transmis à l'auteur du besoin."),
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_id = "decision-besoin"
        self.helper.form_action = action
        self.helper.layout = Layout("decision", "comment")
        self.helper.add_input(Submit("decider", _("Enregistrer la décision")))

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Indiquez le motif du refus."))
        return data

    @property
    def validate(self) -> bool:
        return self.cleaned_data["decision"] == self.VALIDATE
