from rrupn.access.capabilities import ALL_STAFF, DIRECTION, register_establishment_capability
from rrupn.accounts.models import Role


def register() -> None:
    # Any staff member may open the letters page: the future RRUPN is often still a teacher.
    # What each one then sees is narrowed by `selectors.letters_visible_to`.
    register_establishment_capability("missions.view", ALL_STAFF)
    register_establishment_capability("missions.manage", DIRECTION)
    register_establishment_capability("missions.sign", {Role.HEAD})
