from celery import shared_task

from .services import letters_follow_calendar


@shared_task
def follow_letters_calendar() -> None:
    """Daily: letters become active on their start date and are archived after the year."""
    letters_follow_calendar()


@shared_task(acks_late=True)
def render_letter_pdf(letter_id: int) -> None:
    from .pdf import letter_pdf_render

    letter_pdf_render(letter_id=letter_id)


@shared_task
def export_mission_letters_task(export_id: int) -> None:
    """Build a SRANE batch export (progress on the LetterExport row the page polls)."""
    from .export import letter_export_build

    letter_export_build(export_id=export_id)
