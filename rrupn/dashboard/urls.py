from django.urls import path

from . import school_views, srane_views, views

app_name = "dashboard"

urlpatterns = [
    path("etablissement/changer/", views.switch_establishment, name="switch"),
    path("etablissement/<str:uai>/", school_views.establishment_dashboard, name="establishment"),
    path("etablissement/<str:uai>/validations/", school_views.approval_inbox, name="inbox"),
    path("etablissement/<str:uai>/journal/", views.audit_log, name="audit_log"),
    path("srane/", srane_views.srane_overview, name="srane_overview"),
    path("srane/avancement/", srane_views.srane_progress, name="srane_progress"),
    path("srane/export.csv", srane_views.srane_export_csv, name="srane_export_csv"),
    path("srane/export.xlsx", srane_views.srane_export_xlsx, name="srane_export_xlsx"),
    path("srane/synthese/", srane_views.srane_summary, name="srane_summary"),
    path(
        "srane/synthese/produire/",
        srane_views.srane_summary_request,
        name="srane_summary_request",
    ),
    path(
        "srane/etablissement/<str:uai>/",
        srane_views.srane_establishment,
        name="srane_establishment",
    ),
]
