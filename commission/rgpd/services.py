"""Writes on the RGPD register: create, update (refused when stale), delete — each audited."""

import datetime
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rrupn.access.capabilities import roles_grant
from rrupn.audit.services import audit_record

from ..models import ProcessingActivity


class RegisterError(Exception):
    """A refused change; the message is shown to the user as is."""


@dataclass
class ActivityData:
    name: str
    service: str
    purpose: str
    data_categories: str
    people_concerned: str
    recipients: str
    retention: str
    security_measures: str


def snapshot(activity: ProcessingActivity) -> dict:
    return {name: getattr(activity, name) for name in ActivityData.__dataclass_fields__}


def _check(establishment, roles, data: ActivityData, *, exclude_pk=None) -> None:
    if not roles_grant(roles, "commission.manage"):
        raise RegisterError(
            _("Seuls la direction et le RRUPN tiennent le registre des traitements.")
        )
    empty = [name for name, value in asdict(data).items() if not value.strip()]
    if empty:
        raise RegisterError(_("Toutes les rubriques du registre sont à renseigner."))
    same_name = ProcessingActivity.objects.filter(
        establishment=establishment, name__iexact=data.name.strip()
    ).exclude(pk=exclude_pk)
    if same_name.exists():
        raise RegisterError(
            _("Le registre contient déjà un traitement « %(name)s ».") % {"name": data.name.strip()}
        )


@transaction.atomic
def activity_create(*, establishment, user, roles, data: ActivityData) -> ProcessingActivity:
    _check(establishment, roles, data)
    activity = ProcessingActivity.objects.create(
        establishment=establishment, updated_by=user, **_stripped(data)
    )
    audit_record(
        actor=user,
        action="rgpd.activity_created",
        obj=activity,
        after=snapshot(activity),
        summary=f"Traitement ajouté au registre RGPD : {activity.name}",
    )
    return activity


@transaction.atomic
def activity_update(
    *, activity, user, roles, version: datetime.datetime | None, data: ActivityData
) -> ProcessingActivity:
    """`version` is the `updated_at` the form was drawn from: a change made in between by
    someone else refuses this one instead of silently overwriting it."""
    _check(activity.establishment, roles, data, exclude_pk=activity.pk)
    before = snapshot(activity)
    fields = _stripped(data)
    changed = ProcessingActivity.objects.filter(
        pk=activity.pk, establishment=activity.establishment, updated_at=version
    ).update(updated_at=timezone.now(), updated_by=user, **fields)
    if not changed:
        raise RegisterError(
            _(
                "Ce traitement a été modifié ou supprimé entre-temps : rechargez la page pour "
                "voir la version actuelle."
            )
        )
    activity.refresh_from_db()
    audit_record(
        actor=user,
        action="rgpd.activity_updated",
        obj=activity,
        before=before,
        after=snapshot(activity),
        summary=f"Traitement du registre RGPD modifié : {activity.name}",
    )
    return activity


@transaction.atomic
def activity_delete(*, activity, user, roles) -> None:
    if not roles_grant(roles, "commission.manage"):
        raise RegisterError(
            _("Seuls la direction et le RRUPN tiennent le registre des traitements.")
        )
    before = snapshot(activity)
    audit_record(
        actor=user,
        action="rgpd.activity_deleted",
        obj=activity,
        before=before,
        summary=f"Traitement retiré du registre RGPD : {activity.name}",
    )
    ProcessingActivity.objects.filter(pk=activity.pk).delete()


def _stripped(data: ActivityData) -> dict:
    return {name: value.strip() for name, value in asdict(data).items()}
