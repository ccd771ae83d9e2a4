import pytest
from django.core.exceptions import ValidationError

from rrupn.establishments.uai import is_valid_uai, uai_key, validate_uai


@pytest.mark.parametrize("uai", ["0870022B", "0190032G", "0230487E", "0190001Y"])
def test_real_uais_are_valid(uai):
    assert is_valid_uai(uai)
    validate_uai(uai)


def test_key_letter_is_checked():
    assert uai_key("0870022") == "B"
    with pytest.raises(ValidationError) as excinfo:
        validate_uai("0870022C")
    assert "lettre clé" in excinfo.value.messages[0]
    assert "attendue : B" in excinfo.value.messages[0]


@pytest.mark.parametrize("bad", ["", "087002B", "0870022b", "08700222", "A870022B", "0870022BB"])
def test_malformed_uai(bad):
    assert not is_valid_uai(bad)
    with pytest.raises(ValidationError):
        validate_uai(bad)
