"""Importing a Pix Orga export: upload, preview, confirm (issue 7, part 3)."""

from django.urls import path

from . import views

urlpatterns = [  # under /etablissement/<uai>/pix/
    path("import/", views.imports_upload, name="imports_upload"),
    path("import/<str:token>/", views.imports_preview, name="imports_preview"),
]
srane_urlpatterns = []
