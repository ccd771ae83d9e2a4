from django.urls import include, path, re_path

from . import views

# Same shape as allauth's generic provider: /accounts/oidc/<provider_id>/login/callback/
urlpatterns = [
    path(
        "oidc/",
        include(
            [
                re_path(
                    r"^(?P<provider_id>[^/]+)/",
                    include(
                        [
                            path("login/", views.login, name="proconnect_login"),
                            path("login/callback/", views.callback, name="proconnect_callback"),
                        ]
                    ),
                )
            ]
        ),
    )
]
