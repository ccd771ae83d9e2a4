from rrupn.accounts.models import Role
from rrupn.relay.models import Announcement

from ..factories import RoleAssignmentFactory, UserFactory


def rrupn_of(school, user=None, **kwargs):
    """A person RRUPN of `school` for this school year (a new one unless `user`)."""
    user = user or UserFactory(**kwargs)
    RoleAssignmentFactory(user=user, establishment=school, role=Role.RRUPN, yearly=True)
    return user


def announce(department="87", **kwargs):
    data = {"title": "Numéro 3 de la LINE", "body": "Bonne lecture.", "kind": "line"}
    return Announcement.objects.create(department=department, **{**data, **kwargs})
