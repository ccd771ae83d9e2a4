"""The report form, the forward, "marquer comme transmis" and level-1 forms."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maintenance.models import TicketCategory, Urgency

from . import services


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class TicketForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Catégorie"),
        queryset=TicketCategory.objects.all(),
        empty_label=_("Choisissez une catégorie"),
        error_messages={"required": _("Choisissez la catégorie de l’incident.")},
    )
    title = forms.CharField(
        label=_("Titre"),
        max_length=200,
        help_text=_("En quelques mots, par exemple : vidéoprojecteur de la salle B12 éteint."),
        error_messages={"required": _("Donnez un titre à l’incident.")},
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Ce qui ne marche pas, depuis quand, ce qui a déjà été essayé."),
        error_messages={"required": _("Décrivez l’incident.")},
    )
    room = forms.CharField(label=_("Salle"), max_length=100, required=False)
    equipment = forms.CharField(
        label=_("Matériel concerné"),
        max_length=200,
        required=False,
        help_text=_("Marque, modèle, numéro d’inventaire si vous l’avez."),
    )
    urgency = forms.ChoiceField(label=_("Urgence"), choices=Urgency.choices, initial=Urgency.NORMAL)
    attachments = MultipleFileField(
        label=_("Photos et documents"),
        required=False,
        help_text=_("5 fichiers au plus, 5 Mo chacun, formats JPEG, PNG ou PDF."),
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )

    def __init__(self, *args, already_attached: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.already_attached = already_attached
        self.helper = FormHelper(self)
        self.helper.form_id = "signalement-incident"
        self.helper.layout = Layout(
            "category", "title", "description", "room", "equipment", "urgency", "attachments"
        )
        self.helper.add_input(Submit("envoyer", _("Envoyer le signalement")))
        self.helper.add_input(
            Submit("brouillon", _("Enregistrer en brouillon"), css_class="fr-btn--secondary")
        )

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        try:
            services.attachments_check(files, already=self.already_attached)
        except services.TicketError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return files

    def to_data(self) -> services.TicketData:
        data = self.cleaned_data
        return services.TicketData(
            category=data["category"],
            title=data["title"],
            description=data["description"],
            room=data["room"],
            equipment=data["equipment"],
            urgency=data["urgency"],
            files=data["attachments"],
        )


class ForwardForm(forms.Form):
    comment = forms.CharField(
        label=_("Commentaire"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_id = "transmettre-incident"
        self.helper.form_action = action
        self.helper.add_input(Submit("transmettre", _("Transmettre l’incident")))


class FollowupForm(forms.Form):
    content = forms.CharField(
        label=_("Suivi"),
        help_text=_(
            "Transmis au service d’assistance avec la référence de l’incident (GLPI, "
            "courriel) ; conservé dans le portail pour une transmission manuelle."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=services.FOLLOWUP_MAX,
        error_messages={
            "required": _("Écrivez le suivi à transmettre."),
            "max_length": _("Un suivi fait %(limit_value)d caractères au plus."),
        },
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_id = "ajouter-suivi"
        self.helper.form_action = action
        self.helper.add_input(Submit("suivi", _("Ajouter le suivi")))


class MarkSentForm(forms.Form):
    external_ref = forms.CharField(
        label=_("Référence donnée par le service d’assistance"),
        max_length=100,
        error_messages={"required": _("Indiquez la référence donnée par le service.")},
    )
    external_url = forms.URLField(
        assume_scheme="https",
        label=_("Lien vers la demande"),
        required=False,
        error_messages={"invalid": _("Indiquez une adresse complète, commençant par https://.")},
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_id = "marquer-transmis"
        self.helper.form_action = action
        self.helper.add_input(Submit("transmis", _("Marquer comme transmis")))


class Level1Form(forms.Form):
    done_on = forms.DateField(
        label=_("Date de l’intervention"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Indiquez une date au format JJ/MM/AAAA.")},
    )
    minutes_spent = forms.IntegerField(
        label=_("Temps passé (minutes)"),
        min_value=1,
        max_value=6000,
        error_messages={
            "min_value": _("Le temps passé est d’au moins 1 minute."),
            "invalid": _("Indiquez le temps passé en minutes, par exemple 30."),
        },
    )
    note = forms.CharField(
        label=_("Ce qui a été fait"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Décrivez ce qui a été fait.")},
    )

    def __init__(self, *args, action: str = "", **kwargs):
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_id = "niveau-1"
        self.helper.form_action = action
        self.helper.add_input(Submit("resoudre", _("Enregistrer et marquer résolu")))


class ProgressForm(forms.Form):
    """The collectivité's progress on a ticket sent by e-mail or by hand (the step is the
    button pressed)."""

    step = forms.ChoiceField(
        choices=[(step, step) for step in services.PROGRESS_STEPS],
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choisissez l’avancement à noter."),
            "invalid_choice": _("Choisissez l’avancement à noter."),
        },
    )
    resolved_on = forms.DateField(
        label=_("Date de résolution"),
        required=False,
        help_text=_("Pour « Résolu par la collectivité » : pas dans le futur."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Indiquez une date au format JJ/MM/AAAA.")},
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        error_messages={"max_length": _("Un commentaire fait %(limit_value)d caractères au plus.")},
    )

    def __init__(self, *args, action: str = "", **kwargs):
        kwargs.setdefault("initial", {"resolved_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.action = action
        self.helper = FormHelper(self)
        self.helper.form_tag = False  # the template adds one button per step
        self.helper.layout = Layout("resolved_on", "comment")

    def clean(self):
        data = super().clean()
        if data.get("step") == "resolved" and not data.get("resolved_on"):
            if "resolved_on" not in self.errors:
                self.add_error("resolved_on", _("Indiquez la date de résolution."))
        return data
