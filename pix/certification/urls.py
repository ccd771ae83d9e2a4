"""Certification sessions and the readiness of the classes (issue 7, part 6)."""

from django.urls import path

from . import views

urlpatterns = [  # under /etablissement/<uai>/pix/
    path("certification/", views.sessions, name="certification_sessions"),
    path("certification/ajouter/", views.session_create, name="certification_create"),
    path(
        "certification/<int:session_id>/modifier/",
        views.session_edit,
        name="certification_edit",
    ),
    path(
        "certification/<int:session_id>/supprimer/",
        views.session_delete,
        name="certification_delete",
    ),
    path("certification/preparation/", views.readiness, name="certification_readiness"),
]
srane_urlpatterns: list = []  # under /srane/pix/: the SRANE reads the overview's column
