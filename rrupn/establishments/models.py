import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .uai import validate_uai


class Department(models.TextChoices):
    CORREZE = "19", "Corrèze (19)"
    CREUSE = "23", "Creuse (23)"
    HAUTE_VIENNE = "87", "Haute-Vienne (87)"


class Kind(models.TextChoices):
    COLLEGE = "college", _("Collège")
    LYCEE = "lycee", _("Lycée")
    LYCEE_PRO = "lycee_pro", _("Lycée professionnel")
    LYCEE_AGRICOLE = "lycee_agricole", _("Lycée agricole")
    EREA = "erea", _("EREA")


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Privé sous contrat")


class Collectivite(models.Model):
    """The collectivité in charge of equipment and maintenance (Région or Département)."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        verbose_name = _("collectivité")
        verbose_name_plural = _("collectivités")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Ent(models.Model):
    """Espace numérique de travail (Lycée connecté, ENT Creuse…)."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        verbose_name = _("ENT")
        verbose_name_plural = _("ENT")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PedagogicalServer(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        verbose_name = _("serveur pédagogique")
        verbose_name_plural = _("serveurs pédagogiques")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DerivationRule(models.Model):
    """Reference data: kind × département → collectivité, ENT, pedagogical server.

    An empty kind or département matches any; for each attribute the most specific matching
    rule that sets it wins. The SRANE edits these in the admin, then re-applies them.
    """

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, blank=True)
    department = models.CharField(
        _("département"), max_length=2, choices=Department.choices, blank=True
    )
    collectivite = models.ForeignKey(
        Collectivite, models.PROTECT, null=True, blank=True, verbose_name=_("collectivité")
    )
    ent = models.ForeignKey(Ent, models.PROTECT, null=True, blank=True, verbose_name=_("ENT"))
    pedagogical_server = models.ForeignKey(
        PedagogicalServer,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("serveur pédagogique"),
    )

    class Meta:
        verbose_name = _("règle de rattachement")
        verbose_name_plural = _("règles de rattachement")
        constraints = [
            models.UniqueConstraint(fields=["kind", "department"], name="unique_derivation_rule")
        ]

    def __str__(self):
        return f"{self.get_kind_display() or '*'} / {self.department or '*'}"

    @property
    def specificity(self) -> int:
        return (2 if self.kind else 0) + (1 if self.department else 0)

    def matches(self, kind: str, department: str) -> bool:
        return self.kind in ("", kind) and self.department in ("", department)


class Establishment(models.Model):
    uai = models.CharField(_("UAI"), max_length=8, unique=True, validators=[validate_uai])
    name = models.CharField(_("nom officiel"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    sector = models.CharField(_("secteur"), max_length=10, choices=Sector.choices)
    commune = models.CharField(_("commune"), max_length=100)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    department = models.CharField(_("département"), max_length=2, choices=Department.choices)
    collectivite = models.ForeignKey(
        Collectivite, models.PROTECT, null=True, blank=True, verbose_name=_("collectivité")
    )
    ent = models.ForeignKey(Ent, models.PROTECT, null=True, blank=True, verbose_name=_("ENT"))
    pedagogical_server = models.ForeignKey(
        PedagogicalServer,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("serveur pédagogique"),
    )

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["department", "commune", "name"]
        indexes = [
            models.Index(fields=["department", "kind"]),
            # The SRANE overview: its default order, and sorting by name at national scale.
            models.Index(fields=["department", "commune", "name"], name="establishment_dept_order"),
            models.Index(fields=["name"], name="establishment_name"),
            models.Index(fields=["department", "sector"], name="establishment_dept_sector"),
        ]

    def __str__(self):
        return f"{self.name} ({self.commune})"

    @property
    def is_lycee(self) -> bool:
        return self.kind != Kind.COLLEGE

    def apply_rules(self, rules) -> None:
        """Set the derived attributes from the reference rules (most specific first)."""
        matching = sorted(
            (r for r in rules if r.matches(self.kind, self.department)),
            key=lambda r: -r.specificity,
        )
        for attr in ("collectivite_id", "ent_id", "pedagogical_server_id"):
            setattr(
                self, attr, next((getattr(r, attr) for r in matching if getattr(r, attr)), None)
            )


class SchoolYear(models.Model):
    """A school year, 1 September → 31 August, named "2026-2027"."""

    start_year = models.PositiveSmallIntegerField(_("année de rentrée"), unique=True)

    class Meta:
        verbose_name = _("année scolaire")
        verbose_name_plural = _("années scolaires")
        ordering = ["-start_year"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.start_year, 9, 1)

    @property
    def ends_on(self) -> datetime.date:
        return datetime.date(self.start_year + 1, 8, 31)

    @staticmethod
    def start_year_for(day: datetime.date) -> int:
        return day.year if day.month >= 9 else day.year - 1

    @classmethod
    def current(cls) -> "SchoolYear":
        year, _created = cls.objects.get_or_create(
            start_year=cls.start_year_for(timezone.localdate())
        )
        return year


class DivisionKind(models.TextChoices):
    DIVISION = "division", _("Classe (division)")
    GROUP = "group", _("Groupe")


class Division(models.Model):
    """A class (division) or a group of pupils of one school year; GAR and Pix both use them.

    Only counts of pupils are kept here, never their names.
    """

    establishment = models.ForeignKey(
        Establishment, models.CASCADE, related_name="divisions", verbose_name=_("établissement")
    )
    school_year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name=_("année scolaire"))
    kind = models.CharField(
        _("type"), max_length=10, choices=DivisionKind.choices, default=DivisionKind.DIVISION
    )
    code = models.CharField(_("code"), max_length=50)
    label = models.CharField(_("libellé"), max_length=150, blank=True)
    level = models.CharField(_("niveau"), max_length=30, blank=True, help_text=_("6e, 3e, 2nde…"))
    pupil_count = models.PositiveIntegerField(_("nombre d'élèves"), default=0)
    divisions = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="groups",
        verbose_name=_("classes d'appartenance"),
        help_text=_("Pour un groupe : les classes dont viennent ses élèves."),
    )
    source = models.CharField(_("origine"), max_length=20, default="manual")
    # The class's teaching team: who may see its pupils' Pix results.
    teachers = models.ManyToManyField(
        "accounts.User",
        blank=True,
        related_name="taught_divisions",
        verbose_name=_("enseignants de la classe"),
    )

    class Meta:
        verbose_name = _("classe ou groupe")
        verbose_name_plural = _("classes et groupes")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "school_year", "code"], name="unique_division_code"
            )
        ]

    def __str__(self):
        return self.label or self.code
