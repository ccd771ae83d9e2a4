"""Claim mapping on the real formats of formats/sso_gar.md §B."""

import pytest

from rrupn.accounts.claims import apply_sso_roles, claim_values, derive_roles
from rrupn.accounts.models import Role, RoleAssignment, RoleSource
from rrupn.audit.models import AuditEntry

from ..factories import EstablishmentFactory, RoleAssignmentFactory, UserFactory

# Values quoted in sso_gar.md §B.1 (tjp-pilotage, monstagedeseconde, aplypro).
RNE_ADM = "0693045K$UAJ$PU$ADM$0693045K$T3$LP$320"
RNE_DIR = "0590121L$UAJ$PU$DIR$0590121L$T3$LYC$3000"
RNE_ENS = "0291101P$UAJ$PU$ENS$0291101P$T3$CLG$340"
RESP_7_FIELDS = "0693045K$UAJ$PU$N$T3$LP$320"


def roles(claims):
    return set(derive_roles(claims).roles)


def test_free_du_rne_function_gives_the_role():
    assert roles({"FrEduRne": [RNE_ENS, RNE_DIR, RNE_ADM]}) == {
        ("0291101P", Role.TEACHER),
        ("0590121L", Role.HEAD),
    }


@pytest.mark.parametrize(
    ("function", "role"),
    [("ENS", Role.TEACHER), ("DOC", Role.DOCUMENTALISTE), ("EDU", Role.CPE), ("DIR", Role.HEAD)],
)
def test_each_function_code(function, role):
    assert roles({"FrEduRne": f"0291101P$UAJ$PU${function}$0291101P$T3$CLG$340"}) == {
        ("0291101P", role)
    }


def test_rne_resp_seven_field_form():
    assert roles({"FrEduRneResp": [RESP_7_FIELDS]}) == {("0693045K", Role.HEAD)}


def test_rne_resp_bare_uais_as_in_the_fim_oidc_sample():
    assert roles({"FrEduRneResp": ["0590258K", "0590121L"]}) == {
        ("0590258K", Role.HEAD),
        ("0590121L", Role.HEAD),
    }


def test_x_means_none():
    assert roles({"FrEduRneResp": ["X"], "FrEduRne": ["X"]}) == set()
    assert roles({"FrEduRneResp": "X"}) == set()


def test_fonct_adm_dir_makes_head_of_every_rne():
    claims = {"FrEduRne": [RNE_ADM, RNE_ENS], "FrEduFonctAdm": "DIR", "FrEduRneResp": ["X"]}
    assert roles(claims) == {
        ("0693045K", Role.HEAD),
        ("0291101P", Role.HEAD),
        ("0291101P", Role.TEACHER),
    }


def test_other_fonct_adm_values_give_nothing_more():
    assert roles({"FrEduRne": [RNE_ADM], "FrEduFonctAdm": "ADF"}) == set()


def test_title_stands_in_for_a_missing_function():
    assert roles({"FrEduRne": ["0291101P"], "title": "DOC"}) == {("0291101P", Role.DOCUMENTALISTE)}
    assert roles({"FrEduRne": ["0291101P$UAJ$PU$$0291101P"], "title": "EDU"}) == {
        ("0291101P", Role.CPE)
    }
    # The function field, when present, wins over the title.
    assert roles({"FrEduRne": [RNE_ENS], "title": "DIR"}) == {("0291101P", Role.TEACHER)}


def test_saml_attributes_are_lists_even_single_valued():
    saml = {
        "ctemail": ["claire.martin@ac-limoges.fr"],
        "FrEduRne": [RNE_ENS],
        "FrEduFonctAdm": ["DIR"],
        "FrEduRneResp": ["0590258K$UAJ$PU$N$T3$LYC$340"],
        "title": ["DIR"],
    }
    assert roles(saml) == {
        ("0291101P", Role.TEACHER),
        ("0291101P", Role.HEAD),
        ("0590258K", Role.HEAD),
    }


