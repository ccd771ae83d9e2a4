"""E-mails as template triplets: templates/emails/<name>/{subject.txt, body.txt, body.html}."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    context = {"SITE_URL": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{name}/subject.txt", context)
    subject = " ".join(subject.split())  # one line, whatever the template did
    text = render_to_string(f"emails/{name}/body.txt", context)
    html = render_to_string(f"emails/{name}/body.html", context)
    return subject, text, html


def send_email_now(*, to: list[str], name: str, context: dict) -> None:
    subject, text, html = render_email(name, context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    message.send()


def notify(*, to: list[str], name: str, context: dict) -> None:
    """Queue an e-mail; it leaves after the current transaction commits.

    The context must be JSON-serialisable (ids and strings): the worker renders it.
    """
    from .tasks import send_email

    recipients = [address for address in to if address]
    if recipients:
        send_email.delay(to=recipients, name=name, context=context)
