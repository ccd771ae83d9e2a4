"""Purchase proposals: proposed by the RRUPN or the direction, decided by the head side."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commission.models import PurchaseProposal, PurchaseState
from commission.purchases import services
from commission.purchases.services import PurchaseData, PurchaseError
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import SchoolYear

from ..factories import RoleAssignmentFactory
from .factories_purchases import PurchaseProposalFactory

pytestmark = pytest.mark.django_db


def staff(school, role):
    return RoleAssignmentFactory(establishment=school, role=role).user


def data(**changes) -> PurchaseData:
    values = {
        "item": "Kit webradio",
        "quantity": 1,
        "estimated_cost": Decimal("649.90"),
        "justification": "Créer la webradio du collège avec les 4e.",
        "project": "Axe 2 : éducation aux médias",
    }
    return PurchaseData(**{**values, **changes})


def propose(school, user, roles, **changes):
    return services.purchase_propose(
        establishment=school,
        school_year=SchoolYear.current(),
        user=user,
        roles=roles,
        data=data(**changes),
    )


def audit_actions(proposal) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(proposal.pk), action__startswith="purchase.")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


# --- services ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.RRUPN, Role.HEAD, Role.DIRECTION])
def test_pilots_propose_and_an_audit_row_records_it(school, role):
    user = staff(school, role)
    proposal = propose(school, user, {role})
    assert proposal.state == PurchaseState.PROPOSED
    assert proposal.proposed_by == user and proposal.school_year == SchoolYear.current()
    [entry] = AuditEntry.objects.filter(action="purchase.proposed")
    assert entry.establishment == school and entry.after["état"] == "proposed"


@pytest.mark.parametrize("role", [Role.TEACHER, Role.GESTIONNAIRE, Role.CPE])
def test_other_roles_cannot_propose(school, role):
    with pytest.raises(PurchaseError, match="RRUPN"):
        propose(school, staff(school, role), {role})
    assert not PurchaseProposal.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantity": 0}, "supérieur ou égal à 1"),
        ({"quantity": -3}, "supérieur ou égal à 1"),
        ({"estimated_cost": Decimal("-0.01")}, "négatif"),
        ({"item": "  "}, "matériel"),
        ({"justification": ""}, "Justifiez"),
    ],
)
def test_bad_data_is_refused_and_nothing_saved(school, changes, message):
    with pytest.raises(PurchaseError, match=message):
        propose(school, staff(school, Role.RRUPN), {Role.RRUPN}, **changes)
    assert not PurchaseProposal.objects.exists() and not AuditEntry.objects.exists()


def test_a_free_item_is_allowed(school):
    proposal = propose(school, staff(school, Role.RRUPN), {Role.RRUPN}, estimated_cost=0)
    assert proposal.estimated_cost == 0


def test_head_approves_and_the_proposer_is_told(
    school, mailoutbox, django_capture_on_commit_callbacks
):
    rrupn, head = staff(school, Role.RRUPN), staff(school, Role.HEAD)
    proposal = propose(school, rrupn, {Role.RRUPN})
    with django_capture_on_commit_callbacks(execute=True):
        services.purchase_decide(proposal=proposal, user=head, roles={Role.HEAD}, approve=True)
    proposal.refresh_from_db()
    assert proposal.state == PurchaseState.APPROVED
    assert proposal.decided_by == head and proposal.decided_at is not None
    assert audit_actions(proposal) == ["purchase.proposed", "purchase.approved"]
    entry = AuditEntry.objects.get(action="purchase.approved")
    assert entry.before["état"] == "proposed" and entry.after["état"] == "approved"
    [mail] = mailoutbox
    assert mail.to == [rrupn.email]
    assert "acceptée" in mail.subject and "Kit webradio" in mail.subject
    assert "649,90 €" in mail.body and str(head) in mail.body
    assert reverse("commission:purchase_detail", args=[school.uai, proposal.pk]) in mail.body


def test_refusal_needs_a_comment_which_reaches_the_proposer(
    school, mailoutbox, django_capture_on_commit_callbacks
):
    rrupn, direction = staff(school, Role.RRUPN), staff(school, Role.DIRECTION)
    proposal = propose(school, rrupn, {Role.RRUPN})
    with pytest.raises(PurchaseError, match="motif du refus"):
        services.purchase_decide(
            proposal=proposal, user=direction, roles={Role.DIRECTION}, approve=False, comment=" "
        )
    proposal.refresh_from_db()
    assert proposal.state == PurchaseState.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        services.purchase_decide(
            proposal=proposal,
            user=direction,
            roles={Role.DIRECTION},
            approve=False,
            comment="Budget épuisé : à reproposer en janvier & avec un devis.",
        )
    proposal.refresh_from_db()
    assert proposal.state == PurchaseState.REFUSED
    assert proposal.decision_comment.startswith("Budget épuisé")
    entry = AuditEntry.objects.get(action="purchase.refused")
    assert entry.comment == proposal.decision_comment
    [mail] = mailoutbox
    assert "refusée" in mail.subject
    assert "à reproposer en janvier & avec un devis" in mail.body  # plain text, unescaped


@pytest.mark.parametrize("role", [Role.RRUPN, Role.GESTIONNAIRE, Role.TEACHER])
def test_only_the_head_side_decides(school, role):
    proposal = PurchaseProposalFactory(establishment=school)
    with pytest.raises(PurchaseError, match="direction"):
        services.purchase_decide(
            proposal=proposal, user=staff(school, role), roles={role}, approve=True
        )
    proposal.refresh_from_db()
    assert proposal.state == PurchaseState.PROPOSED


def test_two_decisions_never_both_apply(school, mailoutbox, django_capture_on_commit_callbacks):
    """Both deciders loaded the page while it waited; the second finds it already decided."""
    proposal = PurchaseProposalFactory(establishment=school)
    head, direction = staff(school, Role.HEAD), staff(school, Role.DIRECTION)
    stale = PurchaseProposal.objects.get(pk=proposal.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.purchase_decide(proposal=proposal, user=head, roles={Role.HEAD}, approve=True)
        with pytest.raises(PurchaseError, match="déjà été décidée \\(acceptée\\)"):
            services.purchase_decide(
                proposal=stale,
                user=direction,
                roles={Role.DIRECTION},
                approve=False,
                comment="Non.",
            )
    proposal.refresh_from_db()
    assert proposal.state == PurchaseState.APPROVED and proposal.decided_by == head
    assert proposal.decision_comment == ""
    assert audit_actions(proposal) == ["purchase.approved"]
    assert len(mailoutbox) == 1


def test_deciding_ones_own_proposal_sends_no_mail(
    school, mailoutbox, django_capture_on_commit_callbacks
):
    head = staff(school, Role.HEAD)
    proposal = propose(school, head, {Role.HEAD})
    with django_capture_on_commit_callbacks(execute=True):
        services.purchase_decide(proposal=proposal, user=head, roles={Role.HEAD}, approve=True)
    assert mailoutbox == []


# --- pages -------------------------------------------------------------------------------------


def test_rrupn_proposes_through_the_form_with_a_decimal_comma(client, school):
    rrupn = staff(school, Role.RRUPN)
    client.force_login(rrupn)
    url = reverse("commission:purchase_create", args=[school.uai])
    page = client.get(url).content.decode()
    assert "Coût estimé total" in page and 'id="proposition-achat"' in page
    response = client.post(
        url,
        {
            "item": "Visualiseuse",
            "quantity": "3",
            "estimated_cost": "1 249,90",
            "justification": "Montrer les gestes techniques en technologie.",
            "project": "",
        },
    )
    proposal = PurchaseProposal.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("commission:purchase_detail", args=[school.uai, proposal.pk])
    assert proposal.estimated_cost == Decimal("1249.90") and proposal.quantity == 3
    detail = client.get(response.url).content.decode()
    assert "1\xa0249,90 €" in detail and "Proposition d&#x27;achat :" in detail
    assert 'id="decision-achat"' not in detail  # the RRUPN does not decide


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("quantity", "-2", "La quantité doit être au moins 1."),
        ("quantity", "0", "La quantité doit être au moins 1."),
        ("quantity", "deux", "Indiquez la quantité en nombre entier"),
        ("estimated_cost", "-15,00", "Le coût estimé ne peut pas être négatif."),
        ("estimated_cost", "douze", "Indiquez un montant en euros"),
        ("estimated_cost", "12,345", "au centime près"),
    ],
)
def test_bad_input_gives_a_french_message_and_saves_nothing(client, school, field, value, message):
    client.force_login(staff(school, Role.RRUPN))
    post = {
        "item": "Visualiseuse",
        "quantity": "1",
        "estimated_cost": "120",
        "justification": "Pour la classe.",
        field: value,
    }
    response = client.post(reverse("commission:purchase_create", args=[school.uai]), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PurchaseProposal.objects.exists()


def test_list_shows_the_years_budget_to_the_gestionnaire(client, school):
    year = SchoolYear.current()
    PurchaseProposalFactory(establishment=school, estimated_cost=Decimal("100.50"))
    PurchaseProposalFactory(
        establishment=school, estimated_cost=Decimal("200"), state=PurchaseState.APPROVED
    )
    PurchaseProposalFactory(
        establishment=school, estimated_cost=Decimal("1000"), state=PurchaseState.REFUSED
    )
    last_year, _created = SchoolYear.objects.get_or_create(start_year=year.start_year - 1)
    PurchaseProposalFactory(establishment=school, school_year=last_year, item="Ancienne tablette")
    PurchaseProposalFactory(item="Autre école")  # another establishment
    client.force_login(staff(school, Role.GESTIONNAIRE))
    page = client.get(reverse("commission:purchase_list", args=[school.uai])).content.decode()
    assert "1\xa0300,50 €" in page  # everything proposed this year
    assert "100,50 €" in page and "200,00 €" in page  # waiting, approved
    assert "Ancienne tablette" not in page and "Autre école" not in page
    assert "Proposer un achat" not in page and "Décider" not in page


def test_head_decides_from_the_inbox(
    client, school, mailoutbox, django_capture_on_commit_callbacks
):
    rrupn, head = staff(school, Role.RRUPN), staff(school, Role.HEAD)
    proposal = PurchaseProposalFactory(establishment=school, proposed_by=rrupn, quantity=4)
    PurchaseProposalFactory(establishment=school, state=PurchaseState.APPROVED, item="Déjà vu")
    client.force_login(head)
    inbox = client.get(reverse("dashboard:inbox", args=[school.uai])).content.decode()
    assert "Propositions d&#x27;achat à décider" in inbox
    assert f"Achat proposé : {proposal.item} × 4" in inbox and "Déjà vu" not in inbox
    detail_url = reverse("commission:purchase_detail", args=[school.uai, proposal.pk])
    assert f"{detail_url}#decision" in inbox

    detail = client.get(detail_url).content.decode()
    assert 'id="decision"' in detail and "Accepter l&#x27;achat" in detail
    decide = reverse("commission:purchase_decide", args=[school.uai, proposal.pk])
    refused = client.post(decide, {"decision": "refuser", "comment": ""})
    assert refused.status_code == 200 and "Indiquez le motif du refus." in refused.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == PurchaseState.PROPOSED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide, {"decision": "refuser", "comment": "Pas cette année."})
    assert response.status_code == 302 and response.url == detail_url
    proposal.refresh_from_db()
    assert proposal.state == PurchaseState.REFUSED
    assert [m.to for m in mailoutbox] == [[rrupn.email]]
    detail = client.get(detail_url).content.decode()
    assert "Pas cette année." in detail and 'id="decision-achat"' not in detail
    inbox = client.get(reverse("dashboard:inbox", args=[school.uai])).content.decode()
    assert "Achat proposé" not in inbox

    again = client.post(decide, {"decision": "accepter", "comment": ""}, follow=True)
    assert "déjà été décidée" in again.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == PurchaseState.REFUSED


def test_another_schools_proposal_is_not_found(client, school, other_school):
    theirs = PurchaseProposalFactory(establishment=other_school)
    client.force_login(staff(school, Role.HEAD))
    detail = reverse("commission:purchase_detail", args=[school.uai, theirs.pk])
    assert client.get(detail).status_code == 404
    decide = reverse("commission:purchase_decide", args=[school.uai, theirs.pk])
    assert client.post(decide, {"decision": "accepter"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == PurchaseState.PROPOSED


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_detail_and_inbox_queries_are_constant(client, school):
    head = staff(school, Role.HEAD)

    def add(n):
        for _ in range(n):
            proposal = PurchaseProposalFactory(
                establishment=school, proposed_by=staff(school, Role.RRUPN)
            )
            services.purchase_decide(
                proposal=PurchaseProposalFactory(establishment=school),
                user=head,
                roles={Role.HEAD},
                approve=True,
            )
        return proposal

    proposal = add(2)
    client.force_login(head)
    urls = [
        reverse("commission:purchase_list", args=[school.uai]),
        reverse("dashboard:inbox", args=[school.uai]),
        reverse("commission:purchase_detail", args=[school.uai, proposal.pk]),
    ]
    for url in urls:
        _count(client, url)  # warm the per-process caches
    before = [_count(client, url) for url in urls]
    add(10)
    assert [_count(client, url) for url in urls] == before


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.GESTIONNAIRE, True), (Role.RRUPN, True), (Role.HEAD, True), (Role.TEACHER, False)],
)
def test_the_purchases_nav_link_follows_the_capability(client, school, role, shown):
    client.force_login(staff(school, role))
    page = client.get(reverse("dashboard:establishment", args=[school.uai])).content.decode()
    assert (reverse("commission:purchase_list", args=[school.uai]) in page) is shown
    assert reverse("commission:practice_list", args=[school.uai]) in page
