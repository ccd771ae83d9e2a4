"""Writes on the digital project: axes, indicators and their dated values, each audited."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rrupn.audit.services import audit_record

from ..models import Indicator, IndicatorValue, ProjectAxis
from .chart import day_label, number_label


class ProjectError(Exception):
    """A refused write; the message is shown to the user as is."""


def _axis_title_free(establishment, title: str, exclude_pk=None) -> None:
    taken = ProjectAxis.objects.filter(establishment=establishment, title__iexact=title)
    if taken.exclude(pk=exclude_pk).exists():
        raise ProjectError(
            _("Le projet numérique a déjà un axe intitulé « %(title)s ».") % {"title": title}
        )


def _indicator_name_free(axis, name: str, exclude_pk=None) -> None:
    taken = Indicator.objects.filter(axis=axis, name__iexact=name).exclude(pk=exclude_pk)
    if taken.exists():
        raise ProjectError(
            _("L'axe « %(axis)s » a déjà un indicateur « %(name)s ».")
            % {"axis": axis, "name": name}
        )


def _indicator_facts(indicator) -> dict:
    target = None if indicator.target is None else str(indicator.target)
    return {"nom": indicator.name, "unité": indicator.unit, "cible": target}


@transaction.atomic
def axis_create(*, establishment, user, title: str, order: int = 0) -> ProjectAxis:
    title = title.strip()
    _axis_title_free(establishment, title)
    axis = ProjectAxis.objects.create(establishment=establishment, title=title, order=order)
    audit_record(
        actor=user,
        action="project.axis_created",
        obj=axis,
        after={"axe": title, "ordre": order},
        summary=f"Projet numérique : axe « {title} » ajouté",
    )
    return axis


@transaction.atomic
def axis_update(*, axis, user, title: str, order: int = 0) -> ProjectAxis:
    title = title.strip()
    _axis_title_free(axis.establishment, title, exclude_pk=axis.pk)
    before = {"axe": axis.title, "ordre": axis.order}
    axis.title, axis.order = title, order
    axis.save(update_fields=["title", "order"])
    audit_record(
        actor=user,
        action="project.axis_updated",
        obj=axis,
        before=before,
        after={"axe": title, "ordre": order},
        summary=f"Projet numérique : axe « {title} » modifié",
    )
    return axis


@transaction.atomic
def indicator_create(*, axis, user, name: str, unit: str = "", target=None) -> Indicator:
    name = name.strip()
    _indicator_name_free(axis, name)
    indicator = Indicator.objects.create(axis=axis, name=name, unit=unit.strip(), target=target)
    audit_record(
        actor=user,
        action="project.indicator_created",
        obj=indicator,
        establishment=axis.establishment,
        after=_indicator_facts(indicator),
        summary=f"Projet numérique : indicateur « {name} » ajouté à l'axe « {axis} »",
    )
    return indicator


@transaction.atomic
def indicator_update(*, indicator, user, name: str, unit: str = "", target=None) -> Indicator:
    name = name.strip()
    _indicator_name_free(indicator.axis, name, exclude_pk=indicator.pk)
    before = _indicator_facts(indicator)
    indicator.name, indicator.unit, indicator.target = name, unit.strip(), target
    indicator.save(update_fields=["name", "unit", "target"])
    audit_record(
        actor=user,
        action="project.indicator_updated",
        obj=indicator,
        establishment=indicator.axis.establishment,
        before=before,
        after=_indicator_facts(indicator),
        summary=f"Projet numérique : indicateur « {name} » modifié",
    )
    return indicator


@transaction.atomic
def value_record(
    *, indicator, user, measured_on, value, replace: bool = False
) -> tuple[IndicatorValue, bool]:
    """Record the measure of a day; a second one the same day only with `replace`.

    Returns the row and whether it replaced an earlier value of that day.
    """
    if measured_on > timezone.localdate():
        raise ProjectError(
            _("La date de la mesure est dans le futur : saisissez une mesure déjà relevée.")
        )
    establishment = indicator.axis.establishment
    existing = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, measured_on=measured_on)
        .first()
    )
    day = day_label(measured_on)
    if existing is not None and not replace:
        raise ProjectError(
            _(
                "Une valeur (%(number_label)s) est déjà enregistrée le %(day)s pour cet "
                "indicateur. Cochez « Remplacer la valeur de ce jour » pour la corriger."
            )
            % {"number_label": number_label(existing.value), "day": day}
        )
    if existing is not None:
        before = {"date": day, "valeur": str(existing.value)}
        existing.value = value
        existing.save(update_fields=["value"])
        row, replaced = existing, True
    else:
        before = None
        try:
            with transaction.atomic():
                row = IndicatorValue.objects.create(
                    indicator=indicator, measured_on=measured_on, value=value
                )
        except IntegrityError as exc:  # the same day recorded concurrently
            raise ProjectError(
                _(
                    "Une valeur vient d'être enregistrée le %(day)s pour cet indicateur : rechargez "
                    "la page. Rien n'a été enregistré."
                )
                % {"day": day}
            ) from exc
        replaced = False
    audit_record(
        actor=user,
        action="project.value_replaced" if replaced else "project.value_recorded",
        obj=indicator,
        establishment=establishment,
        before=before,
        after={"date": day, "valeur": str(value)},
        summary=(
            f"Indicateur « {indicator.name} » : {number_label(value)} le {day}"
            + (" (valeur corrigée)" if replaced else "")
        ),
    )
    return row, replaced
