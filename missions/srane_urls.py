from django.urls import path

from . import srane_views

app_name = "missions_srane"

urlpatterns = [
    path("exports/", srane_views.letter_exports, name="exports"),
    path("exports/<int:export_id>/etat/", srane_views.letter_export_status, name="export_status"),
    path(
        "exports/<int:export_id>/telecharger/",
        srane_views.letter_export_download,
        name="export_download",
    ),
]
