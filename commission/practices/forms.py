"""The remarkable practice form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .services import PracticeData


class PracticeForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    author = forms.ModelChoiceField(
        label=_("Enseignant ou personnel à l'origine de la pratique"),
        queryset=None,
        help_text=_("Son nom apparaît dans le fil du SRANE si la pratique est partagée."),
    )
    discipline = forms.CharField(
        label=_("Discipline"),
        max_length=100,
        help_text=_("Par exemple : Mathématiques, Histoire-géographie, Documentation."),
    )
    level = forms.CharField(
        label=_("Niveau"), max_length=50, help_text=_("Par exemple : 6e, cycle 4, 2nde, BTS.")
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=8000,
        help_text=_("Objectifs, déroulement, ce que les élèves produisent, ce qui a marché."),
    )
    tools = forms.CharField(
        label=_("Outils utilisés"),
        max_length=300,
        required=False,
        help_text=_("Services de l'ENT, ressources du GAR, matériel…"),
    )

    def __init__(self, *args, staff, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = staff
        self.helper = FormHelper(self)
        self.helper.form_id = "pratique-remarquable"
        self.helper.layout = Layout(
            "title", "author", "discipline", "level", "description", "tools"
        )
        self.helper.add_input(Submit("enregistrer", submit_label))

    @staticmethod
    def initial_from(practice) -> dict:
        return {
            "title": practice.title,
            "author": practice.author_id,
            "discipline": practice.discipline,
            "level": practice.level,
            "description": practice.description,
            "tools": practice.tools,
        }

    def to_data(self) -> PracticeData:
        data = self.cleaned_data
        return PracticeData(
            title=data["title"],
            discipline=data["discipline"],
            level=data["level"],
            description=data["description"],
            tools=data["tools"],
            author=data["author"],
        )
