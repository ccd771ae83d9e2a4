"""The commission numérique of a school and the pilotage of its digital project (SPEC §4)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rrupn.establishments.models import Ent, Establishment, SchoolYear

USER = settings.AUTH_USER_MODEL


# --- 1. Commission and members ----------------------------------------------------------------


class Modality(models.TextChoices):
    AD_HOC = "ad_hoc", _("Commission numérique ad hoc")
    CONSEIL_PEDAGOGIQUE = "conseil_pedagogique", _("Missions confiées au conseil pédagogique")


class MemberCategory(models.TextChoices):
    """The members the guide recommends ("Animation de la commission numérique")."""

    DIRECTION = "direction", _("Chef d'établissement ou membre de la direction")
    RRUPN = "rrupn", _("RRUPN")
    INTENDANCE = "intendance", _("Intendance (agent comptable, gestionnaire)")
    DISCIPLINE_REFERENT = (
        "discipline_referent",
        _("Enseignant référent d'une discipline ou d'un pôle"),
    )
    DOCUMENTALISTE = "documentaliste", _("Professeur documentaliste")
    VIE_SCOLAIRE = "vie_scolaire", _("Vie scolaire (CPE…)")
    ADMIN_ENT = "admin_ent", _("Administrateur ENT")
    RESP_GAR = "resp_gar", _("Responsable d'affectation GAR")
    PARENT = "parent", _("Parent élu")
    PUPIL = "pupil", _("Élève élu (CA, CVL, CVC)")
    OTHER = "other", _("Autre")


# Categories whose absence the commission page points out (parents and pupils are optional).
RECOMMENDED_CATEGORIES = [
    MemberCategory.DIRECTION,
    MemberCategory.RRUPN,
    MemberCategory.INTENDANCE,
    MemberCategory.DISCIPLINE_REFERENT,
    MemberCategory.DOCUMENTALISTE,
    MemberCategory.VIE_SCOLAIRE,
    MemberCategory.ADMIN_ENT,
    MemberCategory.RESP_GAR,
]


class Commission(models.Model):
    establishment = models.ForeignKey(
        Establishment, models.PROTECT, related_name="commissions", verbose_name=_("établissement")
    )
    school_year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name=_("année scolaire"))
    modality = models.CharField(
        _("modalité"), max_length=30, choices=Modality.choices, default=Modality.AD_HOC
    )
    # The head validates the composition; any later change of members clears the validation.
    validated_at = models.DateTimeField(_("composition validée le"), null=True, blank=True)
    validated_by = models.ForeignKey(
        USER, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("validée par")
    )
    submitted_at = models.DateTimeField(_("soumise à validation le"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commission numérique")
        verbose_name_plural = _("commissions numériques")
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "school_year"], name="one_commission_per_school_year"
            )
        ]

    def __str__(self):
        return f"Commission numérique {self.establishment.uai} {self.school_year.label}"

    @property
    def is_validated(self) -> bool:
        return self.validated_at is not None


class CommissionMember(models.Model):
    """A staff member of the portal, or a named outsider (parent, pupil, partner)."""

    commission = models.ForeignKey(Commission, models.CASCADE, related_name="members")
    user = models.ForeignKey(
        USER, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("personne")
    )
    outsider_name = models.CharField(_("nom (hors personnel)"), max_length=150, blank=True)
    category = models.CharField(_("catégorie"), max_length=30, choices=MemberCategory.choices)
    discipline = models.CharField(
        _("discipline ou pôle"),
        max_length=100,
        blank=True,
        help_text=_("Pour un enseignant référent."),
    )
    detail = models.CharField(
        _("précision"),
        max_length=100,
        blank=True,
        help_text=_("Instance (CA, CVL, CVC), fonction…"),
    )

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        ordering = ["category", "outsider_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "user"],
                condition=Q(user__isnull=False),
                name="member_once_per_commission",
            ),
            models.UniqueConstraint(
                fields=["commission", "outsider_name"],
                condition=Q(user__isnull=True),
                name="outsider_once_per_commission",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, outsider_name="")
                | Q(user__isnull=True) & ~Q(outsider_name=""),
                name="member_is_staff_or_named_outsider",
            ),
        ]

    def __str__(self):
        return str(self.user) if self.user_id else self.outsider_name


# --- 2. Meetings, attendance, actions ---------------------------------------------------------


class Meeting(models.Model):
    commission = models.ForeignKey(Commission, models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("date et heure"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=60)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    visio_url = models.URLField(_("lien de visioconférence"), blank=True)
    minutes = models.TextField(_("compte rendu"), blank=True)
    invitation_sent_at = models.DateTimeField(_("invitation envoyée le"), null=True, blank=True)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(default=1)
    # Minutes PDF, rendered by the project's PDF machinery (rrupn pdf helpers) in a worker.
    minutes_pdf = models.FileField(upload_to="comptes-rendus/", blank=True)
    minutes_pdf_revision = models.PositiveIntegerField(default=0)
    minutes_pdf_status = models.CharField(max_length=10, default="none")
    minutes_pdf_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["-starts_at"]

    def __str__(self):
        return f"Réunion du {self.starts_at:%d/%m/%Y}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("point à l'ordre du jour"), max_length=300)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class Presence(models.TextChoices):
    PRESENT = "present", _("Présent")
    EXCUSED = "excused", _("Excusé")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CommissionMember, models.CASCADE, related_name="attendance")
    presence = models.CharField(_("présence"), max_length=10, choices=Presence.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.member} : {self.get_presence_display()}"


class ActionStatus(models.TextChoices):
    TODO = "todo", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Faite")
    DROPPED = "dropped", _("Abandonnée")


OPEN_ACTION_STATUSES = (ActionStatus.TODO, ActionStatus.IN_PROGRESS)


class Action(models.Model):
    """A decision of a meeting, followed from meeting to meeting."""

    commission = models.ForeignKey(Commission, models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(
        Meeting,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("décidée en réunion"),
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        CommissionMember, models.PROTECT, related_name="actions", verbose_name=_("responsable")
    )
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.TODO
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["status", "due_on", "pk"]

    def __str__(self):
        return self.title


# --- 3. Digital project -------------------------------------------------------------------------


class ProjectAxis(models.Model):
    """An axis of the digital part of the projet d'établissement (spans school years)."""

    establishment = models.ForeignKey(Establishment, models.CASCADE, related_name="project_axes")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("axe"), max_length=200)

    class Meta:
        verbose_name = _("axe du projet numérique")
        verbose_name_plural = _("axes du projet numérique")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class Indicator(models.Model):
    axis = models.ForeignKey(ProjectAxis, models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicateur"), max_length=200)
    unit = models.CharField(_("unité"), max_length=30, blank=True)
    target = models.DecimalField(_("cible"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="values")
    measured_on = models.DateField(_("date de la mesure"))
    value = models.DecimalField(_("valeur"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["measured_on"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "measured_on"], name="one_value_per_day")
        ]

    def __str__(self):
        return f"{self.indicator} le {self.measured_on:%d/%m/%Y} : {self.value}"


# --- 4. Training --------------------------------------------------------------------------------


class TrainingTopic(models.Model):
    """Reference data (SRANE-editable): needs are aggregated by topic to plan FIL."""

    label = models.CharField(_("thème"), max_length=150, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("thème de formation")
        verbose_name_plural = _("thèmes de formation")
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class Priority(models.TextChoices):
    HIGH = "high", _("Haute")
    MEDIUM = "medium", _("Moyenne")
    LOW = "low", _("Basse")


class NeedOrigin(models.TextChoices):
    SURVEY = "survey", _("Enquête auprès des équipes")
    PIX_EDU = "pix_edu", _("Positionnement Pix+Édu")
    OBSERVATION = "observation", _("Observation")


class TrainingNeed(models.Model):
    establishment = models.ForeignKey(Establishment, models.CASCADE, related_name="training_needs")
    school_year = models.ForeignKey(SchoolYear, models.PROTECT)
    topic = models.ForeignKey(TrainingTopic, models.PROTECT, verbose_name=_("thème"))
    detail = models.CharField(_("précision"), max_length=300, blank=True)
    audience = models.CharField(_("public"), max_length=200)
    staff_count = models.PositiveIntegerField(
        _("nombre de personnels"), validators=[MinValueValidator(1)]
    )
    priority = models.CharField(_("priorité"), max_length=10, choices=Priority.choices)
    origin = models.CharField(_("origine"), max_length=15, choices=NeedOrigin.choices)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("besoin de formation")
        verbose_name_plural = _("besoins de formation")
        ordering = ["priority", "-created_at"]

    def __str__(self):
        return f"{self.topic} ({self.staff_count})"


class TrainingKind(models.TextChoices):
    CAFE = "cafe", _("Café numérique")
    FIL = "fil", _("Demande de FIL")
    OTHER = "other", _("Autre action")


class TrainingAction(models.Model):
    establishment = models.ForeignKey(
        Establishment, models.CASCADE, related_name="training_actions"
    )
    school_year = models.ForeignKey(SchoolYear, models.PROTECT)
    kind = models.CharField(_("type"), max_length=10, choices=TrainingKind.choices)
    topic = models.ForeignKey(TrainingTopic, models.PROTECT, verbose_name=_("thème"))
    title = models.CharField(_("intitulé"), max_length=200)
    presenter = models.CharField(_("animé par"), max_length=150, blank=True)
    held_on = models.DateField(_("date"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=30)
    attendees = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    need = models.ForeignKey(
        TrainingNeed,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("répond au besoin"),
    )
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("action de formation")
        verbose_name_plural = _("actions de formation")
        ordering = ["-held_on", "pk"]

    def __str__(self):
        return self.title


# --- 5. Purchase proposals -------------------------------------------------------------------


class PurchaseState(models.TextChoices):
    PROPOSED = "proposed", _("En attente de décision")
    APPROVED = "approved", _("Acceptée")
    REFUSED = "refused", _("Refusée")


class PurchaseProposal(models.Model):
    establishment = models.ForeignKey(Establishment, models.CASCADE, related_name="purchases")
    school_year = models.ForeignKey(SchoolYear, models.PROTECT)
    item = models.CharField(_("matériel ou ressource"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantité"), validators=[MinValueValidator(1)])
    estimated_cost = models.DecimalField(
        _("coût estimé (€)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    justification = models.TextField(_("justification"))
    project = models.CharField(_("projet lié"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        _("décision"), max_length=10, choices=PurchaseState.choices, default=PurchaseState.PROPOSED
    )
    decided_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("commentaire de la décision"), blank=True)

    class Meta:
        verbose_name = _("proposition d'achat")
        verbose_name_plural = _("propositions d'achat")
        ordering = ["-proposed_at"]

    def __str__(self):
        return f"{self.item} × {self.quantity}"


# --- 6. Remarkable practices ---------------------------------------------------------------------


class RemarkablePractice(models.Model):
    establishment = models.ForeignKey(Establishment, models.CASCADE, related_name="practices")
    school_year = models.ForeignKey(SchoolYear, models.PROTECT)
    title = models.CharField(_("titre"), max_length=200)
    discipline = models.CharField(_("discipline"), max_length=100)
    level = models.CharField(_("niveau"), max_length=50)
    description = models.TextField(_("description"))
    tools = models.CharField(_("outils utilisés"), max_length=300, blank=True)
    author = models.ForeignKey(USER, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    shared_at = models.DateTimeField(
        _("partagée avec le SRANE le"), null=True, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("pratique remarquable")
        verbose_name_plural = _("pratiques remarquables")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


# --- 7. Recommended tools catalogue (guide annex) -------------------------------------------------


class ToolUsage(models.Model):
    """A usage category of the guide's annex ("Partager des documents avec les élèves"…)."""

    section = models.CharField(_("rubrique"), max_length=200)
    label = models.CharField(_("usage"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("usage (catalogue d'outils)")
        verbose_name_plural = _("usages (catalogue d'outils)")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.label


class RecommendedTool(models.Model):
    """A tool recommended for a usage, within an ENT (empty: schools of the other ENT/none)."""

    usage = models.ForeignKey(ToolUsage, models.CASCADE, related_name="tools")
    ent = models.ForeignKey(
        Ent,
        models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("ENT"),
        help_text=_("Vide : établissements sans ENT ou autres plateformes."),
    )
    name = models.CharField(_("outil"), max_length=200)
    note = models.CharField(_("précision"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("outil préconisé")
        verbose_name_plural = _("outils préconisés")
        ordering = ["usage__order", "order", "pk"]

    def __str__(self):
        return self.name


# --- 8. RGPD register --------------------------------------------------------------------------


class ProcessingActivity(models.Model):
    """An entry of the register of processing activities (the head is responsable de traitements)."""

    establishment = models.ForeignKey(
        Establishment, models.CASCADE, related_name="processing_activities"
    )
    name = models.CharField(_("traitement"), max_length=200)
    service = models.CharField(_("service numérique utilisé"), max_length=200)
    purpose = models.TextField(_("finalité"))
    data_categories = models.TextField(_("catégories de données"))
    people_concerned = models.CharField(_("personnes concernées"), max_length=300)
    recipients = models.CharField(_("destinataires"), max_length=300)
    retention = models.CharField(_("durée de conservation"), max_length=200)
    security_measures = models.TextField(_("mesures de sécurité"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(USER, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("traitement (registre RGPD)")
        verbose_name_plural = _("registre RGPD")
        ordering = ["name"]

    def __str__(self):
        return self.name
