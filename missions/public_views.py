"""The public verification page: anyone holding a printed letter checks it against the portal.

It answers only whether the code belongs to a signed letter version, and shows what identifies
that version (establishment, school year, parties, reference, state, approval dates): never
the tasks, the IMP or anything else the letter says.
"""

import re

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from rrupn.access import capabilities as caps

from .models import LetterState, MissionLetter

VERIFIABLE_STATES = (
    LetterState.SIGNED,
    LetterState.ACCEPTED,
    LetterState.ACTIVE,
    LetterState.ARCHIVED,
    LetterState.REPLACED,
)
CODE_FORMAT = re.compile(r"[A-Z0-9]{8,32}")


def normalize_code(raw: str) -> str:
    """As printed (grouped by dashes), typed in lower case or with spaces: the same code."""
    return re.sub(r"[\s\-]+", "", raw or "").upper()


def verifiable_letter(raw_code: str) -> MissionLetter | None:
    code = normalize_code(raw_code)
    if not CODE_FORMAT.fullmatch(code):
        return None
    return (
        MissionLetter.objects.select_related(
            "establishment", "school_year", "head", "rrupn", "amendment"
        )
        .filter(verification_code=code, state__in=VERIFIABLE_STATES)
        .first()
    )


def state_verdict(letter: MissionLetter) -> tuple[str, str]:
    """What the page says about the letter's state, and its DSFR tone (success when in force)."""
    if letter.state == LetterState.ACTIVE:
        return _("En vigueur"), "success"
    if letter.state == LetterState.ACCEPTED:
        return _("Acceptée par le RRUPN, en vigueur à partir du début de la mission"), "info"
    if letter.state == LetterState.SIGNED:
        return _(
            "Signée par le chef d’établissement, en attente d’acceptation par le RRUPN"
        ), "info"
    if letter.state == LetterState.REPLACED:
        amendment = getattr(letter, "amendment", None)
        if amendment is not None:
            return _(
                "Remplacée par un avenant (version %(version)s) : cette version n’est plus "
                "en vigueur"
            ) % {"version": amendment.version}, "warning"
        return _("Remplacée par un avenant : cette version n’est plus en vigueur"), "warning"
    return _("Archivée : l’année scolaire est terminée, la lettre n’est plus en vigueur"), "warning"


def _page(request, raw_code: str):
    context = {"code": raw_code, "letter": None, "not_found": ""}
    letter = verifiable_letter(raw_code)
    if letter is None:
        context["not_found"] = _("Ce code ne correspond à aucune lettre de mission.")
        return render(request, "missions/verify.html", context, status=404)
    state_label, tone = state_verdict(letter)
    context.update(letter=letter, state_label=state_label, tone=tone)
    return render(request, "missions/verify.html", context)


@caps.requires(caps.PUBLIC)
@require_GET
def verify(request):
    """/verifier/ : the form; with ?code=…, the answer."""
    raw_code = request.GET.get("code", "")
    if not raw_code.strip():
        return render(
            request, "missions/verify.html", {"code": "", "letter": None, "not_found": ""}
        )
    return _page(request, raw_code)


@caps.requires(caps.PUBLIC)
@require_GET
def verify_code(request, code):
    """/verifier/<code>/ : the link printed on the PDF."""
    return _page(request, code)
