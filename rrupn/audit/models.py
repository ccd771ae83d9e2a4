from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from rrupn.establishments.models import Establishment


class AuditEntry(models.Model):
    """Who did what, when, on which object, and the state before → after. Never edited."""

    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    establishment = models.ForeignKey(
        Establishment,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("établissement"),
    )
    action = models.CharField(_("action"), max_length=100)
    summary = models.CharField(_("résumé"), max_length=300, blank=True)
    content_type = models.ForeignKey(ContentType, models.SET_NULL, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("objet"), max_length=200, blank=True)
    before = models.JSONField(_("avant"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("après"), null=True, blank=True, encoder=DjangoJSONEncoder)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["establishment", "-at"])]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        return [
            (key, before.get(key), after.get(key))
            for key in sorted(set(before) | set(after))
            if before.get(key) != after.get(key)
        ]
