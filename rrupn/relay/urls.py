"""The RRUPN's pages, under /etablissement/<uai>/annonces/."""

from django.urls import path

from . import views

app_name = "relay"

urlpatterns = [
    path("", views.rrupn_list, name="list"),
    path("<int:announcement_id>/lu/", views.mark_read, name="mark_read"),
]
