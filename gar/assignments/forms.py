"""Choosing the classes, groups or teachers a subscription is given to."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _


def _division_label(division) -> str:
    label = f" — {division.label}" if division.label and division.label != division.code else ""
    return f"{division.code}{label} ({division.pupil_count} élèves)"


class DivisionsForm(forms.Form):
    divisions = forms.ModelMultipleChoiceField(
        label=_("Classes et groupes"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Une licence élève par élève de la classe ou du groupe."),
        error_messages={"required": _("Choisissez au moins une classe ou un groupe.")},
    )

    def __init__(self, *args, divisions, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["divisions"].queryset = divisions
        self.fields["divisions"].label_from_instance = _division_label
        self.helper = FormHelper(self)
        self.helper.form_id = "affecter-classes"
        self.helper.form_action = action
        self.helper.layout = Layout("divisions")
        self.helper.add_input(Submit("affecter", _("Affecter aux classes et groupes choisis")))


class TeachersForm(forms.Form):
    teachers = forms.ModelMultipleChoiceField(
        label=_("Enseignants"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Une licence enseignant par personne."),
        error_messages={"required": _("Choisissez au moins un enseignant.")},
    )

    def __init__(self, *args, teachers, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = teachers
        self.helper = FormHelper(self)
        self.helper.form_id = "affecter-enseignants"
        self.helper.form_action = action
        self.helper.layout = Layout("teachers")
        self.helper.add_input(Submit("affecter", _("Affecter aux enseignants choisis")))
