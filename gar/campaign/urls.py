"""The start-of-year campaign and the responsables d'affectation (issue 5, parts 5 to 7)."""

from django.urls import path

from . import srane_views, views

urlpatterns = [  # under /etablissement/<uai>/gar/
    path("campagne/", views.campaign, name="campaign"),
    path("campagne/<int:subscription_id>/fait/", views.campaign_done, name="campaign_done"),
    path("responsables/", views.responsables, name="campaign_responsables"),
    path("responsables/designer/", views.designate, name="campaign_designate"),
    path("responsables/<int:designation_id>/decision/", views.decide, name="campaign_decide"),
    path("responsables/<int:designation_id>/retrait/", views.withdraw, name="campaign_withdraw"),
    path(
        "responsables/<int:designation_id>/fait-dans-ent/",
        views.ent_done,
        name="campaign_ent_done",
    ),
]
srane_urlpatterns = [  # under /srane/gar/
    path("campagne/", srane_views.campaign, name="campaign"),
    path("campagne/echeance/", srane_views.campaign_due_date, name="campaign_due_date"),
    path("campagne/relances/", srane_views.campaign_remind_late, name="campaign_remind_late"),
    path("campagne/<str:uai>/relance/", srane_views.campaign_remind, name="campaign_remind"),
]
