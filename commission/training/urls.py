from django.urls import path

from . import views

# under /etablissement/<uai>/commission/
urlpatterns = [
    path("formation/", views.training_page, name="training"),
    path("formation/besoins/nouveau/", views.need_create, name="training_need_create"),
    path("formation/besoins/<int:need_id>/modifier/", views.need_edit, name="training_need_edit"),
    path("formation/actions/nouvelle/", views.action_create, name="training_action_create"),
    path(
        "formation/actions/<int:training_action_id>/modifier/",
        views.action_edit,
        name="training_action_edit",
    ),
]
# under /srane/commission/
srane_urlpatterns = [
    path("formation/besoins/", views.srane_needs, name="training_needs"),
]
