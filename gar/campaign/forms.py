"""Forms of the campaign pages: designation, decision, the SRANE's due date."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from rrupn.accounts.models import Role, User

from .responsables import is_eligible


def _helper(form, *fields, submit, form_id, action=""):
    helper = FormHelper(form)
    helper.form_id = form_id
    helper.form_action = action
    helper.layout = Layout(*fields)
    helper.add_input(Submit("envoyer", submit))
    return helper


class PersonChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, roles_by_user: dict, **kwargs):
        self.roles_by_user = roles_by_user
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        roles = self.roles_by_user.get(obj.pk, set())
        labels = ", ".join(str(Role(role).label) for role in sorted(roles) if role != Role.RESP_GAR)
        eligible = str(_(" — éligible")) if is_eligible(roles) else ""
        return f"{obj} ({labels}){eligible}" if labels else f"{obj}{eligible}"


class DesignationForm(forms.Form):
    person = PersonChoiceField(
        label=_("Personne"),
        queryset=User.objects.none(),
        roles_by_user={},
        help_text=_(
            "Le personnel de l'établissement. Une personne éligible (RRUPN, direction, "
            "documentaliste) désignée par la direction l'est aussitôt ; toute autre désignation "
            "est proposée au chef d'établissement."
        ),
    )

    def __init__(self, *args, staff, roles_by_user, action, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = staff
        field.roles_by_user = roles_by_user
        field.empty_label = _("— Choisir une personne —")
        field.error_messages["invalid_choice"] = _(
            "Choisissez une personne qui a un rôle dans l'établissement cette année."
        )
        self.helper = _helper(
            self, "person", submit=_("Désigner"), form_id="designation", action=action
        )


class DesignationDecisionForm(forms.Form):
    """Rendered by hand in each row of the page: a comment and two buttons carrying the choice."""

    APPROVE, REFUSE = "accepter", "refuser"

    decision = forms.ChoiceField(
        label=_("Décision"), choices=[(APPROVE, _("Accepter")), (REFUSE, _("Refuser"))]
    )
    comment = forms.CharField(label=_("Commentaire"), max_length=1000, required=False)

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class DueDateForm(forms.Form):
    due_on = forms.DateField(
        label=_("Date limite de la campagne"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Indiquez une date au format JJ/MM/AAAA.")},
    )
    reminder_every_days = forms.IntegerField(
        label=_("Relancer les établissements en retard tous les (jours)"),
        min_value=1,
        max_value=60,
        error_messages={
            "min_value": _("Au moins 1 jour entre deux relances."),
            "max_value": _("Au plus 60 jours entre deux relances."),
            "invalid": _("Indiquez un nombre de jours, par exemple 7."),
        },
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            self,
            "due_on",
            "reminder_every_days",
            submit=_("Enregistrer"),
            form_id="echeance-campagne",
            action=action,
        )
