"""Incident routing: where a school's incident must go (SPEC §6, the guide's table).

Rules are reference data the SRANE edits; the most specific matching rule wins, the incident's
category weighing more than the kind of school, which weighs more than the département (the
académie network goes to AMÉRANA whatever the school; a Lycée connecté problem goes to the ENT's
own assistance whatever the lycée).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rrupn.establishments.models import Collectivite, Department, Kind


class TicketCategory(models.Model):
    code = models.SlugField(_("code"), unique=True)
    label = models.CharField(_("libellé"), max_length=150)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("catégorie d'incident")
        verbose_name_plural = _("catégories d'incident")
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class ChannelKind(models.TextChoices):
    GLPI = "glpi", _("Ticket GLPI (API)")
    EMAIL = "email", _("Courriel")
    HANDOFF = "handoff", _("Transmission manuelle")


class GlpiFlavour(models.TextChoices):
    LEGACY = "legacy", _("GLPI 9.5 ou 10 (API REST historique)")
    GLPI11 = "glpi11", _("GLPI 11 (API REST historique, champ externalid)")
    GLPI11_HL = "glpi11_hl", _("GLPI 11 (API v2 haut niveau, OAuth2)")


class Channel(models.Model):
    """A way to reach a helpdesk: a GLPI instance, an e-mail address, or manual instructions."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("nom"), max_length=150)
    kind = models.CharField(_("type"), max_length=10, choices=ChannelKind.choices)
    collectivite = models.ForeignKey(
        Collectivite, models.PROTECT, null=True, blank=True, verbose_name=_("collectivité")
    )
    url = models.URLField(
        _("adresse du service"),
        blank=True,
        help_text=_(
            "GLPI, API historique : l’adresse de l’API, terminée par /apirest.php ou "
            "/api.php/v1. GLPI 11, API v2 : la racine du GLPI (ou …/api.php ; /api.php/v2 et "
            "la barre finale sont retirés)."
        ),
    )
    email_to = models.EmailField(_("adresse de courriel"), blank=True)
    instructions = models.TextField(_("consignes"), blank=True)
    glpi_flavour = models.CharField(
        _("version de GLPI"),
        max_length=10,
        choices=GlpiFlavour.choices,
        default=GlpiFlavour.LEGACY,
        help_text=_(
            "GLPI 11 : la référence du portail est écrite dans le champ externalid du ticket "
            "et un nouvel essai cherche le ticket par ce champ. API v2 (OAuth2) : pour un GLPI 11 "
            "dont l’API historique est désactivée ; le SRANE saisit le client OAuth, chaque "
            "chef d’établissement l’identifiant et le mot de passe GLPI de l’établissement. "
            "Canaux GLPI seulement."
        ),
    )

    class Meta:
        verbose_name = _("canal d'assistance")
        verbose_name_plural = _("canaux d'assistance")
        ordering = ["name"]

    def __str__(self):
        return self.name


class GlpiCategoryMapping(models.Model):
    """On a GLPI channel, the ITIL category (`itilcategories_id`) a portal category goes to.

    An unmapped category sends no category field: GLPI keeps its default, and the portal's
    label stays in the ticket's text.
    """

    channel = models.ForeignKey(
        Channel,
        models.CASCADE,
        related_name="category_mappings",
        limit_choices_to={"kind": ChannelKind.GLPI},
        verbose_name=_("canal"),
    )
    category = models.ForeignKey(
        TicketCategory, models.CASCADE, related_name="+", verbose_name=_("catégorie du portail")
    )
    glpi_category_id = models.PositiveIntegerField(
        _("identifiant de la catégorie GLPI"),
        validators=[MinValueValidator(1)],
        help_text=_(
            "GLPI : Configuration → Intitulés → Catégories ITIL, colonne ID (un nombre entier)."
        ),
    )

    class Meta:
        verbose_name = _("correspondance de catégorie GLPI")
        verbose_name_plural = _("correspondances de catégories GLPI")
        constraints = [
            models.UniqueConstraint(fields=["channel", "category"], name="one_glpi_category")
        ]

    def __str__(self):
        return f"{self.category} → {self.glpi_category_id}"

    def clean(self):
        if self.channel_id and self.channel.kind != ChannelKind.GLPI:
            raise ValidationError(_("Seuls les canaux GLPI ont des catégories GLPI."))


class SchoolGroup(models.TextChoices):
    COLLEGE = "college", _("Collèges")
    LYCEE = "lycee", _("Lycées (toutes voies), EREA")


