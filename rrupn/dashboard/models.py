"""Reference data of the RRUPN dashboard: the checklist's deadlines, per school year.

The SRANE edits them in the admin; a school year without its own dates reuses the previous
year's, shifted by one year (see `selectors.checklist_deadlines`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from rrupn.establishments.models import SchoolYear


class ChecklistDeadline(models.Model):
    school_year = models.ForeignKey(
        SchoolYear,
        models.CASCADE,
        related_name="checklist_deadlines",
        verbose_name=_("année scolaire"),
    )
    # The `key` of a ChecklistItem registered in rrupn.dashboard.registry.checklist.
    item_key = models.CharField(_("point de la liste"), max_length=60)
    due_on = models.DateField(_("échéance"))

    class Meta:
        verbose_name = _("échéance de la liste de l'année")
        verbose_name_plural = _("échéances de la liste de l'année")
        ordering = ["-school_year__start_year", "due_on", "item_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "item_key"], name="one_deadline_per_item_and_year"
            )
        ]

    def __str__(self):
        return f"{self.item_key} — {self.due_on:%d/%m/%Y} ({self.school_year})"
