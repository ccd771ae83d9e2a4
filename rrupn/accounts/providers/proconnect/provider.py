"""OpenID Connect provider that meets ProConnect's constraints (formats/sso_gar.md §B.2).

allauth's generic provider sends no nonce and expects JSON userinfo. This one sends a nonce and
checks it in the ID token, turns PKCE on only when discovery advertises S256 (ProConnect rejects
unknown parameters), maps ProConnect's `usual_name`, and accepts userinfo returned as a signed JWT.
The state of 32+ characters comes from `SocialAccountAdapter.generate_state_param`.
"""

import secrets

from allauth.socialaccount.providers.oauth2.utils import generate_code_challenge
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    _pick_data,
)

from .views import ProConnectOAuth2Adapter

NONCE_BYTES = 32  # token_urlsafe(32) gives 43 characters


class ProConnectProvider(OpenIDConnectProvider):
    id = "proconnect"
    name = "OpenID Connect (ProConnect)"
    oauth2_adapter_class = ProConnectOAuth2Adapter

    def get_oauth2_adapter(self, request):
        # One adapter per provider instance: its discovery document is fetched once.
        if getattr(self, "_oauth2_adapter", None) is None:
            self._oauth2_adapter = super().get_oauth2_adapter(request)
        return self._oauth2_adapter

    def get_pkce_params(self) -> dict:
        enabled = self.app.settings.get("oauth_pkce_enabled")
        if enabled is None:
            config = self.get_oauth2_adapter(self.request).openid_config
            enabled = "S256" in config.get("code_challenge_methods_supported", [])
        return generate_code_challenge() if enabled else {}

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(NONCE_BYTES)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params["nonce"] = nonce
        # Extra kwargs land in the stashed state, read back by the callback view.
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )

    def extract_common_fields(self, data):
        fields = super().extract_common_fields(data)
        if not fields.get("last_name"):
            fields["last_name"] = _pick_data(data).get("usual_name")
        return fields


provider_classes = [ProConnectProvider]
