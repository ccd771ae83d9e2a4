"""Forms for training needs and actions; the services check again (need of another year…)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import NeedOrigin, Priority, TrainingKind, TrainingNeed, TrainingTopic
from .services import ActionData, NeedData


class NeedForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Thème"), queryset=TrainingTopic.objects.all(), empty_label=_("Choisir un thème")
    )
    detail = forms.CharField(
        label=_("Précision"),
        max_length=300,
        required=False,
        help_text=_("Par exemple « prise en main de l'application Cahier de textes »."),
    )
    audience = forms.CharField(
        label=_("Public"),
        max_length=200,
        help_text=_("Par exemple « professeurs de mathématiques », « équipe de vie scolaire »."),
    )
    staff_count = forms.IntegerField(
        label=_("Nombre de personnels concernés"),
        min_value=1,
        max_value=9999,
        error_messages={
            "min_value": _("Le besoin doit concerner au moins une personne."),
            "invalid": _("Saisissez un nombre entier de personnes."),
        },
    )
    priority = forms.ChoiceField(
        label=_("Priorité"), choices=Priority.choices, widget=forms.RadioSelect
    )
    origin = forms.ChoiceField(
        label=_("Origine du besoin"), choices=NeedOrigin.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "besoin-formation"
        self.helper.add_input(Submit("enregistrer", _("Enregistrer le besoin")))

    @staticmethod
    def initial_from(need) -> dict:
        return {
            "topic": need.topic_id,
            "detail": need.detail,
            "audience": need.audience,
            "staff_count": need.staff_count,
            "priority": need.priority,
            "origin": need.origin,
        }

    def to_data(self) -> NeedData:
        return NeedData(**self.cleaned_data)


class NeedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, need):
        detail = f" — {need.detail}" if need.detail else ""
        return f"{need.topic}{detail} ({need.audience}, {need.staff_count})"


class ActionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type d'action"), choices=TrainingKind.choices, widget=forms.RadioSelect
    )
    topic = forms.ModelChoiceField(
        label=_("Thème"), queryset=TrainingTopic.objects.all(), empty_label=_("Choisir un thème")
    )
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    need = NeedChoiceField(
        label=_("Répond au besoin"),
        queryset=TrainingNeed.objects.none(),
        required=False,
        empty_label=_("Aucun besoin en particulier"),
    )
    presenter = forms.CharField(
        label=_("Animé par"),
        max_length=150,
        required=False,
        help_text=_("Obligatoire pour un café numérique : un collègue, le RRUPN, un partenaire…"),
    )
    held_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Obligatoire pour un café numérique."),
        error_messages={"invalid": _("Saisissez une date au format JJ/MM/AAAA.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"),
        min_value=1,
        max_value=3000,
        initial=30,
        help_text=_("Un café numérique dure une trentaine de minutes."),
        error_messages={"min_value": _("La durée doit être d'au moins une minute.")},
    )
    attendees = forms.IntegerField(
        label=_("Nombre de participants"),
        min_value=0,
        max_value=9999,
        required=False,
        help_text=_("À saisir une fois l'action tenue."),
        error_messages={"min_value": _("Le nombre de participants ne peut pas être négatif.")},
    )

    def __init__(self, *args, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs
        self.helper = FormHelper()
        self.helper.form_id = "action-formation"
        self.helper.layout = Layout(
            Fieldset(_("L'action"), "kind", "topic", "title", "need"),
            Fieldset(_("Organisation"), "presenter", "held_on", "duration_minutes", "attendees"),
        )
        self.helper.add_input(Submit("enregistrer", _("Enregistrer l'action")))

    @staticmethod
    def initial_from(action) -> dict:
        return {
            "kind": action.kind,
            "topic": action.topic_id,
            "title": action.title,
            "need": action.need_id,
            "presenter": action.presenter,
            "held_on": action.held_on,
            "duration_minutes": action.duration_minutes,
            "attendees": action.attendees,
        }

    def to_data(self) -> ActionData:
        return ActionData(**self.cleaned_data)
