from rrupn.access.capabilities import ALL_STAFF, DIRECTION, register_establishment_capability
from rrupn.accounts.models import Role

# Eligible by default as responsables d'affectation (guide): RRUPN, direction, documentalists.
ELIGIBLE = DIRECTION | {Role.RRUPN, Role.DOCUMENTALISTE}


def register() -> None:
    register_establishment_capability("gar.view", ALL_STAFF)
    # Subscriptions bought by the school are entered by the gestion service.
    register_establishment_capability(
        "gar.subscriptions", DIRECTION | {Role.GESTIONNAIRE, Role.RRUPN, Role.DOCUMENTALISTE}
    )
    register_establishment_capability("gar.assign", ELIGIBLE | {Role.RESP_GAR})
    register_establishment_capability("gar.designate", DIRECTION)
    register_establishment_capability(
        "divisions.manage", ELIGIBLE | {Role.RESP_GAR, Role.ADMIN_ENT}
    )
