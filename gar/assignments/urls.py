"""Assignments (affectations) of the year's subscriptions (issue 5, part 4)."""

from django.urls import path

from . import views

urlpatterns = [  # under /etablissement/<uai>/gar/
    path("affectations/", views.assignment_list, name="assignments_list"),
    path(
        "affectations/copier-annee-precedente/",
        views.assignment_copy,
        name="assignments_copy",
    ),
    path(
        "affectations/<int:subscription_id>/",
        views.assignment_detail,
        name="assignments_detail",
    ),
    path(
        "affectations/<int:subscription_id>/classes/",
        views.assign_divisions,
        name="assignments_divisions",
    ),
    path(
        "affectations/<int:subscription_id>/enseignants/",
        views.assign_teachers,
        name="assignments_teachers",
    ),
    path(
        "affectations/<int:subscription_id>/etablissement/",
        views.assign_establishment,
        name="assignments_establishment",
    ),
    path(
        "affectations/<int:subscription_id>/retirer/<int:assignment_id>/",
        views.assignment_remove,
        name="assignments_remove",
    ),
]
srane_urlpatterns: list = []  # under /srane/gar/
