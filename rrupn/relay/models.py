"""The SRANE relay: announcements to the RRUPN, who has read them, the SRANE's contacts."""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rrupn.establishments.models import Department


class AnnouncementKind(models.TextChoices):
    """The guide's vocabulary: the LINE, the Tribu space of the RRUPN, the FIL."""

    LINE = "line", _("Numéro de la LINE (lettre d’information du numérique éducatif)")
    TRIBU = "tribu", _("Document sur l’espace Tribu des RRUPN")
    FIL = "fil", _("Appel à FIL (formation d’initiative locale)")
    OTHER = "other", _("Autre information")


class AnnouncementQuerySet(models.QuerySet):
    def live(self, now=None):
        """Published, not archived, not expired: what the RRUPN see."""
        now = now or timezone.now()
        return self.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate(now)),
            archived_at__isnull=True,
            published_at__lte=now,
        )

    def for_departments(self, departments):
        """Addressed to the whole académie or to one of these départements."""
        return self.filter(Q(department="") | Q(department__in=list(departments)))


class Announcement(models.Model):
    """An announcement of the SRANE to all the RRUPN of the académie (empty `department`) or to
    those of one département."""

    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"), max_length=8000)
    kind = models.CharField(_("nature"), max_length=10, choices=AnnouncementKind.choices)
    link_url = models.URLField(
        _("lien"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    department = models.CharField(
        _("département"),
        max_length=2,
        choices=Department.choices,
        blank=True,
        help_text=_("Vide : tous les RRUPN de l’académie."),
    )
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now)
    expires_on = models.DateField(
        _("affichée jusqu’au"), null=True, blank=True, help_text=_("Vide : sans fin.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    emailed_at = models.DateTimeField(_("courriel envoyé le"), null=True, blank=True)
    # "Prévenir par courriel" on an announcement published later: sent on its publication day
    # by the periodic task (relay.tasks.send_due_announcement_emails), not before.
    email_pending = models.BooleanField(default=False)
    archived_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retirée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("annonce du SRANE")
        verbose_name_plural = _("annonces du SRANE")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["department", "-published_at"], name="relay_dept_pub")]

    def __str__(self):
        return self.title

    @property
    def audience_label(self) -> str:
        if not self.department:
            return str(_("Tous les RRUPN de l’académie"))
        return str(_("RRUPN de %(department)s") % {"department": self.get_department_display()})

    @property
    def departments(self) -> tuple[str, ...]:
        return (self.department,) if self.department else tuple(Department.values)

    def state(self, now=None) -> str:
        """archived / scheduled / expired / live"""
        now = now or timezone.now()
        if self.archived_at:
            return "archived"
        if self.published_at > now:
            return "scheduled"
        if self.expires_on and self.expires_on < timezone.localdate(now):
            return "expired"
        return "live"


class AnnouncementRead(models.Model):
    announcement = models.ForeignKey(
        Announcement, models.CASCADE, related_name="reads", verbose_name=_("annonce")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="announcement_reads",
        verbose_name=_("personne"),
    )
    read_at = models.DateTimeField(_("lue le"), default=timezone.now)

    class Meta:
        verbose_name = _("lecture d’une annonce")
        verbose_name_plural = _("lectures des annonces")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "user"], name="unique_announcement_read"
            )
        ]

    def __str__(self):
        return f"{self.announcement} — {self.user}"


class SraneContact(models.Model):
    """Reference data: a member or a mailbox of the SRANE team, per département (empty: the
    whole académie). Edited by the académie SRANE in the administration, never hard-coded.

    The département is an empty string rather than NULL, as everywhere else in the project
    (`SraneScope.department`, `DerivationRule.department`)."""

    department = models.CharField(
        _("département"),
        max_length=2,
        choices=Department.choices,
        blank=True,
        help_text=_("Vide : pour toute l’académie."),
    )
    name = models.CharField(_("nom ou service"), max_length=200)
    function = models.CharField(_("fonction"), max_length=200, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("contact du SRANE")
        verbose_name_plural = _("contacts du SRANE")
        ordering = ["department", "order", "name"]

    def __str__(self):
        return self.name
