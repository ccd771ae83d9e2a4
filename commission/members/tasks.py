from celery import shared_task


@shared_task(acks_late=True)
def render_minutes_pdf(meeting_id: int) -> None:
    from .pdf import minutes_pdf_render

    minutes_pdf_render(meeting_id=meeting_id)
