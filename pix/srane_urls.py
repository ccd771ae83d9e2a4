from importlib import import_module

from .apps import PARTS

app_name = "pix_srane"

urlpatterns = [p for part in PARTS for p in import_module(f"pix.{part}.urls").srane_urlpatterns]
