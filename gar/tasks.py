"""Celery's autodiscovery looks for `gar.tasks`: each part's tasks are imported from here."""

from .campaign.tasks import send_campaign_reminders

__all__ = ["send_campaign_reminders"]
