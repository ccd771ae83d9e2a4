from celery import shared_task

from .services import campaign_send_due_reminders


@shared_task
def send_campaign_reminders() -> dict:
    """Daily (beat): remind the late schools of the GAR assignment campaign."""
    report = campaign_send_due_reminders()
    return {"sent": report.sent, "recent": report.recent, "unreachable": report.unreachable}
