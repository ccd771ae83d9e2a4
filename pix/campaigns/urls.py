"""The Pix home page (the school's campaigns) and campaigns entered by hand (issue 7, part 2)."""

from django.urls import path

from . import views

urlpatterns = [  # under /etablissement/<uai>/pix/
    path("", views.campaigns_list, name="campaigns_list"),
    path("campagnes/nouvelle/", views.campaigns_create, name="campaigns_create"),
    path("campagnes/<int:campaign_id>/", views.campaigns_detail, name="campaigns_detail"),
    path("campagnes/<int:campaign_id>/modifier/", views.campaigns_edit, name="campaigns_edit"),
]
srane_urlpatterns = []
