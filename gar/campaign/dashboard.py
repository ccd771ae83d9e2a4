"""What the campaign adds to the three screens: two checklist items, the head's designations to
decide, and the SRANE's "Campagne GAR" column (progress, late schools)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rrupn.dashboard.registry import (
    ChecklistItem,
    InboxAction,
    InboxEntry,
    InboxSource,
    SraneColumn,
    Status,
    checklist,
    inbox,
    srane_columns,
)

from .selectors import (
    Progress,
    campaign_of,
    designation_counts,
    is_late,
    progress_by_establishment,
    subscription_counts,
    waiting_designations,
)


def _responsables_status(establishment, school_year) -> Status:
    counts = designation_counts([establishment.pk], school_year).get(establishment.pk, {})
    designated, proposed = counts.get("designated", 0), counts.get("proposed", 0)
    url = reverse("gar:campaign_responsables", args=[establishment.uai])
    if designated:
        text = ngettext("%(n)s désigné", "%(n)s désignés", designated) % {"n": designated}
    else:
        text = str(_("Aucun responsable désigné"))
    if proposed:
        text += " · " + ngettext(
            "%(n)s proposition en attente", "%(n)s propositions en attente", proposed
        ) % {"n": proposed}
    return Status(designated > 0, text, url)


def _assignments_status(establishment, school_year) -> Status:
    counts = subscription_counts([establishment.pk], school_year).get(establishment.pk, {})
    total, done = counts.get("total", 0), counts.get("done", 0)
    url = reverse("gar:campaign", args=[establishment.uai])
    if total == 0:
        return Status(None, str(_("Aucun abonnement saisi pour l'année")), url)
    campaign = campaign_of(school_year)
    text = str(_("%(done)s/%(total)s faites")) % {"done": done, "total": total}
    if done < total:
        day = campaign.due_on.strftime("%d/%m/%Y")
        if timezone.localdate() > campaign.due_on:
            text += " · " + str(_("en retard (date limite le %(day)s)")) % {"day": day}
        else:
            text += " · " + str(_("date limite le %(day)s")) % {"day": day}
    return Status(done == total, text, url)


def _decide_url(establishment, designation) -> str:
    return reverse("gar:campaign_decide", args=[establishment.uai, designation.pk])


def _inbox_entries(establishment, school_year, user) -> list[InboxEntry]:
    url = reverse("gar:campaign_responsables", args=[establishment.uai])
    return [
        InboxEntry(
            title=str(_("Responsable d'affectation GAR proposé : %(name)s"))
            % {"name": designation.user},
            detail=str(_("Se propose lui-même"))
            if designation.proposed_by_id == designation.user_id
            else str(_("Proposé par %(name)s")) % {"name": designation.proposed_by},
            url=f"{url}#designation-{designation.pk}",
            waiting_since=designation.created_at,
            approve=InboxAction(
                url=_decide_url(establishment, designation),
                data=((f"d{designation.pk}-decision", "accepter"),),
                comment_name=f"d{designation.pk}-comment",
                capability="gar.designate",
            ),
            send_back=InboxAction(
                url=_decide_url(establishment, designation),
                data=((f"d{designation.pk}-decision", "refuser"),),
                comment_name=f"d{designation.pk}-comment",
                capability="gar.designate",
                label=str(_("Refuser avec ce commentaire")),
            ),
        )
        for designation in waiting_designations(establishment, school_year)
    ]


def campaign_status(progress: Progress, late: bool, url: str = "") -> Status:
    if progress.total:
        text = f"{progress.percent} % ({progress.done}/{progress.total})"
    else:
        text = str(_("aucun abonnement saisi"))
    if not progress.designated:
        text += " · " + str(_("aucun responsable désigné"))
    if late:
        return Status(False, str(_("En retard : %(text)s")) % {"text": text}, url)
    return Status(True if progress.complete else None, text, url)


def _srane_column(establishments, school_year) -> dict[int, Status]:
    campaign = campaign_of(school_year)
    progress = progress_by_establishment([est.pk for est in establishments], school_year)
    page = reverse("gar_srane:campaign")
    return {
        est.pk: campaign_status(
            progress[est.pk],
            is_late(campaign, progress[est.pk]),
            f"{page}?departement={est.department}#etablissement-{est.uai}",
        )
        for est in establishments
    }


checklist.register(
    ChecklistItem(
        key="gar_responsables",
        label=_("Responsables d'affectation GAR désignés"),
        order=30,
        status=_responsables_status,
        action=_("Désigner les responsables"),
    )
)
checklist.register(
    ChecklistItem(
        key="gar_assignments_done",
        label=_("Affectations GAR faites"),
        order=31,
        status=_assignments_status,
        action=_("Marquer les affectations faites"),
        # The date the SRANE sets on the GAR campaign (or its default), not a second one.
        deadline=lambda school_year: campaign_of(school_year).due_on,
    )
)
inbox.register(
    InboxSource(
        key="gar_designations",
        label=_("Désignations de responsables d'affectation GAR"),
        order=30,
        entries=_inbox_entries,
    )
)
srane_columns.register(
    SraneColumn(key="gar_campaign", label=_("Campagne GAR"), order=30, values=_srane_column)
)
