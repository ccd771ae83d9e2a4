"""How a pupil of an export is recognised across imports (formats/pix.md §3).

Pix exports no INE: a pupil is (last name, first name, class). Names are compared without case,
accents, apostrophe style or extra spaces, so "Hébrard  Manon" and "HEBRARD Manon" are the same
pupil; a re-import updates their row instead of adding one.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_DASHES = str.maketrans({"‐": "-", "‑": "-", "–": "-", "—": "-"})


def normalise(value: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name or class code."""
    value = unicodedata.normalize("NFKD", value or "")
    value = "".join(c for c in value if not unicodedata.combining(c))
    value = value.translate(_APOSTROPHES).translate(_DASHES).casefold()
    value = _SPACES.sub(" ", value).strip()
    return re.sub(r"\s*-\s*", "-", value)


def normalise_code(value: str) -> str:
    """A class code without case, accents or spaces: "3 a" is "3A"."""
    return normalise(value).replace(" ", "")


def match_key(last_name: str, first_name: str, division_code: str) -> str:
    """The key stored in Participation.match_key (unique per campaign)."""
    return "|".join([normalise(last_name), normalise(first_name), normalise_code(division_code)])
