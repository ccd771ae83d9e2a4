from django.urls import path

from . import views

urlpatterns = [  # under /etablissement/<uai>/commission/
    path("rgpd/", views.rgpd_register, name="rgpd_register"),
    path("rgpd/imprimer/", views.rgpd_print, name="rgpd_print"),
    path("rgpd/ajouter/", views.rgpd_create, name="rgpd_create"),
    path("rgpd/<int:activity_id>/modifier/", views.rgpd_edit, name="rgpd_edit"),
    path("rgpd/<int:activity_id>/supprimer/", views.rgpd_delete, name="rgpd_delete"),
]
srane_urlpatterns: list = []  # under /srane/commission/
