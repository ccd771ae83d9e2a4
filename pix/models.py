"""Pix campaigns, their imported results and the anonymous aggregates built from them (SPEC §7).

Two kinds of rows live here:
- nominative ones (`Participation`, `CompetenceResult`): a pupil's results, visible only to the
  school's staff with a Pix role, purged a configurable time after the school year ends;
- anonymous ones (`DivisionSummary`, `CertificationSession`): counts per class, rebuilt at each
  import, kept after the purge; the SRANE pages read only these.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from rrupn.establishments.models import Division, Establishment, SchoolYear

USER = settings.AUTH_USER_MODEL
CAMPAIGN_CODE_RE = re.compile(r"^[A-Z]{6}[0-9]{3}$")


def validate_campaign_code(value: str) -> None:
    if not CAMPAIGN_CODE_RE.match(value or ""):
        raise ValidationError(
            _("« %(value)s » n'est pas un code de campagne Pix (6 lettres puis 3 chiffres)."),
            params={"value": value},
        )


class CrcnDomain(models.Model):
    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    title = models.CharField(_("intitulé"), max_length=100)

    class Meta:
        verbose_name = _("domaine du CRCN")
        verbose_name_plural = _("domaines du CRCN")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"


class CrcnCompetence(models.Model):
    domain = models.ForeignKey(
        CrcnDomain, models.PROTECT, related_name="competences", verbose_name=_("domaine")
    )
    code = models.CharField(_("code"), max_length=3, unique=True)  # "1.1" … "5.2"
    name = models.CharField(_("intitulé"), max_length=150, unique=True)

    class Meta:
        verbose_name = _("compétence du CRCN")
        verbose_name_plural = _("compétences du CRCN")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class ParcoursRole(models.TextChoices):
    SIXTH_PROTECTION = "6e-protection", _("6e — Protection et sécurité")
    SIXTH_INITIATION = "6e-initiation", _("6e — Initiation aux compétences numériques")
    SIXTH_BILAN = "6e-bilan", _("6e — Bilan (attestation de sensibilisation)")


class KnownParcours(models.Model):
    """A target profile ("Parcours" column) the portal gives a meaning to (SRANE-editable).

    Pix does not publish the exact names of the 6e parcours; the SRANE records the names its
    schools see so that the 6e attestation is counted.
    """

    name = models.CharField(_("nom du parcours dans Pix Orga"), max_length=255, unique=True)
    role = models.CharField(_("rôle"), max_length=20, choices=ParcoursRole.choices)

    class Meta:
        verbose_name = _("parcours Pix reconnu")
        verbose_name_plural = _("parcours Pix reconnus")
        ordering = ["role", "name"]

    def __str__(self):
        return self.name


class PixOrganisation(models.Model):
    """The school's name in Pix Orga, often not its official name; set by a confirmed import."""

    establishment = models.OneToOneField(
        Establishment, models.CASCADE, related_name="pix_organisation"
    )
    name = models.CharField(_("nom dans Pix Orga"), max_length=255)

    class Meta:
        verbose_name = _("organisation Pix Orga")
        verbose_name_plural = _("organisations Pix Orga")

    def __str__(self):
        return self.name


class CampaignKind(models.TextChoices):
    ASSESSMENT = "assessment", _("Évaluation (parcours)")
    PROFILES = "profiles", _("Collecte de profils")


