"""Catalogue and subscriptions (issue 5, parts 1 and 2)."""

from django.urls import path

from . import views

urlpatterns = [  # under /etablissement/<uai>/gar/
    path("ressources/", views.catalogue, name="subscriptions_catalogue"),
    path("abonnements/", views.subscription_list, name="subscriptions_list"),
    path("abonnements/ajouter/", views.subscription_create, name="subscriptions_create"),
    path(
        "abonnements/<int:subscription_id>/modifier/",
        views.subscription_edit,
        name="subscriptions_edit",
    ),
    path("abonnements/importer/", views.subscription_import, name="subscriptions_import"),
    path(
        "abonnements/importer/modele.csv",
        views.import_sample,
        name="subscriptions_import_sample",
    ),
    path("abonnements/rapport/", views.report_import, name="subscriptions_report_import"),
]
srane_urlpatterns = [  # under /srane/gar/
    path("ressources/", views.srane_catalogue_page, name="subscriptions_catalogue"),
]
