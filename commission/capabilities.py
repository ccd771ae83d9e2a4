from rrupn.access.capabilities import ALL_STAFF, DIRECTION, register_establishment_capability
from rrupn.accounts.models import Role

PILOTS = DIRECTION | {Role.RRUPN}


def register() -> None:
    register_establishment_capability("commission.view", ALL_STAFF)
    # The RRUPN runs the commission with the direction: members, meetings, actions, project,
    # training, practices, RGPD register.
    register_establishment_capability("commission.manage", PILOTS)
    register_establishment_capability("commission.validate", DIRECTION)
    register_establishment_capability("purchases.view", PILOTS | {Role.GESTIONNAIRE})
    register_establishment_capability("purchases.propose", PILOTS)
    register_establishment_capability("purchases.decide", DIRECTION)
