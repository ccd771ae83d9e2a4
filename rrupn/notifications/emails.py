"""E-mails as template triplets: templates/emails/<name>/{subject.txt, body.txt, body.html}."""

import json

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string


def _render_plain(template_name: str, context: dict) -> str:
    # Plain text is not HTML: "Zoé & Léa" must not arrive as "Zoé &amp; Léa".
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    context = {"SITE_URL": settings.SITE_URL, **context}
    subject = _render_plain(f"emails/{name}/subject.txt", context)
    subject = " ".join(subject.split())  # one line, whatever the template did
    text = _render_plain(f"emails/{name}/body.txt", context)
    html = render_to_string(f"emails/{name}/body.html", context)
    return subject, text, html


def send_email_now(
    *, to: list[str], name: str, context: dict, attachments: list[dict] | None = None
) -> None:
    """Attachments: [{"filename": …, "content": text, "mimetype": "text/calendar"}]."""
    subject, text, html = render_email(name, context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    for attachment in attachments or ():
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    message.send()


def notify(
    *, to: list[str], name: str, context: dict, attachments: list[dict] | None = None
) -> None:
    """Queue an e-mail; it leaves after the current transaction commits.

    The context and the attachments (text, e.g. an .ics) must be JSON-serialisable: the worker
    renders and sends them. Checked here, because inline (eager) execution would hide a model
    instance that a real broker refuses.
    """
    from .tasks import send_email

    json.dumps([context, attachments])
    recipients = [address for address in to if address]
    if not recipients:
        return
    if attachments:  # without: the very message a worker of the previous release understands
        send_email.delay(to=recipients, name=name, context=context, attachments=attachments)
    else:
        send_email.delay(to=recipients, name=name, context=context)
