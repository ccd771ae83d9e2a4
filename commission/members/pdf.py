"""The minutes of a meeting as a PDF, rendered by a worker with the project's machinery."""

import logging

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation

from rrupn.pdf import FatalURLFetchingError, render_pdf, short_error

from ..models import Meeting
from .selectors import in_guide_order

logger = logging.getLogger(__name__)


def minutes_context(meeting) -> dict:
    attendance = {a.member_id: a for a in meeting.attendance.all()}
    members = in_guide_order(meeting.commission.members.select_related("user"))
    return {
        "meeting": meeting,
        "establishment": meeting.commission.establishment,
        "agenda": list(meeting.agenda.all()),
        "rows": [(member, attendance.get(member.pk)) for member in members],
        "decisions": list(meeting.decisions.select_related("owner__user")),
    }


def minutes_pdf_bytes(meeting) -> bytes:
    with translation.override("fr"):  # an official French document, whatever the request's
        html = render_to_string("commission/members/pdf/minutes.html", minutes_context(meeting))
    return render_pdf(html)


def minutes_pdf_render(*, meeting_id: int) -> None:
    """Render and store the PDF of the meeting's current revision, unless already stored."""
    meeting = (
        Meeting.objects.select_related("commission__establishment", "commission__school_year")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        return
    if meeting.minutes_pdf_revision == meeting.revision and meeting.minutes_pdf_status == "ready":
        if meeting.minutes_pdf and meeting.minutes_pdf.storage.exists(meeting.minutes_pdf.name):
            return
    revision, previous = meeting.revision, meeting.minutes_pdf.name
    try:
        content = minutes_pdf_bytes(meeting)
        name = f"compte-rendu-{meeting.commission.establishment.uai}-{meeting.pk}-r{revision}.pdf"
        meeting.minutes_pdf.save(name, ContentFile(content), save=False)
    except (Exception, FatalURLFetchingError) as exc:
        logger.exception("Minutes PDF of meeting %s (revision %s) failed", meeting_id, revision)
        Meeting.objects.filter(pk=meeting_id, revision=revision).update(
            minutes_pdf_status="failed", minutes_pdf_error=short_error(exc)
        )
        return
    stored = Meeting.objects.filter(pk=meeting_id, revision=revision).update(
        minutes_pdf=meeting.minutes_pdf.name,
        minutes_pdf_status="ready",
        minutes_pdf_revision=revision,
        minutes_pdf_error="",
    )
    if not stored:  # the meeting changed while we rendered: render its new revision instead
        meeting.minutes_pdf.storage.delete(meeting.minutes_pdf.name)
        from .tasks import render_minutes_pdf

        render_minutes_pdf.delay(meeting_id)
        return
    if previous and previous != meeting.minutes_pdf.name:
        meeting.minutes_pdf.storage.delete(previous)
