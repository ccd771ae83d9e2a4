"""Equipment needs for the collectivité's yearly campaign, validation and export (issue 6, part 6)."""

from django.urls import path

from . import views

urlpatterns = [  # under /etablissement/<uai>/maintenance/
    path("equipement/", views.equipment_list, name="equipment_list"),
    path("equipement/proposer/", views.equipment_create, name="equipment_create"),
    path("equipement/<int:equipment_need_id>/", views.equipment_detail, name="equipment_detail"),
    path(
        "equipement/<int:equipment_need_id>/decision/",
        views.equipment_decide,
        name="equipment_decide",
    ),
    path("equipement/export.csv", views.equipment_export_csv, name="equipment_export_csv"),
    path("equipement/export.pdf", views.equipment_export_pdf, name="equipment_export_pdf"),
    path(
        "equipement/export-pdf/",
        views.equipment_export_pdf_request,
        name="equipment_export_pdf_request",
    ),
]
srane_urlpatterns: list = []  # under /srane/maintenance/
