"""Incidents by e-mail (Creuse): the school, UAI, reporter and the portal reference in the subject."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from . import PermanentError, TransientError


def _refusal(exc) -> tuple:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return code, text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        return exc.smtp_code, text.decode(errors="replace") if isinstance(text, bytes) else text
    return None, str(exc)


class EmailTransport:
    def __init__(self, channel):
        self.channel = channel

    def message(self, ticket) -> EmailMessage:
        school = ticket.establishment
        reporter = ticket.reporter
        lines = [
            f"Référence du portail : {ticket.reference}",
            f"Établissement : {school.name} (UAI {school.uai})",
            f"Signalé par : {reporter.get_full_name() or reporter.email} <{reporter.email}>",
            f"Catégorie : {ticket.category}",
            f"Urgence : {ticket.get_urgency_display()}",
            f"Salle : {ticket.room or '—'}",
            f"Matériel : {ticket.equipment or '—'}",
            "",
            ticket.title,
            "",
            ticket.description,
            "",
            "Merci de conserver la référence dans l'objet de votre réponse.",
        ]
        mail = EmailMessage(
            subject=f"[{ticket.reference}] {ticket.title} — {school.name} ({school.uai})",
            body="\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.channel.email_to],
            reply_to=[reporter.email],
        )
        for attachment in ticket.attachments.all():
            with attachment.file.open("rb") as f:
                mail.attach(attachment.original_name, f.read(), attachment.content_type)
        return mail

    def followup_message(self, followup) -> EmailMessage:
        """A reply to the incident's e-mail: the same reference in the subject."""
        ticket, school, author = followup.ticket, followup.ticket.establishment, followup.author
        lines = [
            f"Référence du portail : {ticket.reference}",
            f"Établissement : {school.name} (UAI {school.uai})",
            f"Suivi ajouté par : {author.get_full_name() or author.email} <{author.email}>",
            "",
            followup.content,
            "",
            "Merci de conserver la référence dans l'objet de votre réponse.",
        ]
        return EmailMessage(
            subject=f"Re: [{ticket.reference}] {ticket.title} — {school.name} ({school.uai})",
            body="\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.channel.email_to],
            reply_to=[author.email],
        )

    def send(self, *, delivery) -> str:
        """Sends the message; the reference of an e-mail is the portal's own."""
        self._send(self.message(delivery.ticket))
        return delivery.ticket.reference

    def send_followup(self, *, delivery) -> str:
        self._send(self.followup_message(delivery.followup))
        return delivery.followup.reference

    def _send(self, message) -> None:
        if not self.channel.email_to:
            raise PermanentError(f"Le canal « {self.channel} » n'a pas d'adresse de courriel.")
        try:
            connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
            connection.send_messages([message])
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as exc:
            code, text = _refusal(exc)
            message = f"Le serveur de courriel a refusé le message ({code} {text})."
            if code and 500 <= code < 600:
                raise PermanentError(message) from exc
            raise TransientError(message) from exc
        except (smtplib.SMTPException, OSError) as exc:  # OSError: refused, timeout
            raise TransientError(f"Serveur de courriel injoignable ({exc}).") from exc
