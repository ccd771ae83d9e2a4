"""Which channel an incident goes to."""

from django.utils.translation import gettext as _

from .models import RoutingRule, school_group_of


class NoRoute(Exception):
    """No rule matches: the message names what is missing."""


def route_for(*, establishment, category, rules=None):
    """The channel of the most specific matching rule; raises NoRoute when there is none."""
    rules = list(RoutingRule.objects.select_related("channel")) if rules is None else rules
    group = school_group_of(establishment.kind)
    matching = [
        r
        for r in rules
        if r.matches(
            school_group=group, department=establishment.department, category_id=category.pk
        )
    ]
    if not matching:
        raise NoRoute(
            _(
                "Aucune règle d’acheminement pour un établissement de type « %(kind)s » "
                "du département %(department)s et la catégorie « %(category)s » : "
                "demandez au SRANE d’en ajouter une."
            )
            % {
                "kind": establishment.get_kind_display(),
                "department": establishment.department,
                "category": category,
            }
        )
    return max(matching, key=lambda r: r.specificity).channel
