from django.urls import path

from . import school_views, views

app_name = "dashboard"

urlpatterns = [
    path("etablissement/changer/", views.switch_establishment, name="switch"),
    path("etablissement/<str:uai>/", school_views.establishment_dashboard, name="establishment"),
    path("etablissement/<str:uai>/validations/", school_views.approval_inbox, name="inbox"),
    path("etablissement/<str:uai>/journal/", views.audit_log, name="audit_log"),
    path("srane/", views.srane_overview, name="srane_overview"),
    path("srane/etablissement/<str:uai>/", views.srane_establishment, name="srane_establishment"),
]
