"""The letter form: one fieldset per function, each task a checkbox with its "partagée avec"."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImpRate, MissionFunction, MissionTask, SharingPartner
from .services import LetterData, TaskChoice


class LetterForm(forms.Form):
    rrupn = forms.ModelChoiceField(label=_("RRUPN désigné(e)"), queryset=None)
    starts_on = forms.DateField(
        label=_("Début de la mission"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Fin de la mission"), widget=forms.DateInput(attrs={"type": "date"})
    )
    imp_rate = forms.ModelChoiceField(
        label=_("Taux annuel d'IMP"),
        queryset=ImpRate.objects.filter(active=True),
        required=False,
        empty_label=_("Pas d'IMP"),
    )
    imp_multiple = forms.DecimalField(
        label=_("Multiple du taux"),
        min_value=Decimal("0.25"),
        max_value=Decimal("10"),
        decimal_places=2,
        initial=Decimal("1"),
        help_text=_("Par exemple 1, 0,5 ou 2."),
        localize=True,
    )
    clauses = forms.CharField(
        label=_("Clauses particulières"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Moyens, temps dégagé, modalités de suivi…"),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, staff, rrupn_locked_to=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.functions = list(MissionFunction.objects.order_by("number"))
        self.tasks = list(
            MissionTask.objects.filter(active=True)
            .select_related("function")
            .order_by("function__number", "order", "pk")
        )
        self.partners = list(SharingPartner.objects.all())
        self.fields["rrupn"].queryset = staff
        if rrupn_locked_to is not None:
            self.fields["rrupn"].queryset = staff.filter(pk=rrupn_locked_to.pk)
            self.fields["rrupn"].initial = rrupn_locked_to.pk
            self.fields["rrupn"].help_text = _("Vous rédigez votre propre lettre de mission.")
        partner_choices = [("", _("Non partagée"))] + [(str(p.pk), p.label) for p in self.partners]
        function_sections = []
        for function in self.functions:
            names = []
            if function.optional:
                name = f"function_{function.number}"
                self.fields[name] = forms.BooleanField(
                    label=_("Retenir cette fonction (selon le contexte local)"), required=False
                )
                names.append(name)
            for task in (t for t in self.tasks if t.function_id == function.pk):
                self.fields[f"task_{task.pk}"] = forms.BooleanField(
                    label=task.title, required=False
                )
                self.fields[f"partner_{task.pk}"] = forms.ChoiceField(
                    label=_("Partagée avec"), choices=partner_choices, required=False
                )
                self.fields[f"partner_name_{task.pk}"] = forms.CharField(
                    label=_("Nom de la personne"),
                    required=False,
                    max_length=150,
                    help_text=_("Si « autre personne nommée »."),
                )
                names.append(
                    Div(
                        f"task_{task.pk}",
                        Div(
                            f"partner_{task.pk}",
                            f"partner_name_{task.pk}",
                            css_class="letter-task__sharing",
                        ),
                        css_class="letter-task",
                    )
                )
            function_sections.append(Fieldset(str(function), *names))
        self.helper = FormHelper(self)
        self.helper.form_id = "lettre-de-mission"
        self.helper.layout = Layout(
            Fieldset(_("Parties et durée"), "rrupn", "starts_on", "ends_on"),
            HTML(
                '<h2 class="fr-h4 fr-mt-4w">{% load i18n %}{% translate "Fonctions et tâches" %}</h2>'
            ),
            *function_sections,
            Fieldset(_("Indemnité pour mission particulière (IMP)"), "imp_rate", "imp_multiple"),
            Fieldset(_("Clauses"), "clauses"),
            "revision",
            Submit("enregistrer", _("Enregistrer le brouillon")),
        )

    @classmethod
    def initial_from(cls, letter) -> dict:
        initial = {
            "rrupn": letter.rrupn_id,
            "starts_on": letter.starts_on,
            "ends_on": letter.ends_on,
            "imp_rate": letter.imp_rate_id,
            "imp_multiple": letter.imp_multiple,
            "clauses": letter.clauses,
            "revision": letter.revision,
        }
        for chosen in letter.tasks.select_related("task__function"):
            initial[f"task_{chosen.task_id}"] = True
            initial[f"partner_{chosen.task_id}"] = str(chosen.shared_with_id or "")
            initial[f"partner_name_{chosen.task_id}"] = chosen.shared_with_name
            if chosen.task.function.optional:
                initial[f"function_{chosen.task.function.number}"] = True
        return initial

    def to_data(self) -> LetterData:
        data = self.cleaned_data
        partners = {str(p.pk): p for p in self.partners}
        return LetterData(
            rrupn=data["rrupn"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            imp_rate=data["imp_rate"],
            imp_multiple=data["imp_multiple"],
            clauses=data["clauses"],
            optional_functions={
                f for f in self.functions if f.optional and data.get(f"function_{f.number}")
            },
            tasks=[
                TaskChoice(
                    task=task,
                    shared_with=partners.get(data.get(f"partner_{task.pk}") or ""),
                    shared_with_name=data.get(f"partner_name_{task.pk}", ""),
                )
                for task in self.tasks
                if data.get(f"task_{task.pk}")
            ],
        )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Modifications demandées"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
