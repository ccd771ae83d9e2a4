"""Follow-up of campaigns and classes, 6e attestations, teaching teams (issue 7, parts 4, 5, 7)."""

from django.urls import path

from . import srane_views, views

urlpatterns = [  # under /etablissement/<uai>/pix/
    path("suivi/campagne/<int:campaign_id>/", views.followup_campaign, name="followup_campaign"),
    path(
        "suivi/campagne/<int:campaign_id>/eleves.csv",
        views.followup_campaign_export,
        name="followup_campaign_export",
    ),
    path("suivi/classes/", views.followup_divisions, name="followup_divisions"),
    path("suivi/classes/<str:code>/", views.followup_division, name="followup_division"),
    path("suivi/6e/", views.followup_sixth, name="followup_sixth"),
    path("suivi/equipes/", views.followup_teams, name="followup_teams"),
    path("suivi/equipes/<int:division_id>/", views.followup_team_edit, name="followup_team_edit"),
]
srane_urlpatterns = [  # under /srane/pix/
    path("", srane_views.overview, name="overview"),
]
