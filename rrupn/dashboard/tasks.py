from celery import shared_task


@shared_task(acks_late=True)
def render_srane_summary(department: str, school_year_id: int) -> None:
    """The one-page PDF summary of a département for the SRANE meeting."""
    from rrupn.establishments.models import SchoolYear

    from .srane_exports import pdf_render

    school_year = SchoolYear.objects.filter(pk=school_year_id).first()
    if school_year is None:
        return  # gone since the request
    pdf_render(department=department, school_year=school_year)
