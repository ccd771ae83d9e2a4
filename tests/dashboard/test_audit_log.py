"""The head's journal reads in French: labels, choice labels, Oui/Non, JJ/MM/AAAA, amounts."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from commission.models import PurchaseProposal
from maintenance.models import Ticket
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry

from ..factories import RoleAssignmentFactory, UserFactory


def _journal(client, school) -> str:
    head = UserFactory()
    RoleAssignmentFactory(user=head, establishment=school, role=Role.HEAD)
    client.force_login(head)
    response = client.get(reverse("dashboard:audit_log", args=[school.uai]))
    assert response.status_code == 200
    return response.content.decode()


def test_recorded_codes_and_values_are_shown_as_the_user_knows_them(client, school):
    ticket_type = ContentType.objects.get_for_model(Ticket)
    AuditEntry.objects.create(
        establishment=school,
        action="test",
        content_type=ticket_type,
        object_id="1",
        before={"état": "draft", "fait": False, "échéance": "2026-12-29"},
        after={"état": "sent", "fait": True, "échéance": "2027-01-05"},
    )
    AuditEntry.objects.create(
        establishment=school,
        action="test",
        content_type=ContentType.objects.get_for_model(PurchaseProposal),
        object_id="1",
        after={"état": "proposed", "coût estimé": "1375.00", "quantité": 15},
    )
    AuditEntry.objects.create(
        establishment=school,
        action="import",
        after={"rows": 12, "created": 12, "classes": ["3A", "3B"]},
    )
    page = _journal(client, school)
    assert "état : Brouillon → Transmis" in page
    assert "fait : non → oui" in page
    assert "échéance : 29/12/2026 → 05/01/2027" in page
    # « état » is the service's label of the field « décision »: its choices still apply.
    assert "état : — → En attente de décision" in page
    assert "coût estimé : — → 1\xa0375,00" in page
    assert "lignes : — → 12" in page and "ajoutés : — → 12" in page
    assert "classes : — → 3A, 3B" in page
    for raw in ("draft", "proposed", "True", "False", "2026-12-29", "1375.00", "['3A'"):
        assert raw not in page


def test_free_text_that_only_looks_like_a_date_is_shown_as_typed(client, school):
    """A reference typed "2026-11-31" (no such day) or a moment without a time zone must not
    turn the whole journal into an error page."""
    AuditEntry.objects.create(
        establishment=school,
        action="test",
        content_type=ContentType.objects.get_for_model(Ticket),
        object_id="1",
        before={"référence externe": "2026-11-31"},
        after={"référence externe": "2026-11-29T10:00"},
    )
    page = _journal(client, school)
    assert "2026-11-31 →" in page and "29/11/2026 10:00" in page
