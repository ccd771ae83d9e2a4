"""Settings of the reminder-worker test: tests/missions/worker_settings.py (production settings,
static files read where they lie) with the GAR reminders' beat entry ticking every second
instead of daily at 07:30, so a real beat sends the real entry's task during the test."""

from tests.missions.worker_settings import *  # noqa: F403
from tests.missions.worker_settings import CELERY_BEAT_SCHEDULE

CELERY_BEAT_SCHEDULE = {
    "gar-campaign-reminders": {**CELERY_BEAT_SCHEDULE["gar-campaign-reminders"], "schedule": 1.0}
}