def test_invalid_uais_are_set_aside():
    derived = derive_roles(
        {
            "FrEduRne": ["0291101A$UAJ$PU$ENS", "garbage", RNE_ENS],
            "FrEduRneResp": ["12345"],
            "title": "ENS",
        }
    )
    assert set(derived.roles) == {("0291101P", Role.TEACHER)}
    assert set(derived.invalid) == {"0291101A$UAJ$PU$ENS", "garbage", "12345"}


def test_claim_names_ignore_case_and_old_cas_joined_values():
    assert claim_values({"fredurneresp": "0590258K;0590121L"}, "FrEduRneResp") == [
        "0590258K",
        "0590121L",
    ]
    assert roles({"FREDURNE": f"{RNE_ENS};{RNE_DIR}"}) == {
        ("0291101P", Role.TEACHER),
        ("0590121L", Role.HEAD),
    }


def test_no_claims_no_roles():
    assert roles({}) == set()
    assert roles({"email": "a@ac-limoges.fr", "FrEduRne": []}) == set()


@pytest.mark.django_db
class TestApply:
    def test_grants_known_establishments_and_reports_unknown(self):
        school = EstablishmentFactory(uai="0870022B")
        user = UserFactory()
        result = apply_sso_roles(
            user,
            derive_roles({"FrEduRne": ["0870022B$UAJ$PU$ENS$0870022B$T3$CLG$340", RNE_DIR]}),
        )
        assignment = RoleAssignment.objects.get(user=user)
        assert (assignment.establishment, assignment.role) == (school, Role.TEACHER)
        assert assignment.source == RoleSource.SSO and assignment.school_year is None
        assert result.unknown_uais == ["0590121L"]
        entry = AuditEntry.objects.get(action="role.sso_granted")
        assert entry.establishment == school and entry.actor == user
        assert entry.after["role"] == Role.TEACHER and entry.before is None

    def test_removes_sso_roles_no_longer_claimed_and_keeps_the_others(self):
        school, other = EstablishmentFactory(uai="0870022B"), EstablishmentFactory(uai="0870023C")
        user = UserFactory()
        manual = RoleAssignmentFactory(user=user, establishment=other, role=Role.RRUPN)
        letter = RoleAssignmentFactory(
            user=user, establishment=school, role=Role.RRUPN, source=RoleSource.LETTER
        )
        apply_sso_roles(user, derive_roles({"FrEduRneResp": ["0870022B", "0870023C"]}))
        assert RoleAssignment.objects.filter(user=user, source=RoleSource.SSO).count() == 2

        result = apply_sso_roles(user, derive_roles({"FrEduRneResp": ["0870023C"]}))
        assert result.revoked == [("0870022B", Role.HEAD)]
        remaining = set(RoleAssignment.objects.filter(user=user).values_list("pk", flat=True))
        assert manual.pk in remaining and letter.pk in remaining
        assert set(
            RoleAssignment.objects.filter(user=user, source=RoleSource.SSO).values_list(
                "establishment__uai", "role"
            )
        ) == {("0870023C", Role.HEAD)}
        revoked = AuditEntry.objects.get(action="role.sso_revoked")
        assert revoked.before["etablissement"] == "0870022B" and revoked.after is None

    def test_same_role_granted_by_hand_is_neither_duplicated_nor_removed(self):
        school = EstablishmentFactory(uai="0870022B")
        user = UserFactory()
        manual = RoleAssignmentFactory(user=user, establishment=school, role=Role.HEAD)
        apply_sso_roles(user, derive_roles({"FrEduRneResp": ["0870022B"]}))
        apply_sso_roles(user, derive_roles({"FrEduRneResp": ["X"]}))
        assert list(RoleAssignment.objects.filter(user=user)) == [manual]
        assert not AuditEntry.objects.exists()

    def test_a_second_identical_login_changes_nothing(self):
        EstablishmentFactory(uai="0870022B")
        user = UserFactory()
        claims = derive_roles({"FrEduRneResp": ["0870022B"]})
        apply_sso_roles(user, claims)
        result = apply_sso_roles(user, claims)
        assert (result.granted, result.revoked) == ([], [])
        assert AuditEntry.objects.count() == 1
