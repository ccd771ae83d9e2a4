"""The class/group form and the import form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from rrupn.establishments.models import DivisionKind

from .importers import MAX_PUPILS
from .services import DivisionData

MAX_UPLOAD = 5 * 1024 * 1024  # an ENT export of a big lycée is well under 1 MB


class DivisionForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=50, help_text=_("Le code de l’ENT ou de SIECLE, par ex. 3A.")
    )
    kind = forms.ChoiceField(label=_("Type"), choices=DivisionKind.choices)
    label = forms.CharField(label=_("Libellé"), max_length=150, required=False)
    level = forms.CharField(
        label=_("Niveau"), max_length=30, required=False, help_text=_("6e, 3e, 2de, Tle…")
    )
    pupil_count = forms.IntegerField(
        label=_("Nombre d’élèves"),
        min_value=0,
        max_value=MAX_PUPILS,
        initial=0,
        error_messages={"invalid": _("Indiquez un nombre d’élèves, par exemple 28.")},
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Classes d’appartenance"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pour un groupe : les classes dont viennent ses élèves."),
    )

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = classes
        self.fields["members"].label_from_instance = lambda d: d.code
        self.helper = FormHelper(self)
        self.helper.form_id = "classe-groupe"
        self.helper.layout = Layout("code", "kind", "label", "level", "pupil_count", "members")
        self.helper.add_input(Submit("enregistrer", _("Enregistrer")))

    def clean(self):
        data = super().clean()
        if data.get("members") and data.get("kind") != DivisionKind.GROUP:
            self.add_error("members", _("Seul un groupe a des classes d’appartenance."))
        return data

    def to_data(self) -> DivisionData:
        data = self.cleaned_data
        return DivisionData(
            code=data["code"],
            kind=data["kind"],
            label=data["label"],
            level=data["level"],
            pupil_count=data["pupil_count"],
            member_ids=[d.pk for d in data["members"]],
        )


class ImportForm(forms.Form):
    CSV, ENT = "csv", "ent"

    source = forms.ChoiceField(
        label=_("Format du fichier"),
        choices=[
            (CSV, _("Fichier CSV des classes et groupes (format ci-dessous)")),
            (ENT, _("Export des utilisateurs de l’ENT (Lycée connecté, Open ENT NG)")),
        ],
        widget=forms.RadioSelect,
        initial=CSV,
    )
    file = forms.FileField(label=_("Fichier"), help_text=_("CSV séparé par des points-virgules."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_id = "import-classes"
        self.helper.layout = Layout("source", "file")
        self.helper.add_input(Submit("importer", _("Importer")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Fichier trop volumineux (5 Mo au plus)."))
        return upload
