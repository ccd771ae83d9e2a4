"""A campaign entered by hand (or corrected after its first import)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pix.models import Campaign, CampaignKind
from rrupn.accounts.models import User
from rrupn.establishments.models import Division, SchoolYear


class DivisionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} ({obj.school_year.label})"


class OwnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "code",
            "name",
            "kind",
            "target_profile",
            "school_year",
            "divisions",
            "owner",
            "pix_id",
        ]
        help_texts = {
            "code": _(
                "Le code donné par Pix Orga : 6 lettres puis 3 chiffres, par exemple QXTRMB482."
            ),
            "target_profile": _(
                "Le nom du parcours tel qu’il apparaît dans Pix Orga (colonne « Parcours » de "
                "l’export) ; vide pour une collecte de profils."
            ),
            "pix_id": _(
                "Facultatif : le numéro « ID Campagne » de l’export, utile pour importer un export "
                "ancien sans colonne Code."
            ),
        }
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, establishment, school_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.establishment = establishment
        self.fields["code"].error_messages["required"] = gettext(
            "Saisissez le code de la campagne."
        )
        self.fields["name"].error_messages["required"] = gettext("Saisissez le nom de la campagne.")
        self.fields["kind"].error_messages["required"] = gettext("Choisissez le type de campagne.")
        self.fields["school_year"].queryset = SchoolYear.objects.all()
        self.fields["school_year"].empty_label = None
        self.fields["school_year"].error_messages["required"] = gettext(
            "Choisissez l’année scolaire."
        )
        if not self.instance.pk:
            self.initial.setdefault("school_year", school_year.pk)
        self.fields["divisions"] = DivisionChoice(
            label=_("Classes"),
            required=False,
            queryset=Division.objects.filter(establishment=establishment)
            .select_related("school_year")
            .order_by("-school_year__start_year", "code"),
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Les classes de l’année choisie qui passent la campagne."),
        )
        self.fields["owner"] = OwnerChoice(
            label=_("Enseignant responsable"),
            required=False,
            queryset=User.objects.filter(roles__establishment=establishment)
            .distinct()
            .order_by("last_name", "first_name"),
            empty_label=gettext("Personne"),
        )
        self.helper = FormHelper(self)
        self.helper.form_id = "campagne-pix"
        self.helper.layout = Layout(
            Fieldset(
                _("La campagne dans Pix Orga"), "code", "name", "kind", "target_profile", "pix_id"
            ),
            Fieldset(_("Dans l’établissement"), "school_year", "divisions", "owner"),
        )
        self.helper.add_input(
            Submit(
                "enregistrer",
                gettext("Enregistrer les modifications")
                if self.instance.pk
                else gettext("Créer la campagne"),
            )
        )

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip().upper()
        others = Campaign.objects.filter(establishment=self.establishment, code=code)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if code and others.exists():
            raise forms.ValidationError(gettext("Une campagne de l’établissement a déjà ce code."))
        return code

    def clean_name(self):
        return (self.cleaned_data.get("name") or "").strip()

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if (
            self.instance.pk
            and kind
            and kind != self.instance.kind
            and self.instance.participations.exists()
        ):
            self.add_error(
                "kind",
                gettext(
                    "Des résultats sont déjà importés pour cette campagne : son type ne peut plus "
                    "changer."
                ),
            )
        if kind == CampaignKind.PROFILES:
            cleaned["target_profile"] = ""
        year = cleaned.get("school_year")
        wrong = [
            d.code
            for d in cleaned.get("divisions") or []
            if d.school_year_id != getattr(year, "pk", None)
        ]
        if year and wrong:
            self.add_error(
                "divisions",
                gettext("Ces classes ne sont pas de l’année %(year)s : %(codes)s.")
                % {"year": year.label, "codes": ", ".join(wrong)},
            )
        return cleaned