class Campaign(models.Model):
    establishment = models.ForeignKey(
        Establishment, models.CASCADE, related_name="pix_campaigns", verbose_name=_("établissement")
    )
    school_year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name=_("année scolaire"))
    code = models.CharField(_("code Pix Orga"), max_length=9, validators=[validate_campaign_code])
    pix_id = models.PositiveIntegerField(_("identifiant Pix de la campagne"), null=True, blank=True)
    name = models.CharField(_("nom"), max_length=255)
    kind = models.CharField(_("type"), max_length=12, choices=CampaignKind.choices)
    target_profile = models.CharField(
        _("parcours (profil cible)"),
        max_length=255,
        blank=True,
        help_text=_("Vide pour une collecte de profils."),
    )
    divisions = models.ManyToManyField(
        Division, blank=True, related_name="pix_campaigns", verbose_name=_("classes")
    )
    owner = models.ForeignKey(
        USER,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enseignant responsable"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    last_import_at = models.DateTimeField(_("dernier import"), null=True, blank=True)

    class Meta:
        verbose_name = _("campagne Pix")
        verbose_name_plural = _("campagnes Pix")
        ordering = ["-school_year__start_year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "code"], name="unique_pix_campaign_code"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Participation(models.Model):
    """One pupil's latest result in one campaign, as exported by Pix Orga. Nominative."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="participations", verbose_name=_("campagne")
    )
    # Pupils are matched on (last name, first name, class): Pix exports no INE.
    match_key = models.CharField(max_length=400, editable=False)
    last_name = models.CharField(_("nom"), max_length=150)
    first_name = models.CharField(_("prénom"), max_length=150)
    division_code = models.CharField(_("classe"), max_length=50, blank=True)
    division = models.ForeignKey(
        Division,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("classe du portail"),
    )
    external_id = models.CharField(_("identifiant externe"), max_length=255, blank=True)
    started_at = models.DateTimeField(_("début"), null=True, blank=True)
    # Assessment: progression ratio 0–1 (1 = completed). Profiles collection: None.
    progression = models.DecimalField(
        _("progression"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    shared = models.BooleanField(_("partagé / envoyé"), default=False)
    shared_at = models.DateTimeField(_("date du partage ou de l'envoi"), null=True, blank=True)
    # Assessment, when shared.
    stage = models.PositiveSmallIntegerField(_("palier obtenu"), null=True, blank=True)
    stage_count = models.PositiveSmallIntegerField(_("paliers"), null=True, blank=True)
    mastery = models.DecimalField(
        _("maîtrise du profil"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    badges = models.JSONField(_("résultats thématiques"), default=dict, blank=True)
    domains = models.JSONField(_("résultats par domaine"), default=dict, blank=True)
    # Profiles collection, when sent.
    total_pix = models.PositiveSmallIntegerField(_("pix"), null=True, blank=True)
    certifiable = models.BooleanField(_("certifiable"), null=True, blank=True)
    certifiable_competences = models.PositiveSmallIntegerField(
        _("compétences certifiables"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["division_code", "last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "match_key"], name="unique_pix_pupil")
        ]

    def __str__(self):
        return f"{self.last_name} {self.first_name} ({self.division_code})"

    @property
    def completed(self) -> bool:
        from .summaries import is_completed

        return is_completed(self.campaign.kind, self.progression, self.shared)


class CompetenceResult(models.Model):
    participation = models.ForeignKey(
        Participation, models.CASCADE, related_name="results", verbose_name=_("participation")
    )
    competence = models.ForeignKey(
        CrcnCompetence, models.PROTECT, related_name="+", verbose_name=_("compétence")
    )
    # Assessment campaign.
    mastery = models.DecimalField(
        _("maîtrise"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    targeted = models.PositiveSmallIntegerField(_("acquis visés"), null=True, blank=True)
    validated = models.PositiveSmallIntegerField(_("acquis maîtrisés"), null=True, blank=True)
    # Profiles collection.
    level = models.PositiveSmallIntegerField(_("niveau"), null=True, blank=True)
    pix = models.PositiveSmallIntegerField(_("pix"), null=True, blank=True)

    class Meta:
        verbose_name = _("résultat par compétence")
        verbose_name_plural = _("résultats par compétence")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "competence"], name="unique_pix_competence_result"
            )
        ]

    def __str__(self):
        return f"{self.participation} — {self.competence.code}"


class DivisionSummary(models.Model):
    """Anonymous counts of one campaign for one class, rebuilt at each import (pix.summaries).

    `competences` maps a CRCN code to {"n": results, "mastery": mean ratio or None,
    "level": mean level or None}. Kept when the pupils' rows are purged.
    """

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="summaries", verbose_name=_("campagne")
    )
    division_code = models.CharField(_("classe"), max_length=50, blank=True)
    division = models.ForeignKey(
        Division,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("classe du portail"),
    )
    participants = models.PositiveIntegerField(_("participants"), default=0)
    started = models.PositiveIntegerField(_("en cours"), default=0)
    completed = models.PositiveIntegerField(_("terminé"), default=0)
    shared = models.PositiveIntegerField(_("partagé"), default=0)
    certifiable = models.PositiveIntegerField(_("certifiables"), default=0)
    mastery = models.DecimalField(
        _("maîtrise moyenne"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    # Profiles collection: mean total pix of the sent profiles.
    mean_pix = models.DecimalField(
        _("pix moyen"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    competences = models.JSONField(_("par compétence"), default=dict, blank=True)

    class Meta:
        verbose_name = _("synthèse par classe")
        verbose_name_plural = _("synthèses par classe")
        ordering = ["division_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "division_code"], name="unique_pix_division_summary"
            )
        ]

    def __str__(self):
        return f"{self.campaign} — {self.division_code or '—'}"


class PixImport(models.Model):
    """One confirmed import of a Pix Orga export (what, by whom, what it changed)."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="imports", verbose_name=_("campagne")
    )
    file_name = models.CharField(_("fichier"), max_length=255)
    imported_by = models.ForeignKey(
        USER,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("importé par"),
    )
    imported_at = models.DateTimeField(_("importé le"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("lignes"), default=0)
    created = models.PositiveIntegerField(_("élèves ajoutés"), default=0)
    updated = models.PositiveIntegerField(_("élèves mis à jour"), default=0)
    warnings = models.JSONField(_("avertissements"), default=list, blank=True)

    class Meta:
        verbose_name = _("import Pix Orga")
        verbose_name_plural = _("imports Pix Orga")
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.file_name} ({self.imported_at:%d/%m/%Y %H:%M})"


class CertificationLevel(models.TextChoices):
    TROISIEME = "3e", _("3e")
    TERMINALE = "terminale", _("Terminale")
    CAP = "cap", _("CAP")
    BTS = "bts", _("BTS")


class CertificationSession(models.Model):
    """A Pix certification session (décret 2019-919); counts only, no pupil names."""

    establishment = models.ForeignKey(
        Establishment, models.CASCADE, related_name="pix_sessions", verbose_name=_("établissement")
    )
    school_year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name=_("année scolaire"))
    level = models.CharField(_("niveau"), max_length=10, choices=CertificationLevel.choices)
    date = models.DateField(_("date"))
    room = models.CharField(_("salle"), max_length=100, blank=True)
    divisions = models.ManyToManyField(
        Division, blank=True, related_name="pix_sessions", verbose_name=_("classes")
    )
    candidates = models.PositiveIntegerField(_("candidats"), default=0)
    certified = models.PositiveIntegerField(
        _("certifiés"),
        null=True,
        blank=True,
        help_text=_("Vide tant que les résultats ne sont pas connus."),
    )
    # pix.crcn.SCORE_BANDS key → number of candidates
    score_bands = models.JSONField(_("répartition des scores"), default=dict, blank=True)

    class Meta:
        verbose_name = _("session de certification Pix")
        verbose_name_plural = _("sessions de certification Pix")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.get_level_display()} — {self.date:%d/%m/%Y}"
