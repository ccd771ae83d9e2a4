from celery import shared_task

from . import services


@shared_task
def deliver(delivery_id: int) -> str:
    return services.delivery_send(delivery_id)


@shared_task
def sweep_deliveries() -> int:
    return len(services.deliveries_sweep())


@shared_task
def sync_glpi_statuses() -> int:
    return services.glpi_status_sync()
