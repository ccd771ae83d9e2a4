"""The SRANE's commission pages (practices feed, training needs across schools…)."""

from importlib import import_module

from .apps import PARTS

app_name = "commission_srane"

urlpatterns = [
    pattern
    for part in PARTS
    for pattern in import_module(f"commission.{part}.urls").srane_urlpatterns
]
