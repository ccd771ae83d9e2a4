import secrets

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import SimpleLazyObject

from rrupn.accounts.models import SraneLevel
from rrupn.establishments.models import Establishment, SchoolYear

from . import capabilities as caps
from .scopes import user_access

SESSION_KEY = "current_establishment_uai"


class EstablishmentAccessMiddleware:
    """Resolve the current establishment once per request and enforce the view's capability.

    Establishment pages carry the UAI in their URL. A person with no role in that
    establishment gets a 404 (the establishment does not exist for them); a person with a
    role that lacks the capability gets a 403. SRANE pages check the scope the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.establishment = None
        request.roles = frozenset()
        request.school_year = SimpleLazyObject(SchoolYear.current)
        request.access = SimpleLazyObject(lambda: user_access(request.user, request.school_year))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        capability = caps.view_capability(view_func)
        if capability is None or capability == caps.PUBLIC:
            return None
        if not request.user.is_authenticated:
            return None  # LoginRequiredMiddleware already redirected
        uai = view_kwargs.get("uai")
        access = request.access
        if capability == caps.AUTHENTICATED:
            return None
        if capability == caps.SRANE:
            if not access.srane_departments:
                raise PermissionDenied
            if uai is not None:
                establishment = Establishment.objects.filter(
                    uai=uai, department__in=access.srane_departments
                ).first()
                if establishment is None:
                    raise Http404
                request.establishment = establishment
            return None
        # An establishment capability.
        if uai is None:
            raise PermissionDenied
        establishment, roles = access.establishment_roles(uai)
        if establishment is None:
            raise Http404
        request.establishment = establishment
        request.roles = roles
        if not caps.roles_grant(roles, capability):
            raise PermissionDenied
        if request.session.get(SESSION_KEY) != uai:
            request.session[SESSION_KEY] = uai
        return None


class CspMiddleware:
    """Content-Security-Policy with a per-response nonce; no-store on personal pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{request.csp_nonce}'; "
            "style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        )
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response


__all__ = ["EstablishmentAccessMiddleware", "CspMiddleware", "SESSION_KEY", "SraneLevel"]
