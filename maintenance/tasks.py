"""Celery's autodiscovery looks for `maintenance.tasks`: each part's tasks are imported from here."""

from .delivery.tasks import deliver, sweep_deliveries, sync_glpi_statuses

__all__ = ["deliver", "sweep_deliveries", "sync_glpi_statuses"]
