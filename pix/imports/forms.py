"""The upload of a Pix Orga export."""

from pathlib import PurePath

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 10 Mo: some 40 000 pupils' profiles
EXTENSIONS = {".csv", ".txt"}


class UploadForm(forms.Form):
    fichier = forms.FileField(
        label=_("Export Pix Orga (fichier CSV)"),
        help_text=_(
            "Dans Pix Orga, ouvrez la campagne, onglet « Résultats » puis « Exporter les "
            "résultats ». Déposez le fichier tel quel, sans l’ouvrir dans un tableur ; 10 Mo au plus."
        ),
        error_messages={
            "required": _("Choisissez le fichier exporté de Pix Orga."),
            "empty": _("Le fichier est vide."),
            "invalid": _("Aucun fichier n’a été envoyé : vérifiez le formulaire."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_id = "import-pix"
        self.helper.add_input(Submit("deposer", gettext("Voir ce que l’import va changer")))

    def clean_fichier(self) -> bytes:
        uploaded = self.cleaned_data["fichier"]
        if PurePath(uploaded.name or "").suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(
                gettext("Le fichier doit être un export CSV de Pix Orga (extension .csv).")
            )
        if uploaded.size > MAX_UPLOAD_BYTES:
            size = f"{uploaded.size / 1024 / 1024:.1f}".replace(".", ",")
            raise forms.ValidationError(
                gettext("Le fichier pèse %(size)s Mo : 10 Mo au plus.") % {"size": size}
            )
        data = uploaded.read(MAX_UPLOAD_BYTES + 1)
        if not data.strip():
            raise forms.ValidationError(gettext("Le fichier est vide."))
        self.file_name = PurePath(uploaded.name).name
        return data
