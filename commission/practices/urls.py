"""Remarkable practices of a school and the SRANE's feed of shared ones (issue 4, part 6)."""

from django.urls import path

from . import views

urlpatterns = [  # under /etablissement/<uai>/commission/
    path("pratiques/", views.practice_list, name="practice_list"),
    path("pratiques/nouvelle/", views.practice_create, name="practice_create"),
    path("pratiques/<int:practice_id>/modifier/", views.practice_edit, name="practice_edit"),
    path("pratiques/<int:practice_id>/partager/", views.practice_share, name="practice_share"),
    path(
        "pratiques/<int:practice_id>/ne-plus-partager/",
        views.practice_unshare,
        name="practice_unshare",
    ),
]
srane_urlpatterns = [  # under /srane/commission/
    path("pratiques/", views.practice_feed, name="practice_feed"),
]
