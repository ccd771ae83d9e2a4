"""Writes of the start-of-year campaign: the "done" mark, the SRANE's due date, the reminders.

Reminders go to the responsables of the schools that are late (past the due date with
subscriptions not done, or no responsable designated): designated responsables, else the RRUPN
and the head. Each sending is a CampaignReminder row. The periodic task sends at most one per
`reminder_every_days` per school; the SRANE may remind by hand, at most once a day per school.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gar.models import CampaignReminder, GarCampaign, GarSubscription, default_due_date
from rrupn.access.capabilities import roles_grant
from rrupn.audit.services import audit_record
from rrupn.establishments.models import Establishment, SchoolYear
from rrupn.notifications.emails import notify

from .selectors import (
    is_late,
    last_reminders,
    progress_by_establishment,
    reminder_recipients,
)

log = logging.getLogger(__name__)


class CampaignError(Exception):
    """A refused action; the message is shown to the user as is."""


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


# --- the "done" mark per subscription ---------------------------------------------------------


@transaction.atomic
def subscription_mark_done(*, subscription: GarSubscription, user, roles, done: bool):
    """Mark (or unmark) a subscription's assignments as done for this year's campaign."""
    if not roles_grant(roles, "gar.assign"):
        raise CampaignError(
            _("Seuls les responsables d'affectation marquent les affectations faites.")
        )
    before = {"fait": subscription.done_at is not None}
    if done:
        updated = GarSubscription.objects.filter(pk=subscription.pk, done_at__isnull=True).update(
            done_at=timezone.now(), done_by=user
        )
    else:
        updated = GarSubscription.objects.filter(pk=subscription.pk, done_at__isnull=False).update(
            done_at=None, done_by=None
        )
    if not updated:
        message = (
            _("« %(resource)s » est déjà marqué fait : rien n'a été modifié.")
            if done
            else _("« %(resource)s » est déjà à faire : rien n'a été modifié.")
        )
        raise CampaignError(message % {"resource": subscription.resource})
    subscription.refresh_from_db()
    audit_record(
        actor=user,
        action="gar.subscription.done" if done else "gar.subscription.undone",
        obj=subscription,
        before=before,
        after={"fait": done},
        summary=(
            f"Affectations faites : {subscription.resource}"
            if done
            else f"Affectations de nouveau à faire : {subscription.resource}"
        ),
    )
    return subscription


# --- the SRANE's due date ---------------------------------------------------------------------


def campaign_ensure(school_year) -> GarCampaign:
    campaign, _created = GarCampaign.objects.get_or_create(
        school_year=school_year, defaults={"due_on": default_due_date(school_year)}
    )
    return campaign


@transaction.atomic
def campaign_set_due_date(*, school_year, due_on, reminder_every_days: int, user, is_academie):
    if not is_academie:
        raise CampaignError(_("Seul le SRANE académique fixe la date limite de la campagne."))
    if not school_year.starts_on <= due_on <= school_year.ends_on:
        raise CampaignError(
            _(
                "La date limite doit tomber dans l'année scolaire %(label)s (du %(start)s au "
                "%(end)s)."
            )
            % {
                "label": school_year.label,
                "start": _day(school_year.starts_on),
                "end": _day(school_year.ends_on),
            }
        )
    if not 1 <= reminder_every_days <= 60:
        raise CampaignError(_("L'intervalle entre deux relances va de 1 à 60 jours."))
    campaign = campaign_ensure(school_year)
    campaign = GarCampaign.objects.select_for_update().get(pk=campaign.pk)
    before = {"date limite": _day(campaign.due_on), "relance (jours)": campaign.reminder_every_days}
    campaign.due_on = due_on
    campaign.reminder_every_days = reminder_every_days
    campaign.save(update_fields=["due_on", "reminder_every_days"])
    audit_record(
        actor=user,
        action="gar.campaign.due_date",
        obj=campaign,
        before=before,
        after={"date limite": _day(due_on), "relance (jours)": reminder_every_days},
        summary=f"Campagne GAR {school_year.label} : date limite au {_day(due_on)}",
    )
    return campaign


# --- reminders --------------------------------------------------------------------------------


@dataclass
class ReminderReport:
    sent: list[str] = field(default_factory=list)  # UAIs reminded
    recent: list[str] = field(default_factory=list)  # reminded too recently: skipped
    unreachable: list[str] = field(default_factory=list)  # nobody to write to


def _remind(*, school_year, establishments, user, min_days: int, today) -> ReminderReport:
    """Send one reminder to each school not reminded within `min_days` days."""
    report = ReminderReport()
    if not establishments:
        return report
    with transaction.atomic():
        campaign = campaign_ensure(school_year)
        # One sender at a time per campaign: the periodic task and a SRANE click never both
        # see "not reminded yet" for the same school.
        campaign = GarCampaign.objects.select_for_update().get(pk=campaign.pk)
        ids = [est.pk for est in establishments]
        last = last_reminders(campaign, ids)
        recipients = reminder_recipients(ids, school_year)
        progress = progress_by_establishment(ids, school_year)
        for est in establishments:
            sent_at = last.get(est.pk)
            if sent_at is not None and (today - timezone.localdate(sent_at)).days < min_days:
                report.recent.append(est.uai)
                continue
            if not recipients[est.pk]:
                report.unreachable.append(est.uai)
                continue
            reminder = CampaignReminder.objects.create(
                campaign=campaign, establishment=est, recipients=recipients[est.pk], sent_by=user
            )
            audit_record(
                actor=user,
                action="gar.campaign.reminder",
                obj=reminder,
                establishment=est,
                after={"destinataires": recipients[est.pk]},
                summary=f"Relance de la campagne d'affectation GAR {school_year.label}",
            )
            notify(
                to=recipients[est.pk],
                name="gar_reminder",
                context=_reminder_context(campaign, est, progress[est.pk], user, today),
            )
            report.sent.append(est.uai)
    return report


def _reminder_context(campaign, establishment, progress, user, today) -> dict:
    late_by = (today - campaign.due_on).days
    return {
        "establishment": establishment.name,
        "uai": establishment.uai,
        "year": campaign.school_year.label,
        "due_on": _day(campaign.due_on),
        "late_by": max(late_by, 0),
        "days_left": max(-late_by, 0),
        "done": progress.done,
        "total": progress.total,
        "designated": progress.designated,
        "sent_by": str(user) if user is not None else "",
        "path": reverse("gar:campaign", args=[establishment.uai]),
        "responsables_path": reverse("gar:campaign_responsables", args=[establishment.uai]),
    }


def late_establishments(establishments, school_year, today=None) -> list:
    establishments = list(establishments)
    today = today or timezone.localdate()
    campaign = campaign_ensure(school_year)
    progress = progress_by_establishment([est.pk for est in establishments], school_year)
    return [est for est in establishments if is_late(campaign, progress[est.pk], today)]


def campaign_send_due_reminders(*, today=None) -> ReminderReport:
    """The periodic task: every late school of the académie, once per reminder interval."""
    today = today or timezone.localdate()
    year = SchoolYear.objects.get_or_create(start_year=SchoolYear.start_year_for(today))[0]
    campaign = campaign_ensure(year)
    if today <= campaign.due_on:
        return ReminderReport()
    late = late_establishments(Establishment.objects.order_by("uai"), year, today)
    report = _remind(
        school_year=year,
        establishments=late,
        user=None,
        min_days=campaign.reminder_every_days,
        today=today,
    )
    log.info(
        "GAR campaign reminders: %d sent, %d reminded recently, %d without recipient",
        len(report.sent),
        len(report.recent),
        len(report.unreachable),
    )
    return report


def campaign_remind_late(*, school_year, establishments, user, today=None) -> ReminderReport:
    """The SRANE's button: every late school of its scope not reminded today."""
    today = today or timezone.localdate()
    late = late_establishments(establishments, school_year, today)
    return _remind(school_year=school_year, establishments=late, user=user, min_days=1, today=today)


def campaign_remind_school(*, school_year, establishment, user, today=None) -> CampaignReminder:
    """The SRANE reminds one school whose campaign is not finished (late or not yet)."""
    today = today or timezone.localdate()
    progress = progress_by_establishment([establishment.pk], school_year)[establishment.pk]
    if progress.complete:
        raise CampaignError(
            _("%(name)s a terminé sa campagne : pas de relance.") % {"name": establishment.name}
        )
    report = _remind(
        school_year=school_year,
        establishments=[establishment],
        user=user,
        min_days=1,
        today=today,
    )
    if report.recent:
        raise CampaignError(
            _("%(name)s a déjà été relancé aujourd'hui.") % {"name": establishment.name}
        )
    if report.unreachable:
        raise CampaignError(
            _(
                "%(name)s n'a ni responsable d'affectation, ni RRUPN, ni chef d'établissement "
                "connu du portail : personne à relancer."
            )
            % {"name": establishment.name}
        )
    return CampaignReminder.objects.filter(establishment=establishment).latest("sent_at")
