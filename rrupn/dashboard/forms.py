"""Forms of the dashboard app: for now the demo form of the components page.

The demo form holds one field of every widget the crispy DSFR pack renders, laid out with a
FormHelper, so the page shows each form state the portal's real forms can reach.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Button, ButtonHolder, Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from rrupn.establishments.models import Department

LEVELS = [
    ("6e", _("Sixième")),
    ("5e", _("Cinquième")),
    ("4e", _("Quatrième")),
    ("3e", _("Troisième")),
    ("2nde", _("Seconde")),
]
COLLEGE_LEVELS = {"6e", "5e", "4e", "3e"}
USES = [
    ("ent", _("ENT")),
    ("manuels", _("Manuels numériques")),
    ("pix", _("Pix")),
    ("autre", _("Autre usage")),
]
FREQUENCIES = [
    ("hebdo", _("Chaque semaine")),
    ("mensuel", _("Chaque mois")),
    ("jamais", _("Jamais")),
]


class ComponentsDemoForm(forms.Form):
    name = forms.CharField(
        label=_("Nom de l’action"),
        max_length=80,
        help_text=_("Un titre court, visible par la direction."),
    )
    email = forms.EmailField(label=_("Courriel de contact"))
    pupils = forms.IntegerField(label=_("Nombre d’élèves concernés"), min_value=1)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    department = forms.ChoiceField(
        label=_("Département"), choices=[("", _("Choisir un département"))] + Department.choices
    )
    levels = forms.MultipleChoiceField(
        label=_("Niveaux"),
        choices=LEVELS,
        required=False,
        help_text=_("Maintenir Ctrl pour en choisir plusieurs."),
    )
    uses = forms.MultipleChoiceField(
        label=_("Usages numériques"),
        choices=USES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cocher au moins un usage."),
    )
    frequency = forms.ChoiceField(
        label=_("Fréquence d’utilisation"), choices=FREQUENCIES, widget=forms.RadioSelect
    )
    training_date = forms.DateField(label=_("Date de la formation"))
    attachment = forms.FileField(
        label=_("Pièce jointe"),
        required=False,
        help_text=_("Formats acceptés : pdf, odt. Taille maximale : 5 Mo."),
    )
    charter = forms.BooleanField(label=_("J’ai lu la charte d’usage du numérique"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        name = self.prefix or "demo"  # the page shows two copies: ids must stay unique
        self.helper.form_id = f"formulaire-{name}"
        self.helper.layout = Layout(
            Fieldset(_("L’action"), "name", "email", "pupils", "description"),
            Fieldset(_("Le public"), "department", "levels", "uses", "frequency"),
            Fieldset(_("La formation"), "training_date", "attachment", "charter"),
            ButtonHolder(
                Submit("enregistrer", _("Enregistrer"), css_id=f"{name}-enregistrer"),
                Button("annuler", _("Annuler"), css_id=f"{name}-annuler"),
            ),
        )

    def clean(self):
        cleaned = super().clean()
        levels = set(cleaned.get("levels", []))
        if levels & COLLEGE_LEVELS and levels - COLLEGE_LEVELS:
            # A rule over the whole choice: the error belongs to the form, not to one field.
            raise forms.ValidationError(
                _("Une même action vise soit le collège, soit le lycée, pas les deux.")
            )
        return cleaned
