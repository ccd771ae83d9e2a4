"""The SRANE's announcement form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rrupn.establishments.models import Department

from .models import AnnouncementKind
from .services import AnnouncementData

SCOPE_ERROR = _("Vous ne pouvez publier que pour les RRUPN de votre département.")


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    kind = forms.ChoiceField(label=_("Nature"), choices=AnnouncementKind.choices)
    body = forms.CharField(
        label=_("Texte"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Texte simple ; les retours à la ligne et les adresses web sont conservés."),
    )
    link_url = forms.URLField(
        label=_("Lien (facultatif)"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={
            "invalid": _("Saisissez une adresse web commençant par http:// ou https://.")
        },
        help_text=_("Par exemple le numéro de la LINE ou le document sur Tribu."),
    )
    department = forms.ChoiceField(
        label=_("Destinataires"),
        required=False,  # "": all the RRUPN of the académie (the académie SRANE only)
        error_messages={"invalid_choice": SCOPE_ERROR},
    )
    publish_on = forms.DateField(
        label=_("Date de publication"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Une date à venir programme l’annonce."),
    )
    expires_on = forms.DateField(
        label=_("Afficher jusqu’au (facultatif)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Après cette date, l’annonce n’apparaît plus aux RRUPN."),
    )

    def __init__(self, *args, access, submit_label, with_email: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        choices = [(value, label) for value, label in Department.choices]
        if access.is_academie:
            choices = [("", _("Tous les RRUPN de l’académie")), *choices]
        else:
            choices = [(v, label) for v, label in choices if v in access.srane_departments]
        self.fields["department"].choices = choices
        self.fields["publish_on"].initial = timezone.localdate()
        fields = ["title", "kind", "body", "link_url", "department", "publish_on", "expires_on"]
        if with_email:
            self.fields["email"] = forms.BooleanField(
                label=_("Prévenir par courriel"),
                required=False,
                help_text=_("Un courriel à chaque RRUPN destinataire, à la publication."),
            )
            fields.append("email")
        self.helper = FormHelper(self)
        self.helper.form_id = "annonce-srane"
        self.helper.layout = Layout(*fields)
        self.helper.add_input(Submit("enregistrer", submit_label))

    def clean_department(self):
        department = self.cleaned_data["department"]
        if not department and not self.access.is_academie:
            raise forms.ValidationError(SCOPE_ERROR)
        return department

    def clean(self):
        cleaned = super().clean()
        publish_on, expires_on = cleaned.get("publish_on"), cleaned.get("expires_on")
        if publish_on and expires_on and expires_on < publish_on:
            self.add_error(
                "expires_on",
                _("La date de fin d’affichage ne peut pas précéder la date de publication."),
            )
        return cleaned

    @staticmethod
    def initial_from(announcement) -> dict:
        return {
            "title": announcement.title,
            "kind": announcement.kind,
            "body": announcement.body,
            "link_url": announcement.link_url,
            "department": announcement.department,
            "publish_on": timezone.localdate(announcement.published_at),
            "expires_on": announcement.expires_on,
        }

    def to_data(self) -> AnnouncementData:
        c = self.cleaned_data
        return AnnouncementData(
            title=c["title"],
            body=c["body"],
            kind=c["kind"],
            link_url=c["link_url"],
            department=c["department"],
            publish_on=c["publish_on"],
            expires_on=c["expires_on"],
        )
