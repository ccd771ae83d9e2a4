from django.urls import path

from . import views

urlpatterns = [  # under /etablissement/<uai>/commission/
    path("outils/", views.tools_catalogue, name="tools_catalogue"),
    path("outils/comparer/", views.tools_comparison, name="tools_comparison"),
]
srane_urlpatterns = [  # under /srane/commission/
    path("outils/", views.tools_srane, name="tools_catalogue"),
]
