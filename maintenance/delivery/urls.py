from django.urls import path

from . import srane_views, views

urlpatterns = [  # under /etablissement/<uai>/maintenance/
    path("envois/", views.delivery_list, name="delivery_list"),
    path("envois/<int:delivery_id>/reessayer/", views.delivery_retry, name="delivery_retry"),
    path("identifiants-glpi/", views.credentials, name="delivery_credentials"),
]
srane_urlpatterns = [  # under /srane/maintenance/
    path("canaux/", srane_views.channels, name="delivery_channels"),
    path(
        "canaux/<int:channel_id>/jeton/", srane_views.channel_token, name="delivery_channel_token"
    ),
]
