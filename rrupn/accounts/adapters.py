import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.shortcuts import render

from .claims import sync_roles_from_claims
from .models import User

UNKNOWN_UAIS_SESSION_KEY = "sso_unknown_uais"  # read by the no-role page (dashboard.views.home)
STATE_BYTES = 32  # ProConnect wants a state of 32+ characters; token_urlsafe(32) gives 43


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Accounts come from the reference data or the academic SSO, never self-registration.
        return False

    def login(self, request, user):
        super().login(request, user)
        # Written after Django's login, which may flush the session of a previous user.
        request.session[UNKNOWN_UAIS_SESSION_KEY] = getattr(request, "sso_unknown_uais", [])


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        # A social login only reaches here through a configured IdP: its agents get an account.
        return True

    def generate_state_param(self, state: dict) -> str:
        return secrets.token_urlsafe(STATE_BYTES)

    def authenticate_by_email(self, sociallogin):
        """Link to an existing person only on an e-mail that our configured IdP vouches for."""
        provider = sociallogin.provider or sociallogin.account.get_provider()
        if provider.app and provider.app.settings.get("email_authoritative"):
            for address in sociallogin.email_addresses:
                address.verified = True
        return super().authenticate_by_email(sociallogin)

    def pre_social_login(self, request, sociallogin):
        """Runs on every SSO login; the roles of an existing person are refreshed here."""
        if sociallogin.is_existing:
            self._sync_roles(request, sociallogin.user, sociallogin)
            return
        email = (sociallogin.user.email or "").strip()
        if not email:
            self._refuse(request, "socialaccount/refused_no_email.html")
        if User.objects.filter(email__iexact=email).exists():
            # Same address as an existing person, but not vouched for by the IdP: never link.
            self._refuse(request, "socialaccount/refused_unverified_email.html", email=email)

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        self._sync_roles(request, user, sociallogin)
        return user

    def _sync_roles(self, request, user, sociallogin) -> None:
        result = sync_roles_from_claims(user, sso_claims(sociallogin))
        request.sso_unknown_uais = result.unknown_uais

    def _refuse(self, request, template: str, **context):
        response = render(request, template, context, status=403)
        raise ImmediateHttpResponse(response)


def sso_claims(sociallogin) -> dict:
    """The claims of a login: SAML attributes as they came, OIDC ID token then userinfo."""
    data = sociallogin.account.extra_data or {}
    provider = sociallogin.provider or sociallogin.account.get_provider()
    if provider.id == "saml":
        return data
    claims = dict(data.get("id_token") or {})
    claims.update(data.get("userinfo") or {})
    return claims
