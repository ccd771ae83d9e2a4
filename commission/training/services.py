"""Writes on training: needs gathered in the school and the actions that answer them."""

from dataclasses import dataclass, fields

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rrupn.audit.services import audit_record

from ..models import TrainingAction, TrainingKind, TrainingNeed


class TrainingError(Exception):
    """A refused write; the message is shown to the user as is."""


@dataclass
class NeedData:
    topic: object
    audience: str
    staff_count: int
    priority: str
    origin: str
    detail: str = ""


@dataclass
class ActionData:
    kind: str
    topic: object
    title: str
    presenter: str = ""
    held_on: object = None
    duration_minutes: int = 30
    attendees: int | None = None
    need: object = None


def _values(data) -> dict:
    """The fields of a data object, model instances kept as they are (asdict copies them)."""
    return {f.name: getattr(data, f.name) for f in fields(data)}


def _need_facts(need) -> dict:
    return {
        "thème": str(need.topic),
        "public": need.audience,
        "personnels": need.staff_count,
        "priorité": need.priority,
        "origine": need.origin,
    }


def _need_check(data: NeedData) -> None:
    if data.staff_count is None or data.staff_count < 1:
        raise TrainingError(_("Le besoin doit concerner au moins une personne."))
    if not data.audience.strip():
        raise TrainingError(_("Précisez le public concerné."))


@transaction.atomic
def need_create(*, establishment, school_year, user, data: NeedData) -> TrainingNeed:
    _need_check(data)
    need = TrainingNeed.objects.create(
        establishment=establishment, school_year=school_year, created_by=user, **_values(data)
    )
    audit_record(
        actor=user,
        action="training.need_created",
        obj=need,
        after=_need_facts(need),
        summary=f"Besoin de formation recensé : {need.topic} ({need.staff_count} personnels)",
    )
    return need


@transaction.atomic
def need_update(*, need, user, data: NeedData) -> TrainingNeed:
    _need_check(data)
    before = _need_facts(need)
    for name, value in _values(data).items():
        setattr(need, name, value)
    need.save()
    audit_record(
        actor=user,
        action="training.need_updated",
        obj=need,
        before=before,
        after=_need_facts(need),
        summary=f"Besoin de formation modifié : {need.topic}",
    )
    return need


def _action_check(*, establishment, school_year, data: ActionData) -> None:
    if data.duration_minutes is None or data.duration_minutes < 1:
        raise TrainingError(_("La durée doit être d'au moins une minute."))
    if data.attendees is not None and data.attendees < 0:
        raise TrainingError(_("Le nombre de participants ne peut pas être négatif."))
    if data.kind == TrainingKind.CAFE:
        if data.held_on is None:
            raise TrainingError(_("Indiquez la date du café numérique."))
        if not data.presenter.strip():
            raise TrainingError(_("Indiquez qui anime le café numérique."))
    if data.attendees is not None and (data.held_on is None or data.held_on > timezone.localdate()):
        raise TrainingError(
            _(
                "Le nombre de participants se saisit une fois l'action tenue : laissez-le vide "
                "pour une action à venir ou sans date."
            )
        )
    need = data.need
    if need is not None:
        if need.establishment_id != establishment.pk or need.school_year_id != school_year.pk:
            raise TrainingError(_("Ce besoin n'appartient pas à l'établissement pour cette année."))
        if need.topic_id != data.topic.pk:
            raise TrainingError(
                _(
                    "Le besoin choisi porte sur le thème « %(topic)s » : choisissez le même thème ou "
                    "un autre besoin."
                )
                % {"topic": need.topic}
            )


def _action_facts(action) -> dict:
    return {
        "type": action.kind,
        "thème": str(action.topic),
        "intitulé": action.title,
        "date": action.held_on.strftime("%d/%m/%Y") if action.held_on else None,
        "participants": action.attendees,
        "besoin": action.need_id,
    }


@transaction.atomic
def action_create(*, establishment, school_year, user, data: ActionData) -> TrainingAction:
    _action_check(establishment=establishment, school_year=school_year, data=data)
    action = TrainingAction.objects.create(
        establishment=establishment,
        school_year=school_year,
        created_by=user,
        **{**_values(data), "title": data.title.strip(), "presenter": data.presenter.strip()},
    )
    audit_record(
        actor=user,
        action="training.action_created",
        obj=action,
        after=_action_facts(action),
        summary=f"{action.get_kind_display()} : « {action.title} »",
    )
    return action


@transaction.atomic
def action_update(*, action, user, data: ActionData) -> TrainingAction:
    _action_check(establishment=action.establishment, school_year=action.school_year, data=data)
    before = _action_facts(action)
    for name, value in _values(data).items():
        setattr(action, name, value.strip() if isinstance(value, str) else value)
    action.save()
    audit_record(
        actor=user,
        action="training.action_updated",
        obj=action,
        before=before,
        after=_action_facts(action),
        summary=f"{action.get_kind_display()} modifié(e) : « {action.title} »",
    )
    return action
