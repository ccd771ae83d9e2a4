"""E-mails when something of the maintenance app waits for a person (rrupn.notifications).

- a lycée incident waits in the head's inbox (the RRUPN has no rights on the Région's GLPI yet):
  to the direction (head, and the direction team who may forward it too);
- a delivery failed for good (bad credentials, refusal, or attempts exhausted): to the reporter
  and the school's RRUPN, who see "Échec — réessayer" on the ticket page;
- an equipment need awaits validation: to the direction.

Sent once the transaction commits (the task is transaction-aware); never to the person who
caused it. The context is plain text (JSON), rendered by templates/emails/maintenance_waiting.
"""

from django.urls import reverse

from rrupn.access.capabilities import DIRECTION
from rrupn.accounts.models import Role, RoleAssignment
from rrupn.notifications.emails import notify


def _emails(establishment, roles) -> list[str]:
    return sorted(
        RoleAssignment.objects.active()
        .filter(establishment=establishment, role__in=roles, user__is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )


def _send(to, *, actor=None, subject: str, message: str, establishment, path: str, link: str):
    skip = {actor.email} if actor is not None else set()
    notify(
        to=[address for address in to if address not in skip],
        name="maintenance_waiting",
        context={
            "subject": subject,
            "message": message,
            "establishment": f"{establishment.name} ({establishment.uai})",
            "path": path,
            "link": link,
        },
    )


def _ticket_path(ticket) -> str:
    return reverse("maintenance:tickets_detail", args=[ticket.establishment.uai, ticket.pk])


def ticket_awaiting_head(ticket, actor) -> None:
    _send(
        _emails(ticket.establishment, DIRECTION),
        actor=actor,
        subject=f"Incident {ticket.reference} à transmettre au GLPI de la Région",
        message=(
            f"L'incident {ticket.reference} « {ticket.title} » attend l'équipe de direction : "
            "le RRUPN n'a pas encore les droits sur le GLPI de la Région. Transmettez-le, ou "
            "notez que le RRUPN a reçu ces droits."
        ),
        establishment=ticket.establishment,
        path=_ticket_path(ticket),
        link="Voir l'incident",
    )


def delivery_failed(delivery, reason: str) -> None:
    ticket = delivery.ticket
    what = "Le suivi de l'incident" if delivery.followup_id else "L'incident"
    to = set(_emails(ticket.establishment, {Role.RRUPN}))
    to.add(ticket.reporter.email)
    if delivery.followup_id:
        to.add(delivery.followup.author.email)
    _send(
        sorted(to),
        subject=f"Échec de transmission de l'incident {ticket.reference}",
        message=(
            f"{what} {ticket.reference} « {ticket.title} » n'a pas pu être transmis à "
            f"{delivery.channel} : {reason} Une fois la cause corrigée, utilisez le bouton "
            "« Échec — réessayer » de la page de l'incident."
        ),
        establishment=ticket.establishment,
        path=_ticket_path(ticket),
        link="Voir l'incident",
    )


def equipment_awaiting(need, actor) -> None:
    _send(
        _emails(need.establishment, DIRECTION),
        actor=actor,
        subject=f"Besoin d'équipement à valider : {need.item}",
        message=(
            f"{actor} propose un besoin d'équipement pour la campagne {need.school_year.label} : "
            f"{need.item} × {need.quantity} (priorité {need.priority}). Validez-le ou refusez-le."
        ),
        establishment=need.establishment,
        path=reverse(
            "maintenance:equipment_detail",
            kwargs={"uai": need.establishment.uai, "equipment_need_id": need.pk},
        ),
        link="Voir le besoin",
    )
