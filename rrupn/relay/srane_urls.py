"""The SRANE's pages, under /srane/relais/, and the contacts page /srane/contacts/."""

from django.urls import path

from . import views

app_name = "relay_srane"

urlpatterns = [
    path("relais/", views.srane_list, name="list"),
    path("relais/nouvelle/", views.srane_create, name="create"),
    path("relais/<int:announcement_id>/", views.srane_detail, name="detail"),
    path("relais/<int:announcement_id>/modifier/", views.srane_edit, name="edit"),
    path("relais/<int:announcement_id>/retirer/", views.srane_archive, name="archive"),
    path("relais/<int:announcement_id>/lectures.csv", views.srane_reads_csv, name="reads_csv"),
    path("contacts/", views.contacts, name="contacts"),
]
