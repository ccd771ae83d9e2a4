"""The components page: every DSFR component and form state, under the portal's CSP rules."""

import re

import pytest
from django.urls import reverse

from tests.conftest import CSP_SCRIPT_RE

from .html import (
    assert_every_control_labelled,
    assert_unique_ids,
    classes,
    described_by,
    one,
    parse,
)

pytestmark = pytest.mark.django_db

STYLE_ATTRIBUTE_RE = re.compile(r"<[^>]*\sstyle\s*=", re.I)
COMPONENTS = [
    "fr-btn",
    "fr-btn--secondary",
    "fr-alert--success",
    "fr-alert--error",
    "fr-alert--warning",
    "fr-alert--info",
    "fr-badge--success",
    "fr-callout",
    "fr-table",
    "fr-tag",
    "fr-breadcrumb",
    "fr-pagination",
    "fr-summary",
]


@pytest.fixture
def components_page(client, persona_user):
    client.force_login(persona_user("teacher"))
    response = client.get(reverse("components"))
    assert response.status_code == 200
    return response


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("components"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_page_respects_the_csp(components_page):
    body = components_page.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", body, re.I)
    assert scripts, "the DSFR scripts are expected on the page"
    assert not CSP_SCRIPT_RE.search(body), CSP_SCRIPT_RE.findall(body)
    nonce = re.search(r"'nonce-([^']+)'", components_page.headers["Content-Security-Policy"]).group(
        1
    )
    assert all(f'nonce="{nonce}"' in script for script in scripts)
    assert not STYLE_ATTRIBUTE_RE.search(body)


def test_page_shows_every_component(components_page):
    doc = parse(components_page.content.decode())
    present = set().union(*(classes(element) for element in doc.xpath("//*[@class]")))
    assert set(COMPONENTS) <= present
    assert (
        one(doc, '//*[contains(@class, "fr-breadcrumb")]//a[@aria-current="page"]').text
        == "Composants"
    )
    assert_unique_ids(doc)
    assert_every_control_labelled(doc)


def test_demo_form_is_shown_empty_and_with_errors(components_page):
    doc = parse(components_page.content.decode())
    empty = one(doc, '//form[@id="formulaire-vide"]')
    assert not empty.xpath('.//*[contains(@class, "fr-error-text")]')
    widgets = {
        "text": './/input[@type="text"][contains(@class, "fr-input")]',
        "email": './/input[@type="email"]',
        "number": './/input[@type="number"]',
        "textarea": ".//textarea",
        "select": ".//select[not(@multiple)]",
        "select multiple": ".//select[@multiple]",
        "checkbox": './/div[contains(@class, "fr-checkbox-group")]/input[@type="checkbox"]',
        "checkbox group": './/fieldset[@role="group"]//input[@type="checkbox"]',
        "radio group": './/fieldset[@role="radiogroup"]//input[@type="radio"]',
        "date": './/input[@type="date"]',
        "file": './/div[contains(@class, "fr-upload-group")]/input[@type="file"]',
        "fieldset": './fieldset[contains(@class, "fr-fieldset")]/legend',
        "help text": './/span[contains(@class, "fr-hint-text")]',
    }
    for name, xpath in widgets.items():
        assert empty.xpath(xpath), name

    with_errors = one(doc, '//form[@id="formulaire-erreurs"]')
    alert = one(with_errors, './/div[contains(@class, "fr-alert--error")]')
    assert "collège, soit le lycée" in alert.text_content()
    invalid = with_errors.xpath('.//*[@aria-invalid="true"][not(ancestor::fieldset[@role])]')
    assert len(invalid) == 6  # name, email, pupils, department, date, charter
    for control in invalid:
        errors = [t for t in described_by(doc, control) if t.xpath('.//p[@class="fr-error-text"]')]
        assert errors, control.get("id")
    for fieldset in with_errors.xpath('.//fieldset[contains(@class, "fr-fieldset--error")]'):
        assert fieldset.xpath("./legend") and described_by(doc, fieldset)
    assert len(with_errors.xpath('.//fieldset[contains(@class, "fr-fieldset--error")]')) == 2


def test_demo_form_really_validates(client, persona_user, tmp_path):
    client.force_login(persona_user("rrupn"))
    url = reverse("components")
    response = client.post(url, {"vide-name": "Atelier ENT"})
    assert response.status_code == 200
    doc = parse(response.content.decode())
    assert doc.xpath('//form[@id="formulaire-vide"]//*[@id="id_vide-email_error"]')

    valid = {
        "vide-name": "Atelier ENT",
        "vide-email": "rrupn@ac-limoges.fr",
        "vide-pupils": "24",
        "vide-department": "87",
        "vide-levels": ["6e", "5e"],
        "vide-uses": ["ent", "pix"],
        "vide-frequency": "hebdo",
        "vide-training_date": "2026-03-05",
        "vide-charter": "on",
    }
    response = client.post(url, valid, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Le formulaire de démonstration est valide." in response.content.decode()
