from django.conf import settings

from . import capabilities as caps


class Abilities:
    """`{% if abilities.inbox_view %}`: the current person's capabilities here."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        capability = name.replace("_", ".", 1)
        if capability == caps.SRANE:
            return bool(self._request.access.srane_departments)
        return caps.roles_grant(getattr(self._request, "roles", ()), capability)


def access(request):
    if not hasattr(request, "access"):
        return {"SSO_CONFIGURED": settings.SSO_CONFIGURED}
    return {
        "current_establishment": request.establishment,
        "abilities": Abilities(request),
        "SSO_CONFIGURED": settings.SSO_CONFIGURED,
        "ACADEMIE_NAME": settings.ACADEMIE_NAME,
        "SRANE_NAME": settings.SRANE_NAME,
    }
