"""Incident routing: where a school's incident must go (SPEC §6, the guide's table).

Rules are reference data the SRANE edits; the most specific matching rule wins, the incident's
category weighing more than the kind of school, which weighs more than the département (the
académie network goes to AMÉRANA whatever the school; a Lycée connecté problem goes to the ENT's
own assistance whatever the lycée).
"""

from django.core.exceptions import ValidationError
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


class Channel(models.Model):
    """A way to reach a helpdesk: a GLPI instance, an e-mail address, or manual instructions."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("nom"), max_length=150)
    kind = models.CharField(_("type"), max_length=10, choices=ChannelKind.choices)
    collectivite = models.ForeignKey(
        Collectivite, models.PROTECT, null=True, blank=True, verbose_name=_("collectivité")
    )
    url = models.URLField(_("adresse du service"), blank=True)
    email_to = models.EmailField(_("adresse de courriel"), blank=True)
    instructions = models.TextField(_("consignes"), blank=True)

    class Meta:
        verbose_name = _("canal d'assistance")
        verbose_name_plural = _("canaux d'assistance")
        ordering = ["name"]

    def __str__(self):
        return self.name


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
