"""The certification session form: level, date, room, classes, counts and score distribution."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from rrupn.establishments.models import Division

from ..crcn import SCORE_BANDS
from ..models import CertificationLevel
from .selectors import certification_division_ids
from .services import SessionData, check_counts, check_date, check_divisions


def band_field(key: str) -> str:
    return f"band_{key}"


class DivisionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        label = obj.label or obj.code
        if not obj.pupil_count:
            return label
        return _("%(label)s (%(count)s élèves)") % {"label": label, "count": obj.pupil_count}


class SessionForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Niveau"),
        choices=CertificationLevel.choices,
        error_messages={
            "required": _("Choisissez le niveau : 3e, terminale, CAP ou BTS."),
            "invalid_choice": _("Choisissez le niveau : 3e, terminale, CAP ou BTS."),
        },
    )
    date = forms.DateField(
        label=_("Date de la session"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("JJ/MM/AAAA, dans l'année scolaire en cours."),
        error_messages={
            "required": _("Indiquez la date de la session."),
            "invalid": _("Indiquez une date au format JJ/MM/AAAA."),
        },
    )
    room = forms.CharField(
        label=_("Salle"),
        max_length=100,
        required=False,
        help_text=_("Par exemple : salle informatique B12."),
    )
    divisions = DivisionChoices(
        label=_("Classes concernées"),
        queryset=Division.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les classes de 3e, terminale, CAP ou BTS de l'année, du niveau choisi."),
        error_messages={"invalid_choice": _("Une des classes choisies n'existe pas cette année.")},
    )
    candidates = forms.IntegerField(
        label=_("Candidats"),
        min_value=1,
        max_value=10000,
        error_messages={
            "required": _("Indiquez le nombre de candidats."),
            "min_value": _("Indiquez au moins un candidat."),
            "max_value": _("Ce nombre de candidats est trop élevé."),
            "invalid": _("Indiquez le nombre de candidats en nombre entier, par exemple 28."),
        },
    )
    certified = forms.IntegerField(
        label=_("Certifiés"),
        min_value=0,
        max_value=10000,
        required=False,
        help_text=_("À laisser vide tant que les résultats ne sont pas connus."),
        error_messages={
            "min_value": _("Le nombre de certifiés ne peut pas être négatif."),
            "max_value": _("Ce nombre de certifiés est trop élevé."),
            "invalid": _("Indiquez le nombre de certifiés en nombre entier, par exemple 25."),
        },
    )

    def __init__(self, *args, establishment, school_year, session=None, **kwargs):
        if session is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(session)
        super().__init__(*args, **kwargs)
        self.establishment, self.school_year = establishment, school_year
        ids = certification_division_ids(establishment, school_year)
        self.fields["divisions"].queryset = Division.objects.filter(pk__in=ids).order_by("code")
        for key, label, low, high in SCORE_BANDS:
            self.fields[band_field(key)] = forms.IntegerField(
                label=_("%(band)s (%(low)s à %(high)s pix)")
                % {"band": label, "low": low, "high": high},
                min_value=0,
                max_value=10000,
                required=False,
                error_messages={
                    "min_value": _("Un nombre de candidats ne peut pas être négatif."),
                    "max_value": _("Ce nombre de candidats est trop élevé."),
                    "invalid": _("Indiquez un nombre entier de candidats, par exemple 4."),
                },
            )
        self.helper = FormHelper(self)
        self.helper.form_id = "session-certification"
        self.helper.layout = Layout(
            "level",
            "date",
            "room",
            "divisions",
            "candidates",
            "certified",
            Fieldset(
                _("Répartition des scores"),
                HTML(
                    '<p class="fr-hint-text">'
                    + str(
                        _(
                            "Nombre de candidats par niveau global Pix, une fois les résultats "
                            "connus. Le total ne peut pas dépasser le nombre de candidats."
                        )
                    )
                    + "</p>"
                ),
                *[band_field(key) for key, *_rest in SCORE_BANDS],
            ),
        )
        self.helper.add_input(Submit("enregistrer", _("Enregistrer la session")))

    def clean(self):
        data = super().clean()
        day, level = data.get("date"), data.get("level")
        if day and (error := check_date(day, self.school_year)):
            self.add_error("date", error)
        if level and data.get("divisions"):
            error = check_divisions(self.establishment, self.school_year, level, data["divisions"])
            if error:
                self.add_error("divisions", error)
        counts = ["certified", *(band_field(key) for key, *_rest in SCORE_BANDS)]
        candidates = data.get("candidates")
        if candidates is not None and not any(name in self.errors for name in counts):
            for error in check_counts(candidates, data.get("certified"), self.score_bands()):
                self.add_error(None, error)
        return data

    def score_bands(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {
            key: data[band_field(key)] for key, *_rest in SCORE_BANDS if data.get(band_field(key))
        }

    def to_data(self) -> SessionData:
        data = self.cleaned_data
        return SessionData(
            level=data["level"],
            date=data["date"],
            room=data["room"],
            divisions=list(data["divisions"]),
            candidates=data["candidates"],
            certified=data["certified"],
            score_bands=self.score_bands(),
        )


def initial_of(session) -> dict:
    initial = {
        "level": session.level,
        "date": session.date,
        "room": session.room,
        "divisions": list(session.divisions.all()),
        "candidates": session.candidates,
        "certified": session.certified,
    }
    for key, *_rest in SCORE_BANDS:
        initial[band_field(key)] = session.score_bands.get(key)
    return initial
