from celery import shared_task


@shared_task(acks_late=True)
def render_needs_pdf(establishment_id: int, school_year_id: int) -> None:
    from rrupn.establishments.models import Establishment, SchoolYear

    from .export import pdf_render

    establishment = (
        Establishment.objects.select_related("collectivite").filter(pk=establishment_id).first()
    )
    school_year = SchoolYear.objects.filter(pk=school_year_id).first()
    if establishment is None or school_year is None:
        return  # gone since the request
    pdf_render(establishment=establishment, school_year=school_year)
