"""UAI (Unité Administrative Immatriculée): 7 digits and a key letter."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

KEY_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # 23 letters: no I, O, Q
UAI_RE = re.compile(r"^\d{7}[A-Z]$")


def uai_key(digits: str) -> str:
    return KEY_LETTERS[int(digits) % 23]


def is_valid_uai(value: str) -> bool:
    return bool(UAI_RE.match(value or "")) and value[7] == uai_key(value[:7])


def validate_uai(value: str) -> None:
    if not UAI_RE.match(value or ""):
        raise ValidationError(
            _("« %(value)s » n'est pas un UAI : 7 chiffres suivis d'une lettre majuscule."),
            code="uai_format",
            params={"value": value},
        )
    if value[7] != uai_key(value[:7]):
        raise ValidationError(
            _("La lettre clé de l'UAI « %(value)s » est incorrecte (attendue : %(key)s)."),
            code="uai_key",
            params={"value": value, "key": uai_key(value[:7])},
        )
