"""The Pix admin: the 6e parcours names editable by the SRANE, the rest read-only, and never a
pupil's name."""

import pytest
from django.contrib import admin
from django.urls import reverse

from pix import models
from pix.admin import FrameworkAdmin, ReadOnlyAdmin, ReferenceAdmin
from rrupn.audit.models import AuditEntry

from ..factories import SraneScopeFactory, UserFactory
from .factories import (
    CertificationSessionFactory,
    ParticipationFactory,
    PixCampaignFactory,
    PixOrganisationFactory,
)

pytestmark = pytest.mark.django_db

PUPIL = ("Zéphirine", "QUASIMODO-ADMIN")


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def srane_staff():
    user = UserFactory(is_staff=True)
    SraneScopeFactory(user=user, academie=True)
    return user


@pytest.fixture
def one_of_each(school):
    campaign = PixCampaignFactory(establishment=school)
    ParticipationFactory(campaign=campaign, first_name=PUPIL[0], last_name=PUPIL[1])
    PixOrganisationFactory(establishment=school, name="CLG STE FAUVE")
    CertificationSessionFactory(establishment=school)


def pix_admins():
    return [(m, a) for m, a in admin.site._registry.items() if m._meta.app_label == "pix"]


def test_registered_models_and_their_kind():
    registered = {model: type(model_admin) for model, model_admin in pix_admins()}
    assert set(registered) == {
        models.CrcnDomain,
        models.CrcnCompetence,
        models.KnownParcours,
        models.PixOrganisation,
        models.Campaign,
        models.CertificationSession,
    }
    # Pupils' rows and the import log (its warnings may quote a pupil) stay out of the admin.
    nominative = {models.Participation, models.CompetenceResult, models.PixImport}
    assert not nominative & set(registered)
    for model, kind in registered.items():
        if model in (models.KnownParcours, models.PixOrganisation):
            assert issubclass(kind, ReferenceAdmin), model
        else:
            assert issubclass(kind, ReadOnlyAdmin), model
    assert issubclass(registered[models.CrcnCompetence], FrameworkAdmin)


def info(model) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}"


def test_a_superuser_sees_every_page_never_a_pupil_and_changes_only_reference_data(
    client, superuser, one_of_each
):
    client.force_login(superuser)
    assert client.get(reverse("admin:app_list", args=["pix"])).status_code == 200
    for model, model_admin in pix_admins():
        changelist = client.get(reverse(f"{info(model)}_changelist"))
        assert changelist.status_code == 200, model
        obj = model.objects.order_by("pk").first()
        change = client.get(reverse(f"{info(model)}_change", args=[obj.pk]))
        assert change.status_code == 200, model
        for page in (changelist, change):
            text = page.content.decode()
            assert PUPIL[0] not in text and PUPIL[1] not in text, model
        add = client.get(reverse(f"{info(model)}_add"))
        if isinstance(model_admin, ReferenceAdmin):
            assert add.status_code == 200, model
        else:
            assert add.status_code == 403, model
            assert b'name="_save"' not in change.content, model
    campaign = models.Campaign.objects.get()
    assert (
        b'<td class="field-participant_count">1</td>'
        in client.get(reverse(f"{info(models.Campaign)}_changelist")).content
    )
    session = models.CertificationSession.objects.get()
    client.post(
        reverse(f"{info(models.CertificationSession)}_delete", args=[session.pk]), {"post": "yes"}
    )
    client.post(reverse(f"{info(models.Campaign)}_delete", args=[campaign.pk]), {"post": "yes"})
    assert models.CertificationSession.objects.filter(pk=session.pk).exists()
    assert models.Campaign.objects.filter(pk=campaign.pk).exists()


def test_the_srane_configures_the_6e_parcours_names_audited(client, srane_staff):
    client.force_login(srane_staff)
    bilan = models.KnownParcours.objects.get(role="6e-bilan")
    response = client.post(
        reverse(f"{info(models.KnownParcours)}_change", args=[bilan.pk]),
        {"name": "Bilan de fin de 6e — attestation", "role": "6e-bilan"},
    )
    assert response.status_code == 302
    bilan.refresh_from_db()
    assert bilan.name == "Bilan de fin de 6e — attestation"
    entry = AuditEntry.objects.get(action="reference.changed")
    assert entry.before["name"] == "Parcours 6e Bilan"
    assert entry.after["name"] == "Bilan de fin de 6e — attestation"

    response = client.post(
        reverse(f"{info(models.KnownParcours)}_add"),
        {"name": "Parcours 6e Protection et sécurité numérique", "role": "6e-protection"},
    )
    assert response.status_code == 302
    assert models.KnownParcours.objects.filter(role="6e-protection").count() == 2
    # Read-only for the SRANE too: the CRCN; out of its reach: campaigns and sessions.
    competence = models.CrcnCompetence.objects.get(code="3.2")
    page = client.get(reverse(f"{info(models.CrcnCompetence)}_change", args=[competence.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert "Développer des documents multimedia" in page.content.decode()
    assert client.get(reverse(f"{info(models.Campaign)}_changelist")).status_code == 403


def test_a_staff_account_without_srane_scope_sees_nothing(client):
    client.force_login(UserFactory(is_staff=True))
    for model, _model_admin in pix_admins():
        assert client.get(reverse(f"{info(model)}_changelist")).status_code == 403, model
