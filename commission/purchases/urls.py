"""Purchase proposals and the head's decision (issue 4, part 5)."""

from django.urls import path

from . import views

urlpatterns = [  # under /etablissement/<uai>/commission/
    path("achats/", views.purchase_list, name="purchase_list"),
    path("achats/proposer/", views.purchase_create, name="purchase_create"),
    path("achats/<int:purchase_id>/", views.purchase_detail, name="purchase_detail"),
    path("achats/<int:purchase_id>/decision/", views.purchase_decide, name="purchase_decide"),
]
srane_urlpatterns: list = []  # under /srane/commission/
