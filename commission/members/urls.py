"""Commission, members, meetings and actions, under /etablissement/<uai>/commission/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("creer/", views.commission_create, name="commission_create"),
    path("membres/ajouter/", views.member_add, name="member_add"),
    path("membres/<int:member_id>/retirer/", views.member_remove, name="member_remove"),
    path("composition/soumettre/", views.composition_submit, name="composition_submit"),
    path("composition/valider/", views.composition_validate, name="composition_validate"),
    path("reunions/", views.meeting_list, name="meeting_list"),
    path("reunions/nouvelle/", views.meeting_create, name="meeting_create"),
    path("reunions/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("reunions/<int:meeting_id>/modifier/", views.meeting_edit, name="meeting_edit"),
    path(
        "reunions/<int:meeting_id>/presences/",
        views.meeting_attendance,
        name="meeting_attendance",
    ),
    path("reunions/<int:meeting_id>/compte-rendu/", views.meeting_minutes, name="meeting_minutes"),
    path("reunions/<int:meeting_id>/inviter/", views.meeting_invite, name="meeting_invite"),
    path(
        "reunions/<int:meeting_id>/actions/",
        views.meeting_action_create,
        name="meeting_action_create",
    ),
    path(
        "reunions/<int:meeting_id>/compte-rendu.pdf",
        views.meeting_minutes_pdf,
        name="meeting_minutes_pdf",
    ),
    path(
        "reunions/<int:meeting_id>/compte-rendu/exporter/",
        views.meeting_minutes_pdf_request,
        name="meeting_minutes_pdf_request",
    ),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:action_id>/etat/", views.action_status, name="action_status"),
]
srane_urlpatterns: list = []  # the SRANE sees figures only (dashboard columns), never names
