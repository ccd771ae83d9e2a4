from importlib import import_module

from .apps import PARTS

app_name = "gar_srane"

urlpatterns = [p for part in PARTS for p in import_module(f"gar.{part}.urls").srane_urlpatterns]
