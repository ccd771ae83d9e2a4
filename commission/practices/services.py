"""Writes on remarkable practices: record, edit, share with the SRANE or stop sharing.

Sharing is a conditional UPDATE on shared_at: sharing twice (two tabs, a double click) records
one share, and stopping a share that is already stopped changes nothing.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commission.capabilities import PILOTS
from commission.models import RemarkablePractice
from rrupn.audit.services import audit_record

from .selectors import staff_of


class PracticeError(Exception):
    """A refused action; the message is shown to the user as is."""


@dataclass
class PracticeData:
    title: str
    discipline: str
    level: str
    description: str
    tools: str
    author: object


def _check(*, establishment, school_year, roles, data: PracticeData) -> None:
    if not PILOTS & set(roles):
        raise PracticeError(
            _("Seuls le RRUPN et l'équipe de direction enregistrent les pratiques remarquables.")
        )
    for value, message in (
        (data.title, _("Donnez un titre à la pratique.")),
        (data.discipline, _("Indiquez la discipline.")),
        (data.level, _("Indiquez le niveau (par exemple 5e, 2nde).")),
        (data.description, _("Décrivez la pratique.")),
    ):
        if not value.strip():
            raise PracticeError(message)
    if not staff_of(establishment, school_year).filter(pk=data.author.pk).exists():
        raise PracticeError(
            _("%(author)s ne fait pas partie du personnel de l'établissement.")
            % {"author": data.author}
        )


def _fields(data: PracticeData) -> dict:
    return {
        "title": data.title.strip(),
        "discipline": data.discipline.strip(),
        "level": data.level.strip(),
        "description": data.description.strip(),
        "tools": data.tools.strip(),
        "author": data.author,
    }


def _snapshot(practice) -> dict:
    return {
        "titre": practice.title,
        "discipline": practice.discipline,
        "niveau": practice.level,
        "auteur": str(practice.author),
        "partagée": practice.shared_at is not None,
    }


@transaction.atomic
def practice_create(*, establishment, school_year, user, roles, data: PracticeData):
    _check(establishment=establishment, school_year=school_year, roles=roles, data=data)
    practice = RemarkablePractice.objects.create(
        establishment=establishment, school_year=school_year, **_fields(data)
    )
    audit_record(
        actor=user,
        action="practice.created",
        obj=practice,
        after=_snapshot(practice),
        summary=f"Pratique remarquable enregistrée : {practice.title}",
    )
    return practice


@transaction.atomic
def practice_update(*, practice, user, roles, data: PracticeData):
    _check(
        establishment=practice.establishment,
        school_year=practice.school_year,
        roles=roles,
        data=data,
    )
    before = _snapshot(practice)
    for name, value in _fields(data).items():
        setattr(practice, name, value)
    practice.save(update_fields=[*_fields(data)])
    audit_record(
        actor=user,
        action="practice.updated",
        obj=practice,
        before=before,
        after=_snapshot(practice),
        summary=f"Pratique remarquable modifiée : {practice.title}",
    )
    return practice


def _set_shared(*, practice, user, roles, share: bool):
    if not PILOTS & set(roles):
        raise PracticeError(_("Seuls le RRUPN et l'équipe de direction partagent avec le SRANE."))
    before = _snapshot(practice)
    updated = RemarkablePractice.objects.filter(pk=practice.pk, shared_at__isnull=share).update(
        shared_at=timezone.now() if share else None
    )
    if not updated:
        raise PracticeError(
            _("Cette pratique est déjà partagée avec le SRANE.")
            if share
            else _("Cette pratique n'est pas partagée avec le SRANE.")
        )
    practice.refresh_from_db()
    audit_record(
        actor=user,
        action="practice.shared" if share else "practice.unshared",
        obj=practice,
        before=before,
        after=_snapshot(practice),
        summary=(
            f"Pratique partagée avec le SRANE : {practice.title}"
            if share
            else f"Pratique retirée du partage avec le SRANE : {practice.title}"
        ),
    )
    return practice


@transaction.atomic
def practice_share(*, practice, user, roles):
    return _set_shared(practice=practice, user=user, roles=roles, share=True)


@transaction.atomic
def practice_unshare(*, practice, user, roles):
    return _set_shared(practice=practice, user=user, roles=roles, share=False)
