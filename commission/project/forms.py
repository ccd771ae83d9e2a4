"""Forms of the digital project; the services decide again (duplicates, dates)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NUMBER_ERRORS = {
    "invalid": _("Saisissez un nombre, par exemple 12 ou 12,5."),
    "max_decimal_places": _("Deux chiffres au plus après la virgule."),
    "max_digits": _("Ce nombre est trop grand."),
    "max_whole_digits": _("Ce nombre est trop grand."),
}


def _helper(submit_label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("enregistrer", submit_label))
    return helper


class AxisForm(forms.Form):
    title = forms.CharField(
        label=_("Intitulé de l'axe"),
        max_length=200,
        help_text=_("Par exemple « Développer les compétences numériques des élèves »."),
    )
    order = forms.IntegerField(
        label=_("Rang d'affichage"),
        min_value=0,
        max_value=999,
        initial=0,
        required=False,
        help_text=_("Les axes s'affichent du plus petit rang au plus grand."),
        error_messages={"min_value": _("Le rang ne peut pas être négatif.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Enregistrer l'axe"))
        self.helper.form_id = "axe-projet"


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicateur"), max_length=200)
    unit = forms.CharField(
        label=_("Unité"),
        max_length=30,
        required=False,
        help_text=_("Par exemple %, élèves, séances, connexions par semaine."),
    )
    target = forms.DecimalField(
        label=_("Cible"),
        max_digits=12,
        decimal_places=2,
        required=False,
        localize=True,
        help_text=_("La valeur visée ; laissez vide si l'indicateur n'a pas de cible chiffrée."),
        error_messages=NUMBER_ERRORS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Enregistrer l'indicateur"))
        self.helper.form_id = "indicateur-projet"


class ValueForm(forms.Form):
    measured_on = forms.DateField(
        label=_("Date de la mesure"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Saisissez une date au format JJ/MM/AAAA.")},
    )
    value = forms.DecimalField(
        label=_("Valeur"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        error_messages=NUMBER_ERRORS,
    )
    replace = forms.BooleanField(
        label=_("Remplacer la valeur de ce jour"),
        required=False,
        help_text=_("Une seule valeur par jour : cochez pour corriger une valeur déjà saisie."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"measured_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Enregistrer la valeur"))
        self.helper.form_id = "valeur-indicateur"
        self.helper.layout = Layout("measured_on", "value", "replace")
