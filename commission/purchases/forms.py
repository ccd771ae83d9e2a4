"""The purchase proposal form and the head's decision form."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .services import PurchaseData


class EuroField(forms.DecimalField):
    """A sum in euros as people type it: « 1 249,90 », « 1249.90 », « 35 € »."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("€", "").replace("\u202f", "").replace("\xa0", "")
            value = value.replace(" ", "")
        return super().to_python(value)


class PurchaseForm(forms.Form):
    item = forms.CharField(
        label=_("Matériel ou ressource"),
        max_length=200,
        help_text=_("Par exemple : visualiseuse, kit webradio, abonnement à une ressource."),
    )
    quantity = forms.IntegerField(
        label=_("Quantité"),
        min_value=1,
        max_value=100000,
        initial=1,
        error_messages={
            "min_value": _("La quantité doit être au moins 1."),
            "invalid": _("Indiquez la quantité en nombre entier, par exemple 3."),
        },
    )
    estimated_cost = EuroField(
        label=_("Coût estimé total (€)"),
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        localize=True,
        help_text=_("Pour l'ensemble de la quantité, par exemple 1 249,90."),
        error_messages={
            "min_value": _("Le coût estimé ne peut pas être négatif."),
            "invalid": _("Indiquez un montant en euros, par exemple 149,90."),
            "max_decimal_places": _("Indiquez le montant au centime près (deux décimales)."),
            "max_digits": _("Ce montant est trop élevé."),
            "max_whole_digits": _("Ce montant est trop élevé."),
        },
    )
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("L'usage prévu, les classes ou équipes concernées."),
    )
    project = forms.CharField(
        label=_("Projet lié"),
        max_length=200,
        required=False,
        help_text=_("Axe du projet numérique, projet de classe…"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_id = "proposition-achat"
        self.helper.layout = Layout(
            "item", "quantity", "estimated_cost", "justification", "project"
        )
        self.helper.add_input(Submit("proposer", _("Proposer l'achat")))

    def to_data(self) -> PurchaseData:
        data = self.cleaned_data
        return PurchaseData(
            item=data["item"],
            quantity=data["quantity"],
            estimated_cost=data["estimated_cost"],
            justification=data["justification"],
            project=data["project"],
        )


class DecisionForm(forms.Form):
    APPROVE, REFUSE = "accepter", "refuser"

    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[(APPROVE, _("Accepter l'achat")), (REFUSE, _("Refuser l'achat"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("Obligatoire en cas de refus : il est transmis à l'auteur de la proposition."),
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_id = "decision-achat"
        self.helper.form_action = action
        self.helper.layout = Layout("decision", "comment")
        self.helper.add_input(Submit("decider", _("Enregistrer la décision")))

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Indiquez le motif du refus."))
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE
