"""Settings of the delivery-worker test: production settings (tests/missions/worker_settings.py)
with a "sending" row taken back after 2 s instead of 15 min, so the SIGKILL test need not wait."""

from tests.missions.worker_settings import *  # noqa: F403

MAINTENANCE_STUCK_AFTER = 2
