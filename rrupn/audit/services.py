from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    establishment=None,
    before: dict | None = None,
    after: dict | None = None,
    summary: str = "",
    comment: str = "",
) -> AuditEntry:
    """Record one state change. Call it inside the transaction that makes the change."""
    if establishment is None and obj is not None:
        establishment = getattr(obj, "establishment", None)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        establishment=establishment,
        action=action,
        summary=summary[:300],
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        before=before,
        after=after,
        comment=comment,
    )
