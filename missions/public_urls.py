"""Public addresses of the mission letters (no login): the verification of a printed letter."""

from django.urls import path

from . import public_views

app_name = "verification"

urlpatterns = [
    path("", public_views.verify, name="form"),
    path("<str:code>/", public_views.verify_code, name="code"),
]
