"""The web import: upload → preview → confirm, the bytes kept server-side between the two."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pix.imports import pending
from pix.imports.forms import MAX_UPLOAD_BYTES
from pix.models import Campaign, Participation, PixImport, PixOrganisation
from rrupn.audit.models import AuditEntry

from .factories import PixCampaignFactory, PixOrganisationFactory

SAMPLES = Path(__file__).parent / "samples"
ASSESSMENT_SAMPLE = (SAMPLES / "pix_assessment_export_sample.csv").read_bytes()
PROFILES_SAMPLE = (SAMPLES / "pix_profiles_collection_sample.csv").read_bytes()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def teacher_client(client, persona_user):
    user = persona_user("teacher")
    client.force_login(user)
    client.user = user
    return client


def upload_url(school, **query):
    url = reverse("pix:imports_upload", args=[school.uai])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def upload(client, school, data, name="Resultats-export.csv", **query):
    return client.post(upload_url(school, **query), {"fichier": SimpleUploadedFile(name, data)})


def test_upload_preview_confirm(teacher_client, school):
    response = upload(teacher_client, school, ASSESSMENT_SAMPLE)
    assert response.status_code == 302
    token = response.url.rstrip("/").rsplit("/", 1)[-1]
    assert response.url == reverse("pix:imports_preview", args=[school.uai, token])
    assert not Campaign.objects.exists()  # nothing written before the confirmation
    (stored,) = default_storage.listdir(pending.DIRECTORY)[1]
    assert stored == f"{token}.csv"

    page = teacher_client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Nouvelle" in html and "QXTRMB482" in html and "2025-2026" in html
    assert "Premier import" in html  # organisation name warning
    assert "Classes absentes du portail" in html
    assert '<th scope="row">À ajouter</th><td>8</td>' in html
    assert "LAFLEUR" in html and "46 %" in html  # Inès's progression 0,455
    assert "Confirmer enregistre « Collège Exemple des Tilleuls »" in html

    confirmed = teacher_client.post(response.url)
    campaign = Campaign.objects.get()
    assert confirmed.url == reverse("pix:campaigns_detail", args=[school.uai, campaign.pk])
    assert campaign.participations.count() == 8 and campaign.owner == teacher_client.user
    assert PixOrganisation.objects.get(establishment=school).name == "Collège Exemple des Tilleuls"
    assert PixImport.objects.get().imported_by == teacher_client.user
    assert AuditEntry.objects.filter(action="pix.import", actor=teacher_client.user).exists()
    assert default_storage.listdir(pending.DIRECTORY)[1] == []  # the kept file is gone
    detail = teacher_client.get(confirmed.url).content.decode()
    assert "Import terminé — élèves ajoutés : 8, mis à jour : 0, inchangés : 0." in detail
    assert "Resultats-export.csv" in detail

    # The same token cannot be confirmed twice.
    again = teacher_client.post(response.url)
    assert again.url == upload_url(school)
    assert PixImport.objects.count() == 1


def test_reimport_preview_shows_updates_and_no_name_warning(teacher_client, school):
    PixOrganisationFactory(establishment=school, name="Collège Exemple des Tilleuls")
    campaign = PixCampaignFactory(
        establishment=school, code="LKZWNP317", pix_id=498211, profiles=True
    )
    response = upload(teacher_client, school, PROFILES_SAMPLE, campagne=campaign.pk)
    html = teacher_client.get(response.url).content.decode()
    assert "Déjà connue" in html and '<th scope="row">À ajouter</th><td>8</td>' in html
    assert "Premier import" not in html and "alors que le nom" not in html
    assert "Certifiable" in html and "294" in html


def test_bad_file_lists_errors_and_keeps_nothing(teacher_client, school):
    bad = ASSESSMENT_SAMPLE.replace(b";0,455;", b";0,4.5;").replace(b'"6C";1;', b'"6C";1;1;')
    response = upload(teacher_client, school, bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 erreurs : fichier refusé, rien n’a été importé" in html
    assert "<td>4</td><td>% de progression</td>" in html
    assert "<td>8</td><td>(ligne entière)</td><td>27 colonnes au lieu de 26" in html
    assert "<td>9</td><td>(ligne entière)</td><td>27 colonnes au lieu de 26" in html
    assert not Campaign.objects.exists()
    assert (
        not default_storage.exists(pending.DIRECTORY)
        or not (default_storage.listdir(pending.DIRECTORY)[1])
    )


def test_not_a_pix_file_and_upload_checks(teacher_client, school):
    html = upload(teacher_client, school, b"a;b\n1;2\n").content.decode()
    assert "n&#x27;est pas un export de résultats de campagne Pix Orga" in html
    html = upload(teacher_client, school, ASSESSMENT_SAMPLE, name="export.xlsx").content.decode()
    assert "Le fichier doit être un export CSV de Pix Orga" in html
    html = upload(teacher_client, school, b"   \n").content.decode()
    assert "Le fichier est vide." in html
    html = teacher_client.post(upload_url(school), {}).content.decode()
    assert "Choisissez le fichier exporté de Pix Orga." in html
    assert not Campaign.objects.exists()


def test_file_too_big(teacher_client, school):
    data = ASSESSMENT_SAMPLE + b"\n" * (MAX_UPLOAD_BYTES)
    html = upload(teacher_client, school, data).content.decode()
    assert "10 Mo au plus." in html and not Campaign.objects.exists()


def test_file_of_another_campaign_than_the_page(teacher_client, school):
    campaign = PixCampaignFactory(establishment=school, code="ABCDEF123")
    html = upload(teacher_client, school, ASSESSMENT_SAMPLE, campagne=campaign.pk).content.decode()
    assert "ce fichier est l’export de la campagne QXTRMB482, pas de la campagne ABCDEF123" in html


def test_campaign_of_another_kind_is_refused_on_upload(teacher_client, school):
    PixCampaignFactory(establishment=school, code="QXTRMB482", profiles=True)
    html = upload(teacher_client, school, ASSESSMENT_SAMPLE).content.decode()
    assert "est enregistrée comme « Collecte de profils »" in html
    assert Participation.objects.count() == 0


def test_a_token_from_another_session_or_school_is_refused(
    client, teacher_client, school, other_school, persona_user
):
    response = upload(teacher_client, school, ASSESSMENT_SAMPLE)
    preview_url = response.url
    head = persona_user("head")
    client.force_login(head)  # same school, another session: the token means nothing there
    assert client.post(preview_url).url == upload_url(school)
    assert not Campaign.objects.exists()


def test_a_tampered_kept_file_is_refused(teacher_client, school):
    response = upload(teacher_client, school, ASSESSMENT_SAMPLE)
    token = response.url.rstrip("/").rsplit("/", 1)[-1]
    path = f"{pending.DIRECTORY}/{token}.csv"
    default_storage.delete(path)
    default_storage.save(path, SimpleUploadedFile("x", PROFILES_SAMPLE))
    assert teacher_client.post(response.url).url == upload_url(school)
    assert not Campaign.objects.exists()


def test_old_pending_files_are_swept(teacher_client, school):
    import datetime

    from django.utils import timezone

    upload(teacher_client, school, ASSESSMENT_SAMPLE)
    later = timezone.now() + pending.MAX_AGE + datetime.timedelta(minutes=1)
    assert pending.sweep(now=later) == 1
    assert pending.sweep(now=later) == 0


def test_cannot_import_without_the_capability(client, school, persona_user):
    client.force_login(persona_user("gestionnaire"))
    assert upload(client, school, ASSESSMENT_SAMPLE).status_code == 403
    assert not Campaign.objects.exists()
