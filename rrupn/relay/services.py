"""Writes of the relay: publish, change, withdraw an announcement (audited), mark it read."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rrupn.audit.services import audit_record
from rrupn.establishments.models import Department, SchoolYear
from rrupn.notifications.emails import notify

from . import selectors
from .models import Announcement, AnnouncementRead


class RelayError(Exception):
    """A refused change, with a French message for the person."""


@dataclass(frozen=True)
class AnnouncementData:
    title: str
    body: str
    kind: str
    link_url: str
    department: str  # "": the whole académie
    publish_on: datetime.date
    expires_on: datetime.date | None


def _snapshot(announcement) -> dict:
    return {
        "title": announcement.title,
        "kind": announcement.kind,
        "link_url": announcement.link_url,
        "department": announcement.department,
        "published_at": announcement.published_at.isoformat(),
        "expires_on": announcement.expires_on.isoformat() if announcement.expires_on else "",
        "archived_at": announcement.archived_at.isoformat() if announcement.archived_at else "",
    }


def check_scope(access, department: str) -> None:
    """A département SRANE publishes to its own département only; the académie SRANE to all
    the RRUPN or to any département."""
    if department and department not in Department.values:
        raise RelayError(_("Ce département n’existe pas dans l’académie."))
    if access.is_academie:
        return
    if not department or department not in access.srane_departments:
        raise RelayError(_("Vous ne pouvez publier que pour les RRUPN de votre département."))


def check_dates(publish_on, expires_on) -> None:
    if expires_on is not None and expires_on < publish_on:
        raise RelayError(
            _("La date de fin d’affichage ne peut pas précéder la date de publication.")
        )


def _published_at(publish_on: datetime.date, current=None) -> datetime.datetime:
    """Today (or the day it already had): keep the moment; another day: its first minute."""
    now = timezone.now()
    if current is not None and timezone.localdate(current) == publish_on:
        return current
    if publish_on == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.datetime.combine(publish_on, datetime.time.min))


def _check(access, data: AnnouncementData) -> None:
    if not data.title.strip() or not data.body.strip():
        raise RelayError(_("Le titre et le texte de l’annonce sont obligatoires."))
    check_scope(access, data.department)
    check_dates(data.publish_on, data.expires_on)


def announcement_publish(
    *, access, user, data: AnnouncementData, email: bool = False
) -> Announcement:
    """Create the announcement; with `email`, one e-mail per member of its audience, queued
    once the transaction has committed."""
    _check(access, data)
    with transaction.atomic():
        announcement = Announcement.objects.create(
            title=data.title.strip(),
            body=data.body.strip(),
            kind=data.kind,
            link_url=data.link_url,
            department=data.department,
            published_at=_published_at(data.publish_on),
            expires_on=data.expires_on,
            author=user,
        )
        audit_record(
            actor=user,
            action="relay.published",
            obj=announcement,
            after=_snapshot(announcement),
            summary=_("Annonce publiée : %(title)s (%(audience)s)")
            % {"title": announcement.title, "audience": announcement.audience_label},
        )
        if email and announcement.published_at > timezone.now():
            # Scheduled: RRUPNs must not be told of what they cannot see yet.
            Announcement.objects.filter(pk=announcement.pk).update(email_pending=True)
            announcement.email_pending = True
        elif email:
            announcement_email(announcement=announcement, user=user)
    return announcement


def announcement_emails_due(*, now=None) -> int:
    """The e-mails of scheduled announcements whose publication has come; each claimed by a
    conditional update, so two runs never send the same one twice. Returns how many."""
    now = now or timezone.now()
    due = Announcement.objects.filter(
        email_pending=True, published_at__lte=now, archived_at__isnull=True
    ).select_related("author")
    sent = 0
    for announcement in due:
        with transaction.atomic():
            # Claimed only if still due: withdrawn or postponed since the query, it waits.
            claimed = Announcement.objects.filter(
                pk=announcement.pk,
                email_pending=True,
                published_at__lte=now,
                archived_at__isnull=True,
            ).update(email_pending=False)
            if claimed:
                announcement.refresh_from_db()
                announcement_email(announcement=announcement, user=announcement.author)
                sent += 1
    return sent


def announcement_email(*, announcement, user) -> int:
    """Queue one e-mail per audience member (after commit); return how many."""
    members = selectors.audience_members(announcement, SchoolYear.current())
    context = {
        "title": announcement.title,
        "body": announcement.body,
        "kind": str(announcement.get_kind_display()),
        "link_url": announcement.link_url,
        "audience": announcement.audience_label,
    }
    for member, establishment in members:
        notify(
            to=[member.email],
            name="relay_announcement",
            context={**context, "path": reverse("relay:list", args=[establishment.uai])},
        )
    Announcement.objects.filter(pk=announcement.pk).update(emailed_at=timezone.now())
    audit_record(
        actor=user,
        action="relay.emailed",
        obj=announcement,
        summary=_("Annonce envoyée par courriel à %(n)s RRUPN : %(title)s")
        % {"n": len(members), "title": announcement.title},
    )
    return len(members)


def announcement_update(*, announcement, access, user, data: AnnouncementData) -> Announcement:
    """Change an announcement the person manages (also its audience, within their scope)."""
    check_scope(access, announcement.department)  # the one it had
    _check(access, data)
    if announcement.archived_at:
        raise RelayError(_("Cette annonce est retirée : elle ne peut plus être modifiée."))
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        before = _snapshot(locked)
        locked.title = data.title.strip()
        locked.body = data.body.strip()
        locked.kind = data.kind
        locked.link_url = data.link_url
        locked.department = data.department
        locked.published_at = _published_at(data.publish_on, current=locked.published_at)
        locked.expires_on = data.expires_on
        locked.save()
        audit_record(
            actor=user,
            action="relay.changed",
            obj=locked,
            before=before,
            after=_snapshot(locked),
            summary=_("Annonce modifiée : %(title)s") % {"title": locked.title},
        )
    return locked


def announcement_archive(*, announcement, access, user) -> Announcement:
    """Withdraw an announcement: the RRUPN no longer see it; the SRANE keeps who read it."""
    check_scope(access, announcement.department)
    with transaction.atomic():
        now = timezone.now()
        changed = Announcement.objects.filter(pk=announcement.pk, archived_at__isnull=True).update(
            archived_at=now, archived_by=user
        )
        if not changed:
            raise RelayError(_("Cette annonce est déjà retirée."))
        announcement.refresh_from_db()
        audit_record(
            actor=user,
            action="relay.archived",
            obj=announcement,
            after=_snapshot(announcement),
            summary=_("Annonce retirée : %(title)s") % {"title": announcement.title},
        )
    return announcement


def announcement_mark_read(*, announcement, user) -> AnnouncementRead:
    """Idempotent: the first reading's time stays. Not audited: the read row is the record
    (who, when) and the SRANE's detail page shows it."""
    try:
        with transaction.atomic():
            read, _created = AnnouncementRead.objects.get_or_create(
                announcement=announcement, user=user
            )
    except IntegrityError:  # two clicks at once: the other one wrote it
        read = AnnouncementRead.objects.get(announcement=announcement, user=user)
    return read
