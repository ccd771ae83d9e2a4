from importlib import import_module

from .apps import PARTS

app_name = "maintenance"

urlpatterns = [p for part in PARTS for p in import_module(f"maintenance.{part}.urls").urlpatterns]
