"""Classes and groups of an establishment (shared core: GAR assignments and Pix use them)."""

from django.urls import path

from . import views

app_name = "divisions"

urlpatterns = [  # under /etablissement/<uai>/classes/
    path("", views.division_list, name="list"),
    path("ajouter/", views.division_create, name="create"),
    path("importer/", views.division_import, name="import"),
    path("<int:division_id>/modifier/", views.division_edit, name="edit"),
]
