from allauth.socialaccount import views as socialaccount_views
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from rrupn.access import capabilities as caps
from rrupn.dashboard import components
from rrupn.dashboard import views as dashboard_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("sante/", dashboard_views.health, name="health"),
    path("langue/", caps.requires(caps.PUBLIC)(set_language), name="set_language"),
    # A failed or cancelled SSO login must be readable before any login.
    path(
        "accounts/3rdparty/login/error/",
        caps.requires(caps.PUBLIC)(socialaccount_views.login_error),
        name="socialaccount_login_error",
    ),
    path(
        "accounts/3rdparty/login/cancelled/",
        caps.requires(caps.PUBLIC)(socialaccount_views.login_cancelled),
        name="socialaccount_login_cancelled",
    ),
    path("accounts/", include("allauth.urls")),
    path("compte/", include("rrupn.accounts.urls")),
    path("", include("rrupn.dashboard.urls")),
    path("etablissement/<str:uai>/lettres/", include("missions.urls")),
    path("etablissement/<str:uai>/commission/", include("commission.urls")),
    path("etablissement/<str:uai>/gar/", include("gar.urls")),
    path("etablissement/<str:uai>/maintenance/", include("maintenance.urls")),
    path("etablissement/<str:uai>/pix/", include("pix.urls")),
    path("etablissement/<str:uai>/classes/", include("rrupn.establishments.divisions.urls")),
    path("etablissement/<str:uai>/annonces/", include("rrupn.relay.urls")),
    path("verifier/", include("missions.public_urls")),  # public: checks a printed letter
    path("srane/lettres/", include("missions.srane_urls")),
    path("srane/commission/", include("commission.srane_urls")),
    path("srane/gar/", include("gar.srane_urls")),
    path("srane/maintenance/", include("maintenance.srane_urls")),
    path("srane/pix/", include("pix.srane_urls")),
    path("srane/", include("rrupn.relay.srane_urls")),  # /srane/relais/, /srane/contacts/
    path("composants/", components.components, name="components"),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Portail RRUPN — administration"
admin.site.site_title = "Portail RRUPN"
