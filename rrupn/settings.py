"""One settings module, read from the environment.

Defaults run the portal on one machine (SQLite, tasks executed inline, local password login).
Production switches by environment variables only; README.md lists every one of them.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {raw!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        return int(raw) if raw else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("RRUPN_TESTING", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-secret-key-not-for-production-0123456789abcdefghij"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or TESTING) else "")
if not ALLOWED_HOSTS:
    # Otherwise every request would get a bare 400 and the cause would only show in the logs.
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",
    "dsfr",
    "crispy_forms",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "rrupn.accounts.providers.proconnect",  # OpenID Connect, ProConnect-compatible
    "allauth.socialaccount.providers.saml",
    "rrupn.accounts",
    "rrupn.establishments",
    "rrupn.access",
    "rrupn.audit",
    "rrupn.notifications",
    "rrupn.dashboard",
    "rrupn.relay",
    "missions",
    "commission",
    "gar",
    "maintenance",
    "pix",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rrupn.i18n.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rrupn.access.middleware.CspMiddleware",
    "rrupn.access.middleware.EstablishmentAccessMiddleware",
]

ROOT_URLCONF = "rrupn.urls"
WSGI_APPLICATION = "rrupn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rrupn.access.context_processors.access",
                "rrupn.dashboard.context_processors.school_header",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["rrupn.formats"]  # dates as JJ/MM/AAAA in French
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# whitenoise's manifest storage rewrites url() in the DSFR CSS, so the SRI hashes no longer match.
DSFR_USE_INTEGRITY_CHECKSUMS = False
DSFR_MARK_OPTIONAL_FIELDS = True

CRISPY_TEMPLATE_PACK = "crispy_dsfr"
CRISPY_ALLOWED_TEMPLATE_PACKS = ["crispy_dsfr"]
# `{% crispy_field %}` renders a bare widget with its class name as CSS class: map it to the DSFR.
CRISPY_CLASS_CONVERTERS = {
    **dict.fromkeys(
        "textinput emailinput numberinput urlinput passwordinput dateinput datetimeinput "
        "timeinput textarea".split(),
        "fr-input",
    ),
    **dict.fromkeys(["select", "selectmultiple", "nullbooleanselect"], "fr-select"),
    **dict.fromkeys(["fileinput", "clearablefileinput"], "fr-upload"),
}

# Sessions and cookies: distinct names so an identity provider on the same host keeps its own.
SESSION_COOKIE_NAME = "rrupn_session"
CSRF_COOKIE_NAME = "rrupn_csrftoken"
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not TESTING)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not TESTING)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not TESTING)

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# --- allauth -------------------------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "rrupn.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
SOCIALACCOUNT_ADAPTER = "rrupn.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False

OIDC_SERVER_URL = os.environ.get("OIDC_SERVER_URL", "")
SAML_IDP_ENTITY_ID = os.environ.get("SAML_IDP_ENTITY_ID", "")
SSO_CONFIGURED = bool(OIDC_SERVER_URL or SAML_IDP_ENTITY_ID)
# Local password login is for demo and development; it is switched off once an SSO is configured.
SOCIALACCOUNT_ONLY = SSO_CONFIGURED

SOCIALACCOUNT_PROVIDERS: dict = {}
if OIDC_SERVER_URL:
    _oidc = {
        "server_url": OIDC_SERVER_URL,  # discovery: /.well-known/openid-configuration is appended
        "scope": os.environ.get("OIDC_SCOPES", "openid profile email").split(),
        # Link a login to an existing person by e-mail even without `email_verified` in the claims:
        # only for an IdP that is authoritative for its agents' addresses (ProConnect, académie).
        "email_authoritative": env_bool("OIDC_TRUST_EMAIL", False),
    }
    if os.environ.get("OIDC_TOKEN_AUTH_METHOD"):  # else chosen from discovery (post preferred)
        _oidc["token_auth_method"] = os.environ["OIDC_TOKEN_AUTH_METHOD"]
    if os.environ.get("OIDC_PKCE"):  # else on when discovery advertises S256
        _oidc["oauth_pkce_enabled"] = env_bool("OIDC_PKCE", True)
    if os.environ.get("OIDC_ACR_VALUES"):  # e.g. eidas1 for ProConnect
        _oidc["auth_params"] = {"acr_values": os.environ["OIDC_ACR_VALUES"]}
    SOCIALACCOUNT_PROVIDERS["proconnect"] = {
        "APPS": [
            {
                "provider_id": os.environ.get("OIDC_PROVIDER_ID", "academie"),
                "name": os.environ.get("OIDC_PROVIDER_NAME", "Compte académique"),
                "client_id": os.environ.get("OIDC_CLIENT_ID", ""),
                "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
                "settings": _oidc,
            }
        ],
    }
if SAML_IDP_ENTITY_ID:
    _idp = {"entity_id": SAML_IDP_ENTITY_ID}
    if os.environ.get("SAML_IDP_METADATA_URL"):
        _idp["metadata_url"] = os.environ["SAML_IDP_METADATA_URL"]
    else:
        _idp.update(
            sso_url=os.environ.get("SAML_IDP_SSO_URL", ""),
            slo_url=os.environ.get("SAML_IDP_SLO_URL", ""),
            x509cert=os.environ.get("SAML_IDP_X509CERT", ""),
        )
    _saml_slug = os.environ.get("SAML_ORGANIZATION_SLUG", "academie")
    _sp_advanced = {
        "reject_idp_initiated_sso": env_bool("SAML_REJECT_IDP_INITIATED", True),
        "want_assertion_signed": True,
    }
    if os.environ.get("SAML_SP_X509CERT"):  # optional SP key pair, to sign AuthnRequests
        _sp_advanced.update(
            x509cert=os.environ["SAML_SP_X509CERT"],
            private_key=os.environ.get("SAML_SP_PRIVATE_KEY", ""),
            authn_request_signed=True,
        )
    SOCIALACCOUNT_PROVIDERS["saml"] = {
        "APPS": [
            {
                "name": os.environ.get("SAML_PROVIDER_NAME", "Portail académique (ARENA)"),
                "provider_id": SAML_IDP_ENTITY_ID,
                "client_id": _saml_slug,  # in the URLs: /accounts/saml/<slug>/acs/
                "settings": {
                    "attribute_mapping": {
                        "uid": ["uid", "ct-remote-user"],
                        "email": ["ctemail", "mail", "email"],
                        "email_verified": [],
                        "first_name": ["ctfn", "givenName"],
                        "last_name": ["ctln", "sn"],
                    },
                    "email_authoritative": env_bool("SAML_TRUST_EMAIL", False),
                    "idp": _idp,
                    "sp": {
                        "entity_id": os.environ.get(
                            "SAML_SP_ENTITY_ID", f"{SITE_URL}/accounts/saml/{_saml_slug}/metadata/"
                        )
                    },
                    "advanced": _sp_advanced,
                },
            }
        ]
    }

# --- Celery --------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Without a broker, tasks run inline: the demo needs neither Redis nor a worker.
# Under pytest they run inline too, even with REDIS_URL set (CI on PostgreSQL + Redis): the real
# broker is exercised by tests/infra, which start a real worker process without RRUPN_TESTING.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL or TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    "missions-calendar": {
        "task": "missions.tasks.follow_letters_calendar",
        "schedule": 60
        * 60
        * 6,  # every six hours: a start date or a year end is caught the same day
    },
    # Daily in the morning, so a reminder arrives with the working day; at most one per
    # school every `reminder_every_days` (the campaign's setting), however often it runs.
    "gar-campaign-reminders": {
        "task": "gar.campaign.tasks.send_campaign_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # Incident deliveries: retries whose back-off has elapsed, rows stuck in "sending" by a
    # killed worker; then the helpdesks' status changes.
    "maintenance-deliveries-sweep": {
        "task": "maintenance.delivery.tasks.sweep_deliveries",
        "schedule": 60,
    },
    "maintenance-glpi-status-sync": {
        "task": "maintenance.delivery.tasks.sync_glpi_statuses",
        "schedule": 60 * 15,
    },
    # SRANE announcements scheduled for a later day with "Prévenir par courriel": sent once
    # their publication has come (the first minute of the day), early in the morning.
    "relay-scheduled-emails": {
        "task": "rrupn.relay.tasks.send_due_announcement_emails",
        "schedule": crontab(minute="5", hour="6-20"),
    },
    # Pupils' Pix results past their retention (PIX_RETENTION_MONTHS), at night.
    "pix-purge-expired": {
        "task": "pix.tasks.purge_expired_participations",
        "schedule": crontab(hour=3, minute=15),
    },
}
# Pix: months after the end of a school year (31 August) before its pupils' results are deleted;
# 12 = at the end of the following school year. Per-class counts are kept.
PIX_RETENTION_MONTHS = env_int("PIX_RETENTION_MONTHS", 12)
# Maintenance deliveries: network timeout of a helpdesk call (seconds), a "sending" row older
# than this (seconds) is taken back by the sweeper, attempts before giving up.
MAINTENANCE_HTTP_TIMEOUT = env_int("MAINTENANCE_HTTP_TIMEOUT", 15)
MAINTENANCE_STUCK_AFTER = 15 * 60
MAINTENANCE_MAX_ATTEMPTS = 8
# Key of the channel secrets (GLPI tokens) at rest; derived from SECRET_KEY when empty.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- E-mail --------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
if os.environ.get("EMAIL_FILE_PATH"):  # for the file-based backend (CI, staging)
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Portail RRUPN <ne-pas-repondre@ac-limoges.fr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Domain --------------------------------------------------------------------------------
ACADEMIE_NAME = "Académie de Limoges"
SRANE_NAME = "SRANE de Limoges"
# Délégué à la protection des données, named on every school's RGPD register.
RGPD_DPD_CONTACT = os.environ.get("DPD_CONTACT", "dpd@ac-limoges.fr")
