"""Writes of the follow-up part: a class's teaching team for Pix."""

from django.db import transaction

from rrupn.audit.services import audit_record


def _names(users) -> list[str]:
    return sorted(user.get_full_name() or user.email for user in users)


@transaction.atomic
def team_set(*, division, teachers, user):
    """Replace the teaching team of `division` (who may see its pupils' Pix results); audited."""
    before = list(division.teachers.all())
    if {u.pk for u in before} == {u.pk for u in teachers}:
        return False
    division.teachers.set(teachers)
    audit_record(
        actor=user,
        action="pix.team_set",
        obj=division,
        establishment=division.establishment,
        before={"enseignants": _names(before)},
        after={"enseignants": _names(teachers)},
        summary=f"Équipe pédagogique Pix de {division.code} : {len(teachers)} enseignant(s)",
    )
    return True
