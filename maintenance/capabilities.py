from rrupn.access.capabilities import ALL_STAFF, DIRECTION, register_establishment_capability
from rrupn.accounts.models import Role

HANDLERS = DIRECTION | {Role.RRUPN}


def register() -> None:
    # Anyone of the staff reports an incident (a teacher's goes to the RRUPN, who forwards it).
    register_establishment_capability("tickets.report", ALL_STAFF)
    register_establishment_capability("tickets.handle", HANDLERS | {Role.GESTIONNAIRE})
    register_establishment_capability("tickets.credentials", {Role.HEAD})
    register_establishment_capability("equipment.propose", HANDLERS)
    register_establishment_capability("equipment.validate", DIRECTION)
