import hmac

import jwt
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.http import Http404
from django.urls import reverse

from rrupn.access import capabilities as caps

# Userinfo signatures are checked against the provider's published keys, so only public-key
# algorithms make sense here.
USERINFO_ALGORITHMS = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"}


def check_nonce(id_token: dict, expected: str | None) -> None:
    """The ID token must carry the nonce sent with this very authorization request."""
    received = id_token.get("nonce")
    if not expected or not isinstance(received, str):
        raise OAuth2Error("ID token without the expected nonce")
    if not hmac.compare_digest(received, expected):
        raise OAuth2Error("ID token nonce does not match")


class ProConnectOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    expected_nonce: str | None = None

    def get_callback_url(self, request, app):
        url = reverse("proconnect_callback", kwargs={"provider_id": self.provider_id})
        return build_absolute_uri(request, url, self.redirect_uri_protocol)

    def complete_login(self, request, app, token, **kwargs):
        id_token_str = kwargs["response"].get("id_token")
        if not id_token_str:
            raise OAuth2Error("Token response without an ID token")
        id_token = self._decode_id_token(app, id_token_str)
        check_nonce(id_token, self.expected_nonce)
        data = {"id_token": id_token}
        if app.settings.get("fetch_userinfo", True):
            userinfo = self._fetch_user_info(token.token)
            if str(userinfo.get("sub")) != str(id_token.get("sub")):
                raise OAuth2Error("Userinfo subject differs from the ID token subject")
            data["userinfo"] = userinfo
        return self.get_provider().sociallogin_from_response(request, data)

    def _fetch_user_info(self, access_token: str) -> dict:
        headers = {"Authorization": f"Bearer {access_token}"}
        with get_adapter().get_requests_session() as sess:
            response = sess.get(self.profile_url, headers=headers)
            response.raise_for_status()
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type == "application/jwt":
            return self._decode_signed_userinfo(response.text.strip())
        return response.json()

    def _decode_signed_userinfo(self, credential: str) -> dict:
        config = self.openid_config
        try:
            alg, key = jwtkit.fetch_key(credential, config["jwks_uri"], jwtkit.lookup_kid_jwk)
            if alg not in USERINFO_ALGORITHMS:
                raise OAuth2Error(f"Userinfo signed with an unexpected algorithm: {alg}")
            data = jwt.decode(
                credential,
                key=key,
                algorithms=[alg],
                options={"verify_aud": False, "verify_iss": False},
            )
        except (jwt.PyJWTError, KeyError) as exc:
            raise OAuth2Error("Invalid signed userinfo") from exc
        # iss and aud are optional in a signed userinfo (OIDC Core §5.3.2); checked when present.
        if "iss" in data and data["iss"] != config["issuer"]:
            raise OAuth2Error("Signed userinfo from another issuer")
        audience = data.get("aud")
        if audience is not None:
            audiences = audience if isinstance(audience, list) else [audience]
            if self.get_provider().app.client_id not in audiences:
                raise OAuth2Error("Signed userinfo meant for another client")
        return data


class ProConnectCallbackView(OAuth2CallbackView):
    def _get_state(self, request, provider):
        state, response = super()._get_state(request, provider)
        if state is not None:
            self.adapter.expected_nonce = state.get("nonce")
        return state, response


@caps.requires(caps.PUBLIC)  # the OAuth dance happens before login
def login(request, provider_id):
    try:
        view = OAuth2LoginView.adapter_view(ProConnectOAuth2Adapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc


@caps.requires(caps.PUBLIC)  # the OAuth dance happens before login
def callback(request, provider_id):
    try:
        view = ProConnectCallbackView.adapter_view(ProConnectOAuth2Adapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc
