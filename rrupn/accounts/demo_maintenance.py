"""Demo content of the maintenance pages: incidents in various states, one per channel kind, and
equipment needs.

Nothing leaves the machine at load time: no GLPI is called and no e-mail is sent. Transitions
that would send (a delivery to a GLPI or by e-mail, a notice to the head) are therefore written
as the states they lead to, with their history lines; the others go through the services.

- Maupassant (collège 87, GLPI of the Haute-Vienne): a ticket whose delivery failed because the
  head has not yet entered the school's GLPI user token (« Échec — réessayer »: a retry fails
  the same way, without any network call, until a token is set); a teacher's report waiting for
  the RRUPN; a level-1 fix; an académie network incident handed to AMÉRANA and marked as sent.
- Perrier (lycée 19): a ticket waiting for the head (the RRUPN has no rights on the Région's
  GLPI); a Lycée connecté problem to paste into the ENT's « Assistance ENT » (hand-off).
- Nadaud (collège 23, e-mail to the Creuse): a ticket sent by e-mail, with a followup.
- Equipment needs: at Maupassant one validated and one waiting for the head; at Perrier one
  waiting.

Each school's part is created only when it has no incident (no need) yet, so loading the demo
again adds nothing.
"""

import datetime

from django.utils import timezone

from maintenance.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    EquipmentNeed,
    EquipmentState,
    Followup,
    Ticket,
    TicketCategory,
    TicketStatus,
)
from maintenance.tickets import services as tickets
from maintenance.tickets.services import TicketData
from rrupn.audit.services import audit_record

from .models import Role, User

MAUPASSANT, PERRIER, NADAUD = "0870022B", "0190032G", "0230487E"  # as in demo.py
NO_TOKEN = (
    "Aucun jeton utilisateur GLPI pour cet établissement : le chef d'établissement doit le "
    "saisir (Maintenance → Identifiants GLPI)."
)


def demo_maintenance(establishments, year) -> None:
    people = {u.email: u for u in User.objects.filter(email__endswith="@ac-limoges.fr")}

    def person(name):
        return people[f"{name}@ac-limoges.fr"]

    _maupassant(
        establishments[MAUPASSANT],
        rrupn=person("camille.fauvette"),
        teacher=person("julie.rougegorge"),
    )
    _perrier(establishments[PERRIER], rrupn=person("hugo.bouvreuil"))
    _nadaud(establishments[NADAUD], rrupn=person("louis.pic"))
    _equipment(
        establishments[MAUPASSANT],
        year,
        rrupn=person("camille.fauvette"),
        head=person("henri.bergeronnette"),
    )
    _equipment(establishments[PERRIER], year, rrupn=person("hugo.bouvreuil"), head=None)


def _data(category: str, title: str, description: str, room="", equipment="", urgency="normal"):
    return TicketData(
        category=TicketCategory.objects.get(code=category),
        title=title,
        description=description,
        room=room,
        equipment=equipment,
        urgency=urgency,
    )


def _written(ticket, *, status, action: str, summary: str, actor=None, channel=None, **extra):
    """A state reached without sending anything, and its history line."""
    fields = {"status": status, **extra}
    if channel is not None:
        fields["channel"] = channel
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    ticket.refresh_from_db()
    audit_record(
        actor=actor,
        action=action,
        obj=ticket,
        establishment=ticket.establishment,
        summary=summary,
    )
    return ticket


def _draft(school, user, data):
    return tickets.ticket_report(
        establishment=school, user=user, roles={Role.RRUPN}, data=data, submit=False
    )


def _maupassant(school, *, rrupn, teacher) -> None:
    if Ticket.objects.filter(establishment=school).exists():
        return
    glpi = Channel.objects.get(code="glpi-cd87")
    failed = _draft(
        school,
        rrupn,
        _data(
            "video",
            "Vidéoprojecteur de la salle B12 : plus d'image",
            "L'image a disparu lundi ; la lampe clignote en orange.",
            room="B12",
            equipment="Epson EB-530",
            urgency="high",
        ),
    )
    _written(
        failed,
        status=TicketStatus.QUEUED,
        channel=glpi,
        actor=rrupn,
        action="ticket.submitted",
        summary=f"Incident {failed.reference} confié au canal {glpi}",
    )
    Delivery.objects.create(
        ticket=failed,
        channel=glpi,
        status=DeliveryStatus.FAILED,
        attempts=1,
        permanent_failure=True,
        last_error=NO_TOKEN,
    )
    _written(
        failed,
        status=TicketStatus.FAILED,
        action="maintenance.delivery.failed",
        summary=f"{failed.reference} : échec d'envoi — {NO_TOKEN}",
    )

    # A teacher's report waits for the RRUPN (routing only: nothing is sent).
    tickets.ticket_report(
        establishment=school,
        user=teacher,
        roles={Role.TEACHER},
        data=_data(
            "impression",
            "Le copieur de la salle des professeurs bourre",
            "Bourrage papier à chaque copie recto verso depuis ce matin.",
            room="Salle des professeurs",
        ),
        submit=True,
    )

    # Fixed by the RRUPN themselves (level-1 maintenance).
    fixed = _draft(
        school,
        rrupn,
        _data(
            "poste",
            "Poste 3 du CDI : session bloquée",
            "L'écran reste noir après la connexion.",
            room="CDI",
        ),
    )
    tickets.ticket_resolve_level1(
        ticket=fixed,
        user=rrupn,
        done_on=timezone.localdate() - datetime.timedelta(days=2),
        minutes_spent=20,
        note="Profil local recréé, session rétablie.",
    )

    # The académie network: a hand-off to AMÉRANA, marked as sent with its reference.
    network = tickets.ticket_report(
        establishment=school,
        user=rrupn,
        roles={Role.RRUPN},
        data=_data(
            "reseau-academique",
            "Messagerie académique inaccessible depuis l'établissement",
            "Délai dépassé à l'ouverture de la messagerie, depuis tous les postes.",
        ),
        submit=True,
    )
    tickets.ticket_mark_sent(ticket=network, user=rrupn, external_ref="AMERANA-2026-0412")


