from django.urls import path

from . import views

# under /etablissement/<uai>/commission/
urlpatterns = [
    path("projet/", views.project_page, name="project"),
    path("projet/axes/nouveau/", views.axis_create, name="project_axis_create"),
    path("projet/axes/<int:axis_id>/modifier/", views.axis_edit, name="project_axis_edit"),
    path(
        "projet/axes/<int:axis_id>/indicateurs/nouveau/",
        views.indicator_create,
        name="project_indicator_create",
    ),
    path(
        "projet/indicateurs/<int:indicator_id>/modifier/",
        views.indicator_edit,
        name="project_indicator_edit",
    ),
    path(
        "projet/indicateurs/<int:indicator_id>/valeurs/",
        views.value_add,
        name="project_values",
    ),
]
srane_urlpatterns: list = []  # under /srane/commission/
