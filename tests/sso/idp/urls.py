import json
import time

import jwt
from allauth.core.internal import jwkkit
from allauth.idp.oidc import views as oidc_views
from allauth.idp.oidc.adapter import get_adapter
from allauth.idp.oidc.models import Token
from django.conf import settings
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

# Like ProConnect, these clients get their userinfo as a signed JWT (application/jwt).
SIGNED_USERINFO_CLIENTS = {"portal-jwt", "portal-forged"}


@csrf_exempt
def userinfo(request):
    response = oidc_views.user_info(request)
    bearer = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    token = Token.objects.lookup(Token.Type.ACCESS_TOKEN, bearer) if bearer else None
    if response.status_code != 200 or token is None:
        return response
    if token.client_id not in SIGNED_USERINFO_CLIENTS:
        return response
    claims = json.loads(response.content)
    claims.update(iss=settings.ISSUER, aud=token.client_id, iat=int(time.time()))
    jwk, private_key = jwkkit.load_jwk_from_pem(get_adapter().get_signing_key().pem)
    if token.client_id == "portal-forged":
        # Claims the IdP's key id but is signed by another key: the portal must refuse it.
        _jwk, private_key = jwkkit.load_jwk_from_pem(
            (settings.DATA_DIR / "other_key.pem").read_text()
        )
    signed = jwt.encode(claims, private_key, algorithm="RS256", headers={"kid": jwk["kid"]})
    return HttpResponse(signed, content_type="application/jwt")


urlpatterns = [
    path("userinfo", userinfo),
    path("", include("allauth.idp.urls")),
    path("accounts/", include("allauth.urls")),
]
