from django.urls import path

from . import views

app_name = "missions"

urlpatterns = [
    path("", views.letter_list, name="list"),
    path("nouvelle/", views.letter_create, name="create"),
    path("<int:pk>/", views.letter_detail, name="detail"),
    path("<int:pk>/modifier/", views.letter_edit, name="edit"),
    path("<int:pk>/pdf/", views.letter_pdf, name="pdf"),
    path("<int:pk>/pdf/relancer/", views.letter_pdf_retry, name="pdf_retry"),
    path("<int:pk>/<slug:action>/", views.letter_transition, name="transition"),
]
