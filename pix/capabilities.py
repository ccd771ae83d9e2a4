from rrupn.access.capabilities import ALL_STAFF, DIRECTION, register_establishment_capability
from rrupn.accounts.models import Role

# Nominative results: the direction and the RRUPN see every class; a teacher sees the pupils of
# the classes they teach (Division.teachers), checked in pix.access.
PIX_STAFF = DIRECTION | {Role.RRUPN}


def register() -> None:
    register_establishment_capability("pix.view", ALL_STAFF)  # counts and heatmaps
    register_establishment_capability("pix.pupils", PIX_STAFF | {Role.TEACHER})
    register_establishment_capability("pix.import", PIX_STAFF | {Role.TEACHER})
    register_establishment_capability("pix.manage", PIX_STAFF)  # sessions, teaching teams
