"""Forms of the commission, its members, meetings and actions (crispy DSFR pack)."""

import datetime

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ActionStatus, MemberCategory, Modality, Presence
from .services import MeetingData, MemberData


def _helper(form, *layout, submit, form_id) -> FormHelper:
    helper = FormHelper(form)
    helper.form_id = form_id
    helper.layout = Layout(*layout, Submit("enregistrer", submit))
    return helper


class CommissionForm(forms.Form):
    modality = forms.ChoiceField(
        label=_("Modalité"), choices=Modality.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            self, "modality", submit=_("Créer la commission"), form_id="creer-commission"
        )


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Membre du personnel"),
        queryset=None,
        required=False,
        empty_label=_("— Personne extérieure (nom ci-dessous) —"),
    )
    outsider_name = forms.CharField(
        label=_("Ou nom d'une personne extérieure"),
        max_length=150,
        required=False,
        help_text=_("Parent élu, élève élu, partenaire…"),
    )
    category = forms.ChoiceField(label=_("Catégorie"), choices=MemberCategory.choices)
    discipline = forms.CharField(
        label=_("Discipline ou pôle"),
        max_length=100,
        required=False,
        help_text=_("Obligatoire pour un enseignant référent."),
    )
    detail = forms.CharField(
        label=_("Précision"),
        max_length=100,
        required=False,
        help_text=_("Instance (CA, CVL, CVC), fonction…"),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = staff
        self.helper = _helper(
            self,
            Fieldset(_("Qui"), "person", "outsider_name"),
            Fieldset(_("À quel titre"), "category", "discipline", "detail"),
            "revision",
            submit=_("Ajouter le membre"),
            form_id="ajouter-membre",
        )

    def clean(self):
        data = super().clean()
        if bool(data.get("person")) == bool((data.get("outsider_name") or "").strip()):
            raise forms.ValidationError(
                _(
                    "Choisissez une personne du personnel ou saisissez le nom d'une personne "
                    "extérieure (l'un ou l'autre)."
                )
            )
        if (
            data.get("category") == MemberCategory.DISCIPLINE_REFERENT
            and not (data.get("discipline") or "").strip()
        ):
            self.add_error(
                "discipline", _("Indiquez la discipline ou le pôle de l'enseignant référent.")
            )
        return data

    def to_data(self) -> MemberData:
        data = self.cleaned_data
        return MemberData(
            category=data["category"],
            person=data["person"],
            outsider_name="" if data["person"] else data["outsider_name"],
            discipline=data["discipline"],
            detail=data["detail"],
        )


class MeetingForm(forms.Form):
    day = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label=_("Heure"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), min_value=5, max_value=480, initial=60
    )
    place = forms.CharField(label=_("Lieu"), max_length=200, required=False)
    visio_url = forms.URLField(
        label=_("Lien de visioconférence"),
        required=False,
        help_text=_("Un lieu, un lien, ou les deux."),
        assume_scheme="https",
    )
    agenda = forms.CharField(
        label=_("Ordre du jour"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Un point par ligne."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, submit=None, **kwargs):
        super().__init__(*args, **kwargs)
        submit = submit or _("Enregistrer la réunion")
        self.helper = _helper(
            self,
            Div("day", "time", "duration_minutes", css_class="form-row"),
            "place",
            "visio_url",
            "agenda",
            "revision",
            submit=submit,
            form_id="reunion",
        )

    def clean(self):
        data = super().clean()
        if not (data.get("place") or "").strip() and not data.get("visio_url"):
            raise forms.ValidationError(_("Indiquez un lieu ou un lien de visioconférence."))
        return data

    @classmethod
    def initial_from(cls, meeting) -> dict:
        local = timezone.localtime(meeting.starts_at)
        return {
            "day": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": meeting.duration_minutes,
            "place": meeting.place,
            "visio_url": meeting.visio_url,
            "agenda": "\n".join(item.title for item in meeting.agenda.all()),
            "revision": meeting.revision,
        }

    def to_data(self) -> MeetingData:
        data = self.cleaned_data
        starts_at = timezone.make_aware(datetime.datetime.combine(data["day"], data["time"]))
        return MeetingData(
            starts_at=starts_at,
            duration_minutes=data["duration_minutes"],
            place=data["place"],
            visio_url=data["visio_url"],
            agenda=data["agenda"].splitlines(),
        )


class AttendanceForm(forms.Form):
    """One row of radios per member: présent, excusé, absent."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, members, recorded: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        names = []
        for member in members:
            name = f"presence_{member.pk}"
            self.fields[name] = forms.ChoiceField(
                label=str(member),
                choices=Presence.choices,
                widget=forms.RadioSelect,
                initial=recorded.get(member.pk),
                error_messages={"required": _("Indiquez si ce membre était présent.")},
            )
            names.append(InlineRadios(name))
        self.helper = _helper(
            self,
            *names,
            "revision",
            submit=_("Enregistrer les présences"),
            form_id="presences",
        )

    def presences(self) -> dict:
        return {
            member.pk: self.cleaned_data[f"presence_{member.pk}"]
            for member in self.members
            if self.cleaned_data.get(f"presence_{member.pk}")
        }


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Compte rendu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=50_000,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            self,
            "minutes",
            "revision",
            submit=_("Enregistrer le compte rendu"),
            form_id="compte-rendu",
        )
        self.helper.form_show_labels = False  # the section's heading says it already


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action décidée"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Responsable"), queryset=None)
    due_on = forms.DateField(
        label=_("Échéance"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["owner"].empty_label = _("— Choisir un membre —")
        self.fields["owner"].error_messages["invalid_choice"] = _(
            "Le responsable d'une action doit être membre de la commission."
        )
        self.helper = _helper(
            self,
            Div("title", "owner", "due_on", css_class="form-row"),
            submit=_("Ajouter l'action"),
            form_id="nouvelle-action",
        )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("État"), choices=ActionStatus.choices)
    seen_status = forms.ChoiceField(choices=ActionStatus.choices, widget=forms.HiddenInput)
