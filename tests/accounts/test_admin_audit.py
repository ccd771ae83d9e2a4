import pytest
from django.urls import reverse

from rrupn.accounts.models import Role, RoleAssignment
from rrupn.audit.models import AuditEntry

from ..factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_role_changes_in_the_admin_are_audited(client, school):
    admin = UserFactory(is_staff=True, is_superuser=True)
    teacher = UserFactory()
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_roleassignment_add"),
        {"user": teacher.pk, "establishment": school.pk, "role": Role.RRUPN, "source": "manual"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = RoleAssignment.objects.get(user=teacher)
    entry = AuditEntry.objects.get(action="role.granted")
    assert entry.establishment == school and entry.actor == admin
    assert entry.after["role"] == "rrupn" and entry.before is None

    client.post(
        reverse("admin:accounts_roleassignment_delete", args=[assignment.pk]), {"post": "yes"}
    )
    assert not RoleAssignment.objects.filter(user=teacher).exists()
    revoked = AuditEntry.objects.get(action="role.revoked")
    assert revoked.before["etablissement"] == school.uai


def test_role_change_records_before_and_after(client, school):
    admin = UserFactory(is_staff=True, is_superuser=True)
    assignment = RoleAssignmentFactory(establishment=school, role=Role.TEACHER)
    client.force_login(admin)
    client.post(
        reverse("admin:accounts_roleassignment_change", args=[assignment.pk]),
        {
            "user": assignment.user.pk,
            "establishment": school.pk,
            "role": Role.HEAD,
            "source": "manual",
        },
    )
    entry = AuditEntry.objects.get(action="role.changed")
    assert (entry.before["role"], entry.after["role"]) == ("teacher", "head")