class RoutingRule(models.Model):
    school_group = models.CharField(
        _("établissements"),
        max_length=10,
        choices=SchoolGroup.choices,
        blank=True,
        help_text=_("Vide : tous."),
    )
    department = models.CharField(
        _("département"),
        max_length=2,
        choices=Department.choices,
        blank=True,
        help_text=_("Vide : tous."),
    )
    category = models.ForeignKey(
        TicketCategory,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("catégorie"),
        help_text=_("Vide : toutes."),
    )
    channel = models.ForeignKey(
        Channel, models.PROTECT, related_name="rules", verbose_name=_("canal")
    )

    class Meta:
        verbose_name = _("règle d'acheminement")
        verbose_name_plural = _("règles d'acheminement")

    def __str__(self):
        parts = [
            self.get_school_group_display() or _("tous établissements"),
            self.department or _("tous départements"),
            str(self.category or _("toutes catégories")),
        ]
        return " / ".join(str(p) for p in parts) + f" → {self.channel}"

    def clean(self):
        twins = RoutingRule.objects.filter(
            school_group=self.school_group, department=self.department, category=self.category
        ).exclude(pk=self.pk)
        if twins.exists():
            raise ValidationError(
                _("Une règle existe déjà pour ces établissements et cette catégorie.")
            )

    @property
    def specificity(self) -> int:
        return (
            (4 if self.category_id else 0)
            + (2 if self.school_group else 0)
            + (1 if self.department else 0)
        )

    def matches(self, *, school_group: str, department: str, category_id: int) -> bool:
        return (
            self.school_group in ("", school_group)
            and self.department in ("", department)
            and self.category_id in (None, category_id)
        )


def school_group_of(kind: str) -> str:
    return SchoolGroup.COLLEGE if kind == Kind.COLLEGE else SchoolGroup.LYCEE


# --- Tickets ------------------------------------------------------------------------------------


class Urgency(models.TextChoices):
    LOW = "low", _("Faible")
    NORMAL = "normal", _("Normale")
    HIGH = "high", _("Haute : cours empêchés")


class TicketStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    TO_RRUPN = "to_rrupn", _("Signalé au RRUPN")
    AWAITING_HEAD = "awaiting_head", _("En attente du chef d'établissement")
    QUEUED = "queued", _("En file d'envoi")
    SENT = "sent", _("Transmis")
    ACKNOWLEDGED = "acknowledged", _("Pris en compte")
    IN_PROGRESS = "in_progress", _("En cours de traitement")
    RESOLVED = "resolved", _("Résolu")
    CLOSED = "closed", _("Clos")
    FAILED = "failed", _("Échec de transmission")


OPEN_STATUSES = (
    TicketStatus.TO_RRUPN,
    TicketStatus.AWAITING_HEAD,
    TicketStatus.QUEUED,
    TicketStatus.SENT,
    TicketStatus.ACKNOWLEDGED,
    TicketStatus.IN_PROGRESS,
    TicketStatus.FAILED,
)


class Ticket(models.Model):
    establishment = models.ForeignKey(
        "establishments.Establishment",
        models.PROTECT,
        related_name="tickets",
        verbose_name=_("établissement"),
    )
    reporter = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("signalé par")
    )
    category = models.ForeignKey(TicketCategory, models.PROTECT, verbose_name=_("catégorie"))
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"))
    room = models.CharField(_("salle"), max_length=100, blank=True)
    equipment = models.CharField(_("matériel concerné"), max_length=200, blank=True)
    urgency = models.CharField(
        _("urgence"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("état"), max_length=15, choices=TicketStatus.choices, default=TicketStatus.DRAFT
    )
    channel = models.ForeignKey(
        Channel, models.PROTECT, null=True, blank=True, verbose_name=_("canal")
    )
    external_ref = models.CharField(_("référence externe"), max_length=100, blank=True)
    external_url = models.URLField(_("lien externe"), blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["establishment", "status"])]

    def __str__(self):
        return f"{self.reference} — {self.title}"

    @property
    def reference(self) -> str:
        """The portal reference, also sent to the helpdesk (and used to find it there again)."""
        return f"RRUPN-{self.pk:06d}"


def attachment_path(instance, filename: str) -> str:
    # Never the user's file name in the path: only the ticket and a random name.
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:10]
    return f"incidents/{instance.ticket_id}/{uuid.uuid4().hex}{suffix}"


