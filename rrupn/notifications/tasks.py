from celery import shared_task

from .emails import send_email_now


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_email(*, to: list[str], name: str, context: dict, attachments=None) -> None:
    send_email_now(to=to, name=name, context=context, attachments=attachments)
