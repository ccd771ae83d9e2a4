"""The Pix pages, one module per part (campaigns, imports, followup, certification)."""

from importlib import import_module

from .apps import PARTS

app_name = "pix"

urlpatterns = [p for part in PARTS for p in import_module(f"pix.{part}.urls").urlpatterns]