class TicketAttachment(models.Model):
    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.original_name


class Level1Note(models.Model):
    """What the RRUPN did themselves (level-1 maintenance), and the time it took."""

    ticket = models.ForeignKey(
        Ticket, models.CASCADE, related_name="level1_notes", null=True, blank=True
    )
    establishment = models.ForeignKey(
        "establishments.Establishment", models.CASCADE, related_name="level1_notes"
    )
    author = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    done_on = models.DateField(_("date"))
    minutes_spent = models.PositiveIntegerField(_("temps passé (minutes)"))
    note = models.TextField(_("ce qui a été fait"))

    class Meta:
        ordering = ["-done_on", "-pk"]

    def __str__(self):
        return f"{self.done_on:%d/%m/%Y} ({self.minutes_spent} min)"


class Followup(models.Model):
    """A comment the RRUPN adds to an incident; sent to the helpdesk through the outbox (a GLPI
    ITILFollowup, a reply e-mail), or only kept here for a hand-off channel."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="followups")
    author = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    content = models.TextField(_("suivi"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suivi d'incident")
        verbose_name_plural = _("suivis d'incident")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.ticket.reference} — suivi {self.pk}"

    @property
    def reference(self) -> str:
        """Written in the sent text, so a retry finds a followup a previous attempt posted."""
        return f"{self.ticket.reference}-S{self.pk}"


# --- Delivery (outbox) ---------------------------------------------------------------------------


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("En file")
    SENDING = "sending", _("Envoi en cours")
    SENT = "sent", _("Envoyé")
    WAITING_MANUAL = "waiting_manual", _("À transmettre à la main")
    FAILED = "failed", _("Échec")


class Delivery(models.Model):
    """The outbound row written in the ticket's transaction; a worker claims and sends it."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="deliveries")
    followup = models.ForeignKey(
        Followup,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        help_text=_("Vide : l'incident lui-même ; sinon, ce suivi."),
    )
    channel = models.ForeignKey(Channel, models.PROTECT)
    status = models.CharField(
        max_length=15, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    permanent_failure = models.BooleanField(default=False)
    external_ref = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"Envoi {self.ticket.reference} → {self.channel} ({self.get_status_display()})"

    @property
    def tried_before(self) -> bool:
        """An earlier attempt may have reached the helpdesk (answer lost, worker killed, failure
        after the create): the transport looks for what it left before creating anything.
        "Échec — réessayer" counts attempts afresh but keeps the last error, hence both."""
        return self.attempts > 1 or bool(self.last_error)


class ChannelCredential(models.Model):
    """Per-establishment secrets for a GLPI channel (user token), encrypted at rest."""

    channel = models.ForeignKey(Channel, models.CASCADE, related_name="credentials")
    establishment = models.ForeignKey(
        "establishments.Establishment",
        models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Vide : secret du canal lui-même (jeton d'application)."),
    )
    name = models.CharField(max_length=30)  # "app_token", "user_token"…
    ciphertext = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "establishment", "name"],
                name="one_secret_per_name",
            )
        ]

    def __str__(self):
        return f"{self.channel.code} / {self.name}"


class LyceeGlpiRight(models.Model):
    """The head records that the RRUPN has been granted rights on the Région's GLPI."""

    establishment = models.OneToOneField(
        "establishments.Establishment", models.CASCADE, related_name="glpi_right"
    )
    granted_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Droits GLPI du RRUPN — {self.establishment.uai}"


# --- Equipment needs -------------------------------------------------------------------------------


class EquipmentState(models.TextChoices):
    PROPOSED = "proposed", _("En attente de validation")
    VALIDATED = "validated", _("Validé par le chef d'établissement")
    REFUSED = "refused", _("Refusé")


class EquipmentNeed(models.Model):
    establishment = models.ForeignKey(
        "establishments.Establishment", models.CASCADE, related_name="equipment_needs"
    )
    school_year = models.ForeignKey("establishments.SchoolYear", models.PROTECT)
    item = models.CharField(_("matériel"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantité"))
    justification = models.TextField(_("justification"))
    priority = models.PositiveSmallIntegerField(
        _("priorité"), default=2, help_text=_("1 = la plus haute")
    )
    state = models.CharField(
        max_length=10, choices=EquipmentState.choices, default=EquipmentState.PROPOSED
    )
    proposed_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["priority", "-created_at"]

    def __str__(self):
        return f"{self.item} × {self.quantity}"
