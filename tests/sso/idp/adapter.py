import json

from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from django.conf import settings


def academic_claims(email: str) -> dict:
    """FrEdu* claims of a user, read from claims.json at each request so a test can change them."""
    claims = json.loads((settings.DATA_DIR / "claims.json").read_text())
    return claims.get(email, {})


class AcademicClaimsAdapter(DefaultOIDCAdapter):
    """Adds the académie attributes (FrEduRne, FrEduRneResp, FrEduFonctAdm, title) to userinfo."""

    def get_claims(self, purpose, user, client, scopes, email=None, **kwargs):
        claims = super().get_claims(purpose, user, client, scopes, email=email, **kwargs)
        if purpose == "userinfo":
            claims.update(academic_claims(user.email))
        return claims
