from celery import shared_task

from . import services


@shared_task
def send_due_announcement_emails() -> int:
    return services.announcement_emails_due()
