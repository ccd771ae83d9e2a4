"""GAR resources, subscriptions, start-of-year assignments and responsables d'affectation.

Field names follow the GAR subscription web service (formats/sso_gar.md §A.1) where they exist.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rrupn.establishments.models import Collectivite, Division, Establishment, SchoolYear

USER = settings.AUTH_USER_MODEL
ARK_RE = re.compile(r"^ark:/\d{5}/[A-Za-z0-9=~*+@_$.\-/]+$")
UNLIMITED = "ILLIMITE"


def validate_ark(value: str) -> None:
    if not ARK_RE.match(value or "") or len(value) > 1024:
        raise ValidationError(
            _(
                "« %(value)s » n'est pas un identifiant ARK (forme attendue : ark:/47198/ressource)."
            ),
            params={"value": value},
        )


def validate_licence_count(value: str) -> None:
    """A GAR licence count: a whole number, or ILLIMITE."""
    if value in ("", UNLIMITED) or (value.isdigit() and len(value) <= 9):
        return
    raise ValidationError(
        _("Nombre de licences invalide « %(value)s » : un nombre entier ou ILLIMITE."),
        params={"value": value},
    )


class Public(models.TextChoices):
    ELEVE = "ELEVE", _("Élèves")
    ENSEIGNANT = "ENSEIGNANT", _("Enseignants")
    DOCUMENTALISTE = "DOCUMENTALISTE", _("Professeurs documentalistes")
    AUTRE_PERSONNEL = "AUTRE PERSONNEL", _("Autres personnels")


class Origin(models.TextChoices):
    NATIONAL = "national", _("Nationale (offerte par le ministère)")
    TERRITORIAL = "territorial", _("Territoriale (payée par une collectivité)")
    ACQUIRED = "acquired", _("Acquise par l'établissement")


class GarResource(models.Model):
    """The catalogue (SRANE-editable). National resources are open to every school."""

    ark = models.CharField(
        _("identifiant ARK"), max_length=1024, unique=True, validators=[validate_ark]
    )
    title = models.CharField(_("titre"), max_length=255)
    distributor = models.CharField(_("distributeur"), max_length=200)
    distributor_id = models.CharField(
        _("idDistributeurCom (SIREN_ISNI)"),
        max_length=26,
        blank=True,
        validators=[
            RegexValidator(
                r"^[0-9]{9}_[0-9]{16}$", _("Forme attendue : SIREN_ISNI (9 puis 16 chiffres).")
            )
        ],
    )
    origin = models.CharField(_("origine"), max_length=12, choices=Origin.choices)
    collectivite = models.ForeignKey(
        Collectivite,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("collectivité qui la paie"),
    )
    publics = models.JSONField(_("publics cibles"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("au catalogue"), default=True)

    class Meta:
        verbose_name = _("ressource GAR")
        verbose_name_plural = _("ressources GAR")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.origin == Origin.TERRITORIAL and self.collectivite_id is None:
            raise ValidationError(
                {"collectivite": _("Une ressource territoriale a une collectivité.")}
            )
        unknown = set(self.publics) - set(Public.values)
        if unknown:
            raise ValidationError(
                {"publics": _("Publics inconnus : %s") % ", ".join(sorted(unknown))}
            )


class AssignmentType(models.TextChoices):
    INDIV = "INDIV", _("Individuelle (INDIV)")
    ETABL = "ETABL", _("Établissement (ETABL)")


class AssignmentCategory(models.TextChoices):
    TRANSFERABLE = "transferable", _("Transférable")
    NON_TRANSFERABLE = "non transferable", _("Non transférable")


class GarSubscription(models.Model):
    """A subscription (abonnement) of one establishment, with the GAR fields."""

    establishment = models.ForeignKey(
        Establishment,
        models.CASCADE,
        related_name="gar_subscriptions",
        verbose_name=_("établissement"),
    )
    school_year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name=_("année scolaire"))
    resource = models.ForeignKey(
        GarResource, models.PROTECT, related_name="subscriptions", verbose_name=_("ressource")
    )
    id_abonnement = models.CharField(_("idAbonnement"), max_length=45, unique=True)
    comment = models.CharField(_("commentaireAbonnement"), max_length=255, blank=True)
    starts_on = models.DateField(_("debutValidite"))
    ends_on = models.DateField(_("finValidite"), null=True, blank=True)
    end_school_year = models.CharField(_("anneeFinValidite"), max_length=9, blank=True)
    assignment_category = models.CharField(
        _("categorieAffectation"),
        max_length=20,
        choices=AssignmentCategory.choices,
        default=AssignmentCategory.TRANSFERABLE,
    )
    assignment_type = models.CharField(
        _("typeAffectation"),
        max_length=5,
        choices=AssignmentType.choices,
        default=AssignmentType.INDIV,
    )
    publics = models.JSONField(_("publicCible"), default=list)
    licences_global = models.CharField(
        _("nbLicenceGlobale"), max_length=10, blank=True, validators=[validate_licence_count]
    )
    licences_eleve = models.CharField(
        _("nbLicenceEleve"), max_length=10, blank=True, validators=[validate_licence_count]
    )
    licences_enseignant = models.CharField(
        _("nbLicenceEnseignant"), max_length=10, blank=True, validators=[validate_licence_count]
    )
    licences_doc = models.CharField(
        _("nbLicenceProfDoc"), max_length=10, blank=True, validators=[validate_licence_count]
    )
    licences_autre = models.CharField(
        _("nbLicenceAutrePersonnel"), max_length=10, blank=True, validators=[validate_licence_count]
    )
    project_code = models.CharField(_("codeProjetRessource"), max_length=50, blank=True)
    source = models.CharField(_("origine de la saisie"), max_length=10, default="manual")
    # Licences used, from the GAR assignment report (cumulAffectation…).
    used_eleve = models.PositiveIntegerField(default=0)
    used_enseignant = models.PositiveIntegerField(default=0)
    used_doc = models.PositiveIntegerField(default=0)
    used_autre = models.PositiveIntegerField(default=0)
    report_imported_at = models.DateTimeField(null=True, blank=True)
    # Start-of-year campaign: assignments redone and checked for this subscription.
    done_at = models.DateTimeField(_("affectations faites le"), null=True, blank=True)
    done_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Bumped by every change of the subscription itself (form, CSV import): a form posted with
    # an older revision is a concurrent edit, refused instead of silently overwriting it.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("abonnement GAR")
        verbose_name_plural = _("abonnements GAR")
        ordering = ["resource__title"]
        indexes = [models.Index(fields=["establishment", "school_year"])]

    def __str__(self):
        return f"{self.resource} ({self.id_abonnement})"


class TargetKind(models.TextChoices):
    DIVISION = "division", _("Classe ou groupe")
    TEACHER = "teacher", _("Enseignant")
    ESTABLISHMENT = "establishment", _("Tout l'établissement")


class GarAssignment(models.Model):
    """An affectation: a subscription given to a division/group, a teacher or the whole school."""

    subscription = models.ForeignKey(GarSubscription, models.CASCADE, related_name="assignments")
    target_kind = models.CharField(_("destinataire"), max_length=15, choices=TargetKind.choices)
    division = models.ForeignKey(
        Division,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="gar_assignments",
        verbose_name=_("classe ou groupe"),
    )
    teacher = models.ForeignKey(
        USER, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("enseignant")
    )
    public = models.CharField(_("public"), max_length=20, choices=Public.choices)
    licences = models.PositiveIntegerField(_("licences utilisées"))
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "division"],
                condition=Q(division__isnull=False),
                name="assign_division_once",
            ),
            models.UniqueConstraint(
                fields=["subscription", "teacher"],
                condition=Q(teacher__isnull=False),
                name="assign_teacher_once",
            ),
            models.UniqueConstraint(
                fields=["subscription"],
                condition=Q(target_kind="establishment"),
                name="assign_establishment_once",
            ),
        ]

    def __str__(self):
        return f"{self.subscription} → {self.division or self.teacher or _('établissement')}"


def default_due_date(school_year) -> datetime.date:
    return datetime.date(school_year.start_year, 9, 30)


class GarCampaign(models.Model):
    """The start-of-year assignment campaign of a school year; due date set by the SRANE."""

    school_year = models.OneToOneField(SchoolYear, models.PROTECT, verbose_name=_("année scolaire"))
    due_on = models.DateField(_("date limite"))
    reminder_every_days = models.PositiveSmallIntegerField(_("relance tous les (jours)"), default=7)

    class Meta:
        verbose_name = _("campagne d'affectation GAR")
        verbose_name_plural = _("campagnes d'affectation GAR")

    def __str__(self):
        return f"Campagne GAR {self.school_year.label}"


class CampaignReminder(models.Model):
    """A reminder e-mail sent to a late school (one row per sending, for the SRANE's follow-up)."""

    campaign = models.ForeignKey(GarCampaign, models.CASCADE, related_name="reminders")
    establishment = models.ForeignKey(Establishment, models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list)
    sent_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return f"Relance {self.establishment.uai} {self.sent_at:%d/%m/%Y}"


class DesignationState(models.TextChoices):
    PROPOSED = "proposed", _("Proposée, en attente du chef d'établissement")
    DESIGNATED = "designated", _("Désignée")
    REFUSED = "refused", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée")


class RespAffectation(models.Model):
    """A responsable d'affectation GAR of a school for a school year."""

    establishment = models.ForeignKey(
        Establishment, models.CASCADE, related_name="gar_responsables"
    )
    school_year = models.ForeignKey(SchoolYear, models.PROTECT)
    user = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name=_("personne"))
    state = models.CharField(_("état"), max_length=12, choices=DesignationState.choices)
    proposed_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    done_in_ent_at = models.DateTimeField(_("fait dans l'ENT le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("responsable d'affectation GAR")
        verbose_name_plural = _("responsables d'affectation GAR")
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "school_year", "user"],
                condition=Q(state__in=["proposed", "designated"]),
                name="one_live_designation_per_person",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.establishment.uai} {self.school_year.label}"
