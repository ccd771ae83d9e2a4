"""The crispy-forms DSFR pack (templates/crispy_dsfr/): markup, labels, errors, groups."""

import datetime

import pytest
from crispy_forms.bootstrap import FormActions, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Button, ButtonHolder, Div, Fieldset, Layout, Row, Submit
from django import forms
from django.template import engines
from django.test import RequestFactory

from .html import (
    assert_every_control_labelled,
    assert_unique_ids,
    classes,
    described_by,
    one,
    parse,
)

CHOICES = [("a", "Choix A"), ("b", "Choix B")]


class PackForm(forms.Form):
    title = forms.CharField(label="Titre", help_text="Aide du titre")
    email = forms.EmailField(label="Courriel")
    count = forms.IntegerField(label="Nombre", min_value=1)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(label="Sorte", choices=[("", "—")] + CHOICES)
    kinds = forms.MultipleChoiceField(label="Sortes", choices=CHOICES, required=False)
    agree = forms.BooleanField(label="J’accepte")
    tags = forms.MultipleChoiceField(
        label="Étiquettes",
        choices=CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Une ou plusieurs",
    )
    mode = forms.ChoiceField(label="Mode", choices=CHOICES, widget=forms.RadioSelect)
    day = forms.DateField(label="Jour")
    upload = forms.FileField(label="Fichier", required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        if self.cleaned_data.get("notes") == "conflit":
            raise forms.ValidationError("Erreur d’ensemble du formulaire")
        return self.cleaned_data


INVALID = {"email": "faux", "count": "0", "notes": "conflit", "kinds": ["z"], "day": "pas une date"}
ERROR_FIELDS = ["title", "email", "count", "kind", "kinds", "agree", "day"]


def render(source: str, **context) -> str:
    request = RequestFactory().get("/")
    return engines["django"].from_string(source).render(context, request)


def render_filter(form):
    return parse(render("{% load crispy_forms_tags %}{{ form|crispy }}", form=form))


# field → (group class, xpath of the control inside the group, control class)
SINGLE_CONTROLS = {
    "title": ("fr-input-group", "input[@type='text']", "fr-input"),
    "email": ("fr-input-group", "input[@type='email']", "fr-input"),
    "count": ("fr-input-group", "input[@type='number']", "fr-input"),
    "notes": ("fr-input-group", "textarea", "fr-input"),
    "kind": ("fr-select-group", "select[not(@multiple)]", "fr-select"),
    "kinds": ("fr-select-group", "select[@multiple]", "fr-select"),
    "day": ("fr-input-group", "input[@type='date']", "fr-input"),
    "upload": ("fr-upload-group", "input[@type='file']", "fr-upload"),
}


@pytest.mark.parametrize("name", SINGLE_CONTROLS)
def test_single_control_gets_its_dsfr_group_and_class(name):
    group_class, control_xpath, control_class = SINGLE_CONTROLS[name]
    doc = render_filter(PackForm())
    group = one(doc, f'//*[@id="div_id_{name}"]')
    assert group_class in classes(group)
    control = one(group, f"./{control_xpath}")
    assert control_class in classes(control)
    assert control.get("id") == f"id_{name}"
    label = one(group, "./label")
    assert label.get("for") == f"id_{name}" and "fr-label" in classes(label)


def test_checkbox_is_a_dsfr_checkbox_group_with_its_label_after_the_input():
    doc = render_filter(PackForm())
    group = one(doc, '//*[@id="div_id_agree"]')
    assert "fr-checkbox-group" in classes(group)
    control, label = group.xpath("./input | ./label")
    assert control.get("type") == "checkbox" and label.get("for") == control.get("id")


@pytest.mark.parametrize(
    "name,role,option_group,option_type",
    [
        ("tags", "group", "fr-checkbox-group", "checkbox"),
        ("mode", "radiogroup", "fr-radio-group", "radio"),
    ],
)
def test_choice_groups_are_fieldsets_with_a_legend(name, role, option_group, option_type):
    doc = render_filter(PackForm())
    fieldset = one(doc, f'//fieldset[@id="div_id_{name}"]')
    assert "fr-fieldset" in classes(fieldset) and fieldset.get("role") == role
    legend = one(fieldset, "./legend")
    assert "fr-fieldset__legend" in classes(legend)
    assert fieldset.get("aria-labelledby") == legend.get("id")
    options = fieldset.xpath(f'.//div[contains(@class, "{option_group}")]')
    assert len(options) == len(CHOICES)
    for option in options:
        control = one(option, "./input")
        assert control.get("type") == option_type and control.get("name") == name
        assert one(option, "./label").get("for") == control.get("id")


def test_help_text_is_a_hint_inside_the_label_and_describes_the_input():
    doc = render_filter(PackForm())
    hint = one(doc, '//label[@for="id_title"]/span[contains(@class, "fr-hint-text")]')
    assert hint.text_content() == "Aide du titre"
    assert described_by(doc, one(doc, '//*[@id="id_title"]')) == [hint]
    group_hint = one(doc, '//fieldset[@id="div_id_tags"]/legend/span[@class="fr-hint-text"]')
    assert described_by(doc, one(doc, '//fieldset[@id="div_id_tags"]')) == [group_hint]


def test_every_control_is_labelled_and_ids_are_unique():
    for form in (PackForm(), PackForm(INVALID)):
        doc = render_filter(form)
        assert_every_control_labelled(doc)
        assert_unique_ids(doc)


def test_hidden_field_renders_bare():
    doc = render_filter(PackForm())
    hidden = one(doc, '//input[@name="token"]')
    assert hidden.get("type") == "hidden"
    assert not doc.xpath('//*[@id="div_id_token"]')


def test_required_and_optional_marking():
    doc = render_filter(PackForm())
    assert "Sauf mention contraire, tous les champs sont obligatoires." in doc.text_content()
    assert "(facultatif)" in one(doc, '//label[@for="id_notes"]').text_content()
    assert "(facultatif)" not in one(doc, '//label[@for="id_title"]').text_content()
    assert one(doc, '//*[@id="id_title"]').get("required") is not None
    assert one(doc, '//*[@id="id_notes"]').get("required") is None


@pytest.mark.parametrize("name", ["title", "email", "count", "kind", "kinds", "agree", "day"])
def test_field_error_is_linked_to_its_control(name):
    form = PackForm(INVALID)
    assert not form.is_valid() and set(form.errors) == set(ERROR_FIELDS) | {
        "__all__",
        "tags",
        "mode",
    }
    doc = render_filter(form)
    group = one(doc, f'//*[@id="div_id_{name}"]')
    assert any(c.endswith("--error") for c in classes(group))
    control = one(doc, f'//*[@id="id_{name}"]')
    assert control.get("aria-invalid") == "true"
    messages = [
        error.text_content()
        for target in described_by(doc, control)
        for error in target.xpath('.//p[contains(@class, "fr-error-text")]')
    ]
    assert messages == [str(message) for message in form.errors[name]]


@pytest.mark.parametrize("name", ["tags", "mode"])
def test_group_error_sits_on_the_fieldset(name):
    form = PackForm(INVALID)
    form.is_valid()
    doc = render_filter(form)
    fieldset = one(doc, f'//fieldset[@id="div_id_{name}"]')
    assert "fr-fieldset--error" in classes(fieldset)
    errors = [
        p.text_content()
        for target in described_by(doc, fieldset)
        for p in target.xpath('.//p[contains(@class, "fr-error-text")]')
    ]
    assert errors == ["Ce champ est obligatoire."]
    assert one(doc, f'//*[@id="id_{name}_error"]').getparent() is fieldset


def test_form_level_errors_are_an_error_alert():
    form = PackForm(INVALID)
    form.is_valid()
    doc = render_filter(form)
    alert = one(doc, '//div[contains(@class, "fr-alert--error")]')
    assert alert.get("role") == "alert"
    assert "Erreur d’ensemble du formulaire" in alert.text_content()
    assert not render_filter(PackForm()).xpath('//div[contains(@class, "fr-alert")]')


def test_date_input_uses_the_browser_picker_with_iso_values():
    doc = render_filter(PackForm(initial={"day": datetime.date(2026, 3, 5)}))
    day = one(doc, '//*[@id="id_day"]')
    assert day.get("type") == "date" and day.get("value") == "2026-03-05"
    bound = PackForm({"day": "2026-03-05"})
    bound.is_valid()
    assert bound.cleaned_data["day"] == datetime.date(2026, 3, 5)


class LayoutForm(PackForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_id = "mise-en-page"
        self.helper.form_action = "/envoyer/"
        self.helper.layout = Layout(
            Fieldset("Première partie", "title", "email", "count", "notes"),
            Row(Div("kind", css_class="fr-col-6"), Div("kinds", css_class="fr-col-6")),
            Fieldset("Seconde partie", "agree", "tags", InlineRadios("mode"), "day", "upload"),
            HTML('<p class="fr-text--sm">Texte libre</p>'),
            ButtonHolder(Submit("valider", "Valider"), Button("retour", "Retour")),
            FormActions(
                Submit("brouillon", "Enregistrer le brouillon", css_class="fr-btn--tertiary")
            ),
        )


def test_crispy_tag_renders_the_layout_in_dsfr_markup():
    html = render(
        "{% load crispy_forms_tags %}{% crispy form %}", form=LayoutForm(), csrf_token="t"
    )
    doc = parse(html)
    form = one(doc, "//form")
    assert form.get("id") == "mise-en-page" and form.get("action") == "/envoyer/"
    assert form.get("method") == "post" and form.get("enctype") == "multipart/form-data"
    assert one(form, './/input[@name="csrfmiddlewaretoken"]') is not None
    legends = [
        legend.text_content() for legend in form.xpath('./fieldset[@class="fr-fieldset"]/legend')
    ]
    assert legends == ["Première partie", "Seconde partie"]
    assert "fr-grid-row" in classes(one(form, './/*[@id="div_id_kind"]/../..'))
    inline = one(form, '//fieldset[@id="div_id_mode"]')
    assert inline.xpath('./div[contains(@class, "fr-fieldset__element--inline")]')
    submit = one(form, './/button[@name="valider"]')
    assert submit.get("type") == "submit" and classes(submit) == {"fr-btn"}
    back = one(form, './/button[@name="retour"]')
    assert back.get("type") == "button" and classes(back) == {"fr-btn", "fr-btn--secondary"}
    draft = one(form, './/button[@name="brouillon"]')
    assert classes(draft) == {"fr-btn", "fr-btn--tertiary"}
    assert "fr-btns-group" in classes(submit.getparent())
    assert_every_control_labelled(doc)
    assert_unique_ids(doc)


def test_crispy_tag_shows_errors_and_helper_inputs():
    form = LayoutForm(INVALID)
    form.helper.layout = Layout("title", "tags")
    form.helper.add_input(Submit("envoyer", "Envoyer"))
    form.is_valid()
    doc = parse(render("{% load crispy_forms_tags %}{% crispy form %}", form=form))
    assert "Erreur d’ensemble du formulaire" in one(doc, '//*[@role="alert"]').text_content()
    assert doc.xpath('//fieldset[@id="div_id_tags"][contains(@class, "fr-fieldset--error")]')
    assert classes(one(doc, '//button[@name="envoyer"]')) == {"fr-btn"}


def test_single_field_filters_and_tag():
    form = PackForm(INVALID)
    form.is_valid()
    doc = parse(render("{% load crispy_forms_tags %}{{ form.email|as_crispy_field }}", form=form))
    assert "fr-input-group--error" in classes(one(doc, '//*[@id="div_id_email"]'))
    assert one(doc, '//*[@id="id_email_error"]/p').text_content() == str(form.errors["email"][0])
    doc = parse(
        render("{% load crispy_forms_field %}{% crispy_field form.kind %}", form=PackForm())
    )
    assert "fr-select" in classes(one(doc, '//select[@id="id_kind"]'))


def test_formset_renders_every_form_and_its_management_form():
    formset = forms.formset_factory(PackForm, extra=2)(prefix="lot")
    helper = FormHelper()
    helper.form_tag = True
    doc = parse(
        render(
            "{% load crispy_forms_tags %}{% crispy formset helper %}",
            formset=formset,
            helper=helper,
        )
    )
    assert one(doc, '//input[@name="lot-TOTAL_FORMS"]').get("value") == "2"
    assert doc.xpath('//*[@id="div_id_lot-1-title"][contains(@class, "fr-input-group")]')
    assert_every_control_labelled(doc)
    assert_unique_ids(doc)
