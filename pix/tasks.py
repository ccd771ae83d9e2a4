"""Celery's autodiscovery looks for `pix.tasks`: the periodic purge of pupils' Pix rows."""

import logging

from celery import shared_task

from .followup.purge import purge_expired

logger = logging.getLogger(__name__)


@shared_task
def purge_expired_participations() -> int:
    """Delete the participations past `PIX_RETENTION_MONTHS` (beat: daily); audited per school."""
    counts = purge_expired()
    total = sum(school["participations"] for school in counts.values())
    if total:
        logger.info("Pix purge: %s participation(s) in %s school(s)", total, len(counts))
    return total
