"""The GAR pages, one module per part (subscriptions, assignments, campaign)."""

from importlib import import_module

from .apps import PARTS

app_name = "gar"

urlpatterns = [p for part in PARTS for p in import_module(f"gar.{part}.urls").urlpatterns]
