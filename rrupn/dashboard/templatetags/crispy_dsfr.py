"""Filters behind the crispy-forms DSFR pack (templates/crispy_dsfr/).

The pack's templates decide the markup around a field; these filters decide what goes on the
widget itself (DSFR class, error state, aria-describedby), which templates alone cannot
compose without mutating widgets in place.
"""

from django import forms, template
from django.utils.safestring import mark_safe

register = template.Library()

# Widget families → the DSFR group they render in.
CHECKBOX, CHECKBOXES, RADIOS, FILE, SELECT, INPUT = (
    "checkbox",
    "checkboxes",
    "radios",
    "file",
    "select",
    "input",
)


@register.filter
def dsfr_kind(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return CHECKBOXES
    if isinstance(widget, forms.RadioSelect):
        return RADIOS
    if isinstance(widget, forms.CheckboxInput):
        return CHECKBOX
    if isinstance(widget, forms.FileInput):
        return FILE
    if isinstance(widget, forms.Select):
        return SELECT
    return INPUT


def helptext_id(field) -> str:
    return f"{field.auto_id}_helptext"  # Django's own id for help text


def error_id(field) -> str:
    return f"{field.auto_id}_error"  # the id Django's BoundField.aria_describedby points to


@register.filter
def dsfr_error_id(field) -> str:
    return error_id(field)


@register.filter
def dsfr_helptext_id(field) -> str:
    return helptext_id(field)


@register.filter
def dsfr_describedby(field) -> str:
    """Ids that describe a field or a group: its help text, then its errors."""
    ids = []
    if field.help_text and field.auto_id:
        ids.append(helptext_id(field))
    if field.errors and field.auto_id:
        ids.append(error_id(field))
    return " ".join(ids)


GROUP_CLASS = {INPUT: "fr-input-group", SELECT: "fr-select-group", FILE: "fr-upload-group"}


@register.filter
def dsfr_group(field) -> str:
    return GROUP_CLASS.get(dsfr_kind(field), "fr-input-group")


WIDGET_CLASS = {INPUT: "fr-input", SELECT: "fr-select", FILE: "fr-upload"}
ERROR_CLASS = {INPUT: "fr-input--error"}


@register.filter
def dsfr_widget(field):
    """Render the widget of a single-control field with its DSFR class and ARIA links."""
    kind = dsfr_kind(field)
    widget = field.field.widget
    if isinstance(widget, forms.DateInput) and widget.input_type in ("text", "date"):
        # The browser's date picker wants ISO values (a localized 01/09/2026 shows an empty
        # field); DateField accepts ISO input in every locale. Also for attrs={"type": "date"}.
        widget.input_type = "date"
        widget.format = "%Y-%m-%d"
    classes = widget.attrs.get("class", "").split()
    for extra in (WIDGET_CLASS.get(kind), field.errors and ERROR_CLASS.get(kind)):
        if extra and extra not in classes:
            classes.append(extra)
    attrs = {}
    if classes:
        attrs["class"] = " ".join(classes)
    described = " ".join(
        part for part in (widget.attrs.get("aria-describedby"), dsfr_describedby(field)) if part
    )
    if described:
        attrs["aria-describedby"] = described  # Django adds aria-invalid itself
    return field.as_widget(attrs=attrs)


@register.filter
def dsfr_has_required(form) -> bool:
    return any(field.field.required for field in form if not field.is_hidden)


def bootstrap_free(classes: str) -> list[str]:
    """crispy's layout objects carry Bootstrap classes (btn, btn-primary, alert…); drop them."""
    return [
        c
        for c in classes.split()
        if c not in {"btn", "alert", "hidden"} and not c.startswith(("btn-", "alert-"))
    ]


@register.filter
def dsfr_own_classes(classes) -> str:
    return " ".join(bootstrap_free(classes or ""))


@register.filter
def dsfr_button_class(button) -> str:
    """Submit is the primary DSFR button; Button and Reset are secondary unless told otherwise."""
    own = bootstrap_free(button.field_classes)
    base = ["fr-btn"]
    if button.input_type != "submit" and not any(c.startswith("fr-btn--") for c in own):
        base.append("fr-btn--secondary")
    return " ".join(base + own)


@register.filter
def dsfr_strict_button_attrs(flat_attrs):
    """StrictButton renders its classes into flat_attrs, starting with Bootstrap's "btn"."""
    return mark_safe(str(flat_attrs).replace('class="btn', 'class="fr-btn', 1))
