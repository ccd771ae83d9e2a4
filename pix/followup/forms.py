"""The teaching team of a class: who may see its pupils' Pix results."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class TeamForm(forms.Form):
    teachers = forms.ModelMultipleChoiceField(
        label=_("Enseignants de la classe"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Ils voient les résultats Pix nominatifs des élèves de cette classe ; "
            "aucune case cochée : seuls la direction et le RRUPN les voient."
        ),
        error_messages={
            "invalid_choice": _("%(value)s n’est pas un enseignant de l’établissement."),
            "invalid_pk_value": _("« %(pk)s » n’est pas un enseignant de l’établissement."),
        },
    )

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = teachers
        self.fields["teachers"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.email}"
            + (f" ({user.discipline})" if user.discipline else "")
        )
        self.helper = FormHelper(self)
        self.helper.form_id = "equipe-pedagogique"
        self.helper.layout = Layout("teachers")
        self.helper.add_input(Submit("enregistrer", _("Enregistrer l’équipe")))
