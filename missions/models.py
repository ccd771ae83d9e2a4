import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rrupn.establishments.models import Department, Establishment, SchoolYear

# --- Reference data (data migration, editable by the SRANE in the admin) ------------------------


class MissionFunction(models.Model):
    """One of the RRUPN's four functions (guide, "Fonctions"); the fourth is optional."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    title = models.CharField(_("intitulé"), max_length=200)
    optional = models.BooleanField(
        _("facultative"), default=False, help_text=_("Selon le contexte local.")
    )

    class Meta:
        verbose_name = _("fonction du RRUPN")
        verbose_name_plural = _("fonctions du RRUPN")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"


class MissionTask(models.Model):
    function = models.ForeignKey(
        MissionFunction, models.PROTECT, related_name="tasks", verbose_name=_("fonction")
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    title = models.CharField(_("intitulé"), max_length=300)
    active = models.BooleanField(_("proposée"), default=True)

    class Meta:
        verbose_name = _("tâche")
        verbose_name_plural = _("tâches")
        ordering = ["function__number", "order", "pk"]

    def __str__(self):
        return self.title


class SharingPartner(models.Model):
    """Who a task may be shared with (admin ENT, responsable d'affectation GAR…)."""

    code = models.SlugField(_("code"), unique=True)
    label = models.CharField(_("libellé"), max_length=100)
    needs_name = models.BooleanField(
        _("nom à préciser"), default=False, help_text=_("Pour « autre personne nommée ».")
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("partenaire de partage")
        verbose_name_plural = _("partenaires de partage")
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class ImpRate(models.Model):
    """Annual IMP rate (décret 2015-475, arrêté du 27 avril 2015)."""

    amount = models.DecimalField(
        _("montant annuel (€)"), max_digits=8, decimal_places=2, unique=True
    )
    active = models.BooleanField(_("en vigueur"), default=True)

    class Meta:
        verbose_name = _("taux d'IMP")
        verbose_name_plural = _("taux d'IMP")
        ordering = ["amount"]

    def __str__(self):
        return f"{self.amount:.2f} €".replace(".", ",")


# --- The letter ------------------------------------------------------------------------------


class LetterState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PROPOSED = "proposed", _("Proposée")
    CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
    SIGNED = "signed", _("Signée par le chef d'établissement")
    ACCEPTED = "accepted", _("Acceptée, à venir")
    ACTIVE = "active", _("En vigueur")
    ARCHIVED = "archived", _("Archivée")
    REPLACED = "replaced", _("Remplacée par un avenant")


EDITABLE_STATES = (LetterState.DRAFT, LetterState.CHANGES_REQUESTED)
IN_PROGRESS_STATES = (
    LetterState.DRAFT,
    LetterState.PROPOSED,
    LetterState.CHANGES_REQUESTED,
    LetterState.SIGNED,
)
IN_FORCE_STATES = (LetterState.ACCEPTED, LetterState.ACTIVE)


class PdfStatus(models.TextChoices):
    NONE = "none", _("Pas encore produit")
    PENDING = "pending", _("PDF en cours")
    READY = "ready", _("PDF prêt")
    FAILED = "failed", _("PDF en échec")


def new_verification_code() -> str:
    # 20 characters from an unambiguous alphabet, printed on the PDF: unguessable, easy to type.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(20))


class MissionLetter(models.Model):
    establishment = models.ForeignKey(
        Establishment,
        models.PROTECT,
        related_name="mission_letters",
        verbose_name=_("établissement"),
    )
    school_year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name=_("année scolaire"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    amends = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment",
        verbose_name=_("avenant à"),
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chef d'établissement signataire"),
    )
    rrupn = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("RRUPN")
    )
    starts_on = models.DateField(_("début de la mission"))
    ends_on = models.DateField(_("fin de la mission"))
    imp_rate = models.ForeignKey(
        ImpRate, models.PROTECT, null=True, blank=True, verbose_name=_("taux d'IMP")
    )
    imp_multiple = models.DecimalField(
        _("multiple du taux"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.25"))],
    )
    clauses = models.TextField(_("clauses particulières"), blank=True)
    state = models.CharField(
        _("état"), max_length=20, choices=LetterState.choices, default=LetterState.DRAFT
    )
    # Bumped by every write: a form posted with an older revision is a stale concurrent edit.
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("rédigée par")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    signed_at = models.DateTimeField(_("signée le"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    verification_code = models.CharField(
        _("code de vérification"), max_length=32, unique=True, default=new_verification_code
    )
    pdf = models.FileField(_("PDF"), upload_to="lettres/", blank=True)
    pdf_status = models.CharField(max_length=10, choices=PdfStatus.choices, default=PdfStatus.NONE)
    pdf_revision = models.PositiveIntegerField(default=0)  # the revision the stored PDF shows
    pdf_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("lettre de mission")
        verbose_name_plural = _("lettres de mission")
        ordering = ["-school_year__start_year", "establishment__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "school_year"],
                condition=Q(state__in=["accepted", "active"]),
                name="one_letter_in_force_per_school_year",
            ),
            models.UniqueConstraint(
                fields=["establishment", "school_year"],
                condition=Q(state__in=["draft", "proposed", "changes_requested", "signed"]),
                name="one_letter_in_progress_per_school_year",
            ),
            models.UniqueConstraint(
                fields=["establishment", "school_year", "version"], name="unique_letter_version"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="letter_dates_in_order"
            ),
        ]

    def __str__(self):
        return f"Lettre de mission {self.reference}"

    @property
    def reference(self) -> str:
        return f"LM-{self.establishment.uai}-{self.school_year.start_year}-v{self.version}"

    @property
    def imp_amount(self) -> Decimal | None:
        if self.imp_rate is None:
            return None
        return (self.imp_rate.amount * self.imp_multiple).quantize(Decimal("0.01"))

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def pdf_is_current(self) -> bool:
        return self.pdf_status == PdfStatus.READY and self.pdf_revision == self.revision


class LetterTask(models.Model):
    """A task the letter gives the RRUPN, and whether it is shared, and with whom."""

    letter = models.ForeignKey(MissionLetter, models.CASCADE, related_name="tasks")
    task = models.ForeignKey(MissionTask, models.PROTECT, verbose_name=_("tâche"))
    shared_with = models.ForeignKey(
        SharingPartner, models.PROTECT, null=True, blank=True, verbose_name=_("partagée avec")
    )
    shared_with_name = models.CharField(_("nom de la personne"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("tâche de la lettre")
        verbose_name_plural = _("tâches de la lettre")
        constraints = [
            models.UniqueConstraint(fields=["letter", "task"], name="unique_task_per_letter")
        ]
        ordering = ["task__function__number", "task__order", "task_id"]

    def __str__(self):
        return str(self.task)

    @property
    def shared_label(self) -> str:
        if self.shared_with is None:
            return ""
        if self.shared_with.needs_name and self.shared_with_name:
            return self.shared_with_name
        return self.shared_with.label


# --- Batch export for the SRANE ------------------------------------------------------------


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    READY = "ready", _("Prêt")
    FAILED = "failed", _("En échec")


class LetterExport(models.Model):
    """One ZIP of the letters of a département (or, blank, of the académie) for a school year,
    built by a worker; `done`/`total` is the progress the page polls."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("demandé par")
    )
    school_year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name=_("année scolaire"))
    department = models.CharField(
        _("département"),
        max_length=2,
        choices=Department.choices,
        blank=True,
        help_text=_("Vide : toute l'académie."),
    )
    status = models.CharField(
        _("état"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("lettres à exporter"), default=0)
    done = models.PositiveIntegerField(_("lettres exportées"), default=0)
    file = models.FileField(_("archive ZIP"), upload_to="exports/", blank=True)
    error = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("export de lettres de mission")
        verbose_name_plural = _("exports de lettres de mission")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Export {self.scope_label} {self.school_year.label}"

    @property
    def scope_label(self) -> str:
        return self.get_department_display() if self.department else str(_("toute l'académie"))

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.READY:
            return 100
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.READY, ExportStatus.FAILED)

    @property
    def download_name(self) -> str:
        return f"lettres-de-mission-{self.school_year.label}-{self.department or 'academie'}.zip"