def _perrier(school, *, rrupn) -> None:
    if Ticket.objects.filter(establishment=school).exists():
        return
    region = Channel.objects.get(code="glpi-region")
    waiting = _draft(
        school,
        rrupn,
        _data(
            "reseau-etablissement",
            "Wifi du CDI coupé",
            "Plus aucun appareil ne se connecte au wifi du CDI depuis mardi.",
            room="CDI",
        ),
    )
    _written(
        waiting,
        status=TicketStatus.AWAITING_HEAD,
        channel=region,
        actor=rrupn,
        action="ticket.submitted",
        summary=(
            f"Incident {waiting.reference} pour {region} : en attente du chef "
            "d'établissement (le RRUPN n'a pas les droits GLPI de la Région)"
        ),
    )
    # Lycée connecté: a hand-off (the ENT's own assistance), waiting to be pasted there.
    tickets.ticket_report(
        establishment=school,
        user=rrupn,
        roles={Role.RRUPN},
        data=_data(
            "ent-lycee-connecte",
            "Cahier de textes de l'ENT : les pièces jointes ne s'ouvrent plus",
            "Les élèves de 1re obtiennent une page blanche en ouvrant une pièce jointe.",
        ),
        submit=True,
    )


def _nadaud(school, *, rrupn) -> None:
    if Ticket.objects.filter(establishment=school).exists():
        return
    creuse = Channel.objects.get(code="courriel-cd23")
    sent = _draft(
        school,
        rrupn,
        _data(
            "tablette",
            "Classe mobile : trois tablettes ne chargent plus",
            "Les tablettes 4, 7 et 11 restent à 0 % sur le chariot de charge.",
            room="Salle 12",
            equipment="Chariot de charge",
        ),
    )
    _written(
        sent,
        status=TicketStatus.QUEUED,
        channel=creuse,
        actor=rrupn,
        action="ticket.submitted",
        summary=f"Incident {sent.reference} confié au canal {creuse}",
    )
    now = timezone.now()
    Delivery.objects.create(
        ticket=sent,
        channel=creuse,
        status=DeliveryStatus.SENT,
        attempts=1,
        external_ref=sent.reference,
        sent_at=now,
    )
    _written(
        sent,
        status=TicketStatus.SENT,
        external_ref=sent.reference,
        action="maintenance.delivery.sent",
        summary=f"{sent.reference} transmis à {creuse} ({sent.reference})",
    )
    followup = Followup.objects.create(
        ticket=sent, author=rrupn, content="Le chariot a été rebranché sur une autre prise."
    )
    Delivery.objects.create(
        ticket=sent,
        followup=followup,
        channel=creuse,
        status=DeliveryStatus.SENT,
        attempts=1,
        external_ref=followup.reference,
        sent_at=now,
    )
    audit_record(
        actor=rrupn,
        action="ticket.followup",
        obj=sent,
        establishment=school,
        summary=f"Suivi ajouté, envoyé à {creuse}",
        comment=followup.content,
    )


def _equipment(school, year, *, rrupn, head) -> None:
    if EquipmentNeed.objects.filter(establishment=school, school_year=year).exists():
        return
    common = {"establishment": school, "school_year": year, "proposed_by": rrupn}
    if head is not None:
        validated = EquipmentNeed.objects.create(
            **common,
            item="Visualiseur USB",
            quantity=4,
            justification="Sciences et technologie : montrer les manipulations à la classe.",
            priority=1,
            state=EquipmentState.VALIDATED,
            decided_by=head,
            decided_at=timezone.now(),
        )
        audit_record(
            actor=head,
            action="equipment.validated",
            obj=validated,
            establishment=school,
            summary=f"Besoin d'équipement validé : {validated}",
        )
    waiting = EquipmentNeed.objects.create(
        **common,
        item="Casques audio pour le laboratoire de langues",
        quantity=15,
        justification="Compréhension orale en langues vivantes, un casque par poste.",
        priority=2,
    )
    audit_record(
        actor=rrupn,
        action="equipment.proposed",
        obj=waiting,
        establishment=school,
        summary=f"Besoin d'équipement proposé : {waiting}",
    )
