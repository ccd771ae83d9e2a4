"""Which secrets a GLPI channel needs, by its flavour: the channel's own (entered by the académie's
SRANE) and each school's (entered by its head). The pages show these fields only, and whether
each one is set (never its value)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..models import ChannelCredential, GlpiFlavour


@dataclass(frozen=True)
class SecretField:
    name: str  # ChannelCredential.name
    label: str  # the input's label
    saved: str  # "<saved> enregistré le …"
    missing: str  # shown when not set
    button: str
    hidden: bool = True  # a password input (an identifier is shown while typed)


APP_TOKEN = SecretField(
    "app_token",
    _("Jeton d’application"),
    _("Jeton d’application"),
    _("Aucun jeton d’application."),
    _("Enregistrer le jeton"),
)
OAUTH_CLIENT_ID = SecretField(
    "oauth_client_id",
    _("Identifiant du client OAuth"),
    _("Identifiant du client OAuth"),
    _("Aucun identifiant de client OAuth."),
    _("Enregistrer l’identifiant"),
    hidden=False,
)
OAUTH_CLIENT_SECRET = SecretField(
    "oauth_client_secret",
    _("Secret du client OAuth"),
    _("Secret du client OAuth"),
    _("Aucun secret de client OAuth."),
    _("Enregistrer le secret"),
)
USER_TOKEN = SecretField(
    "user_token",
    _("Jeton d’API (utilisateur GLPI)"),
    _("Jeton"),
    _("Aucun jeton : les incidents vers ce GLPI échoueront."),
    _("Enregistrer le jeton"),
)
API_USERNAME = SecretField(
    "api_username",
    _("Identifiant du compte GLPI de l’établissement"),
    _("Identifiant GLPI"),
    _("Aucun identifiant GLPI : les incidents vers ce GLPI échoueront."),
    _("Enregistrer l’identifiant"),
    hidden=False,
)
API_PASSWORD = SecretField(
    "api_password",
    _("Mot de passe de ce compte GLPI"),
    _("Mot de passe GLPI"),
    _("Aucun mot de passe GLPI : les incidents vers ce GLPI échoueront."),
    _("Enregistrer le mot de passe"),
)

CHANNEL_FIELDS = {GlpiFlavour.GLPI11_HL: (OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET)}
SCHOOL_FIELDS = {GlpiFlavour.GLPI11_HL: (API_USERNAME, API_PASSWORD)}


def fields_of(channel, *, school: bool) -> tuple[SecretField, ...]:
    if school:
        return SCHOOL_FIELDS.get(channel.glpi_flavour, (USER_TOKEN,))
    return CHANNEL_FIELDS.get(channel.glpi_flavour, (APP_TOKEN,))


def field_named(channel, name: str, *, school: bool) -> SecretField | None:
    return next((f for f in fields_of(channel, school=school) if f.name == name), None)


def secret_rows(channels, *, establishment=None) -> list[tuple]:
    """[(channel, [(field, updated_at or None), …]), …]: the school's secrets when
    `establishment` is given, else the channels' own."""
    saved = {
        (channel_id, name): updated_at
        for channel_id, name, updated_at in ChannelCredential.objects.filter(
            establishment=establishment, channel__in=channels
        ).values_list("channel_id", "name", "updated_at")
    }
    school = establishment is not None
    return [
        (
            channel,
            [(f, saved.get((channel.pk, f.name))) for f in fields_of(channel, school=school)],
        )
        for channel in channels
    ]
