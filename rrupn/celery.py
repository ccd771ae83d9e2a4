"""Celery application and the task base every app uses.

Tasks are queued only once the surrounding transaction has committed: a worker must never
look for a row that is not yet visible (or that a rollback removed).
"""

import os

from celery import Celery, Task
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rrupn.settings")


class TransactionAwareTask(Task):
    """`.delay()` / `.apply_async()` wait for the current transaction to commit."""

    def apply_async(self, args=None, kwargs=None, **options):
        connection = transaction.get_connection()
        if connection.in_atomic_block:
            transaction.on_commit(
                lambda: super(TransactionAwareTask, self).apply_async(args, kwargs, **options)
            )
            return None
        return super().apply_async(args, kwargs, **options)


app = Celery("rrupn", task_cls=TransactionAwareTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
