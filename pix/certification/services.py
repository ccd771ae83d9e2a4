"""Writes of the certification part: a session is created, changed or deleted, each audited.

The checks are made here as well as in the form: a refused session changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from rrupn.access.capabilities import roles_grant
from rrupn.audit.services import audit_record

from ..crcn import SCORE_BANDS
from ..models import CertificationLevel, CertificationSession
from .selectors import certification_division_ids, level_label

BAND_KEYS = [key for key, _label, _low, _high in SCORE_BANDS]


class CertificationError(Exception):
    """A refused change; the message is shown to the user as is."""


@dataclass
class SessionData:
    level: str
    date: datetime.date
    room: str = ""
    divisions: list = field(default_factory=list)
    candidates: int = 0
    certified: int | None = None
    score_bands: dict = field(default_factory=dict)  # band key → candidates


def check_counts(candidates: int, certified: int | None, score_bands: dict) -> list[str]:
    """The counts' consistency, as French messages (empty when consistent)."""
    errors = []
    if candidates < 1:
        errors.append(_("Indiquez au moins un candidat."))
    if certified is not None and certified > candidates:
        errors.append(
            _("Il y a %(certified)s certifiés pour %(candidates)s candidats : impossible.")
            % {"certified": certified, "candidates": candidates}
        )
    unknown = set(score_bands) - set(BAND_KEYS)
    if unknown or any(not isinstance(v, int) or v < 0 for v in score_bands.values()):
        errors.append(_("La répartition des scores contient une tranche inconnue."))
    elif sum(score_bands.values()) > candidates:
        errors.append(
            _(
                "La répartition des scores compte %(total)s candidats, plus que les "
                "%(candidates)s candidats de la session."
            )
            % {"total": sum(score_bands.values()), "candidates": candidates}
        )
    return errors


def check_date(day: datetime.date, school_year) -> str | None:
    if school_year.starts_on <= day <= school_year.ends_on:
        return None
    return _("La date doit être dans l'année scolaire %(year)s (du %(start)s au %(end)s).") % {
        "year": school_year.label,
        "start": school_year.starts_on.strftime("%d/%m/%Y"),
        "end": school_year.ends_on.strftime("%d/%m/%Y"),
    }


def check_divisions(establishment, school_year, level: str, divisions) -> str | None:
    allowed = set(certification_division_ids(establishment, school_year, level))
    wrong = sorted(d.code for d in divisions if d.pk not in allowed)
    if not wrong:
        return None
    return _("Classes qui ne sont pas des classes de %(level)s cette année : %(codes)s.") % {
        "level": level_label(level),
        "codes": ", ".join(wrong),
    }


def _check(establishment, school_year, roles, data: SessionData) -> None:
    if not roles_grant(roles, "pix.manage"):
        raise CertificationError(
            _("Seuls la direction et le RRUPN planifient les sessions de certification.")
        )
    if data.level not in CertificationLevel.values:
        raise CertificationError(_("Choisissez le niveau : 3e, terminale, CAP ou BTS."))
    errors = check_counts(data.candidates, data.certified, data.score_bands)
    for error in (
        check_date(data.date, school_year),
        check_divisions(establishment, school_year, data.level, data.divisions),
    ):
        if error:
            errors.append(error)
    if errors:
        raise CertificationError(" ".join(errors))


def snapshot(session: CertificationSession, divisions=None) -> dict:
    codes = divisions if divisions is not None else session.divisions.all()
    return {
        "niveau": session.level,
        "date": session.date.strftime("%d/%m/%Y"),
        "salle": session.room,
        "classes": sorted(d.code for d in codes),
        "candidats": session.candidates,
        "certifiés": session.certified,
        "répartition": dict(session.score_bands),
    }


def _fields(data: SessionData) -> dict:
    return {
        "level": data.level,
        "date": data.date,
        "room": data.room.strip(),
        "candidates": data.candidates,
        "certified": data.certified,
        "score_bands": {
            key: data.score_bands[key] for key in BAND_KEYS if data.score_bands.get(key)
        },
    }


@transaction.atomic
def session_create(
    *, establishment, school_year, user, roles, data: SessionData
) -> CertificationSession:
    _check(establishment, school_year, roles, data)
    session = CertificationSession.objects.create(
        establishment=establishment, school_year=school_year, **_fields(data)
    )
    session.divisions.set(data.divisions)
    audit_record(
        actor=user,
        action="pix.certification_session_created",
        obj=session,
        after=snapshot(session, data.divisions),
        summary=_("Session de certification Pix planifiée : %(session)s") % {"session": session},
    )
    return session


@transaction.atomic
def session_update(*, session, user, roles, data: SessionData) -> CertificationSession:
    _check(session.establishment, session.school_year, roles, data)
    before = snapshot(session)
    for name, value in _fields(data).items():
        setattr(session, name, value)
    session.save()
    session.divisions.set(data.divisions)
    audit_record(
        actor=user,
        action="pix.certification_session_changed",
        obj=session,
        before=before,
        after=snapshot(session, data.divisions),
        summary=_("Session de certification Pix modifiée : %(session)s") % {"session": session},
    )
    return session


@transaction.atomic
def session_delete(*, session, user, roles) -> None:
    if not roles_grant(roles, "pix.manage"):
        raise CertificationError(
            _("Seuls la direction et le RRUPN planifient les sessions de certification.")
        )
    audit_record(
        actor=user,
        action="pix.certification_session_deleted",
        obj=session,
        before=snapshot(session),
        summary=_("Session de certification Pix supprimée : %(session)s") % {"session": session},
    )
    session.delete()
