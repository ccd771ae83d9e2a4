from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rrupn.establishments.models import Department, Establishment, SchoolYear


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person of the portal: staff of an establishment, SRANE member or administrator."""

    username = None
    email = models.EmailField(_("adresse e-mail académique"), unique=True)
    discipline = models.CharField(_("discipline"), max_length=100, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    """Establishment roles, from the most to the least powerful (SPEC §1)."""

    HEAD = "head", _("Chef d'établissement")
    DIRECTION = "direction", _("Membre de l'équipe de direction")
    RRUPN = "rrupn", _("RRUPN")
    GESTIONNAIRE = "gestionnaire", _("Gestionnaire / agent comptable")
    DOCUMENTALISTE = "documentaliste", _("Professeur documentaliste")
    ADMIN_ENT = "admin_ent", _("Administrateur ENT")
    RESP_GAR = "resp_gar", _("Responsable d'affectation GAR")
    TEACHER = "teacher", _("Enseignant")
    CPE = "cpe", _("CPE")


class RoleSource(models.TextChoices):
    MANUAL = "manual", _("Saisie")
    SSO = "sso", _("Connexion académique")
    LETTER = "letter", _("Lettre de mission")


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, school_year: SchoolYear | None = None):
        """Permanent roles and those of the given (default: current) school year."""
        year = school_year or SchoolYear.current()
        return self.filter(Q(school_year__isnull=True) | Q(school_year=year))


class RoleAssignment(models.Model):
    """A person holds a role in an establishment, optionally for one school year only."""

    user = models.ForeignKey(User, models.CASCADE, related_name="roles", verbose_name=_("personne"))
    establishment = models.ForeignKey(
        Establishment, models.CASCADE, related_name="roles", verbose_name=_("établissement")
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    school_year = models.ForeignKey(
        SchoolYear,
        models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("année scolaire"),
        help_text=_("Vide : rôle permanent."),
    )
    source = models.CharField(
        _("origine"), max_length=10, choices=RoleSource.choices, default=RoleSource.MANUAL
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("rôle dans un établissement")
        verbose_name_plural = _("rôles dans les établissements")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "establishment", "role", "school_year"],
                name="unique_yearly_role",
            ),
            models.UniqueConstraint(
                fields=["user", "establishment", "role"],
                condition=Q(school_year__isnull=True),
                name="unique_permanent_role",
            ),
        ]
        indexes = [models.Index(fields=["establishment", "role"])]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.establishment.uai}"


class SraneLevel(models.TextChoices):
    DEPARTMENT = "department", _("Chargé de mission départemental")
    ACADEMIE = "academie", _("SRANE académique")


class SraneScope(models.Model):
    """A SRANE member sees the establishments of a département, or the whole académie."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="srane_scopes", verbose_name=_("personne")
    )
    level = models.CharField(_("niveau"), max_length=12, choices=SraneLevel.choices)
    department = models.CharField(
        _("département"), max_length=2, choices=Department.choices, blank=True
    )

    class Meta:
        verbose_name = _("périmètre SRANE")
        verbose_name_plural = _("périmètres SRANE")
        constraints = [
            models.UniqueConstraint(fields=["user", "level", "department"], name="unique_scope"),
            models.CheckConstraint(
                condition=Q(level="academie", department="")
                | Q(level="department") & ~Q(department=""),
                name="scope_department_matches_level",
            ),
        ]

    def __str__(self):
        if self.level == SraneLevel.ACADEMIE:
            return f"{self.user} — {_('académie')}"
        return f"{self.user} — {self.get_department_display()}"
