"""Incidents: report, forward, hand-off, level-1 (issue 6, part 2); the SRANE's per-collectivité
page (part 7)."""

from django.urls import path

from . import views

urlpatterns = [  # under /etablissement/<uai>/maintenance/
    path("incidents/", views.ticket_list, name="tickets_list"),
    path("incidents/signaler/", views.ticket_create, name="tickets_create"),
    path("incidents/droits-glpi/", views.glpi_right, name="tickets_glpi_right"),
    path("incidents/<int:ticket_id>/", views.ticket_detail, name="tickets_detail"),
    path("incidents/<int:ticket_id>/modifier/", views.ticket_edit, name="tickets_edit"),
    path("incidents/<int:ticket_id>/envoyer/", views.ticket_submit, name="tickets_submit"),
    path("incidents/<int:ticket_id>/transmettre/", views.ticket_forward, name="tickets_forward"),
    path("incidents/<int:ticket_id>/transmis/", views.ticket_mark_sent, name="tickets_mark_sent"),
    path("incidents/<int:ticket_id>/niveau-1/", views.ticket_level1, name="tickets_level1"),
    path("incidents/<int:ticket_id>/suivi/", views.ticket_followup, name="tickets_followup"),
    path("incidents/<int:ticket_id>/avancement/", views.ticket_progress, name="tickets_progress"),
    path(
        "incidents/<int:ticket_id>/pieces/<int:attachment_id>/",
        views.ticket_attachment,
        name="tickets_attachment",
    ),
]
srane_urlpatterns = [  # under /srane/maintenance/
    path("incidents/", views.srane_by_collectivite, name="tickets_by_collectivite"),
]
