"""Reads of the catalogue and subscription pages; a constant number of queries each."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from gar.models import UNLIMITED, GarResource, GarSubscription, Origin, Public
from rrupn.audit import reference_admin
from rrupn.establishments.models import SchoolYear

from .rules import licence_count_given

# publicCible → (licence count attribute, used count attribute)
PUBLIC_FIELDS = {
    Public.ELEVE: ("licences_eleve", "used_eleve"),
    Public.ENSEIGNANT: ("licences_enseignant", "used_enseignant"),
    Public.DOCUMENTALISTE: ("licences_doc", "used_doc"),
    Public.AUTRE_PERSONNEL: ("licences_autre", "used_autre"),
}


def subscriptions_of(establishment, school_year):
    return GarSubscription.objects.filter(
        establishment=establishment, school_year=school_year
    ).select_related("resource", "resource__collectivite")


@dataclass(frozen=True)
class LicenceLine:
    label: str
    available: str  # a number, ILLIMITE, or "" when the subscription gives none
    used: int

    @property
    def unlimited(self) -> bool:
        return self.available == UNLIMITED

    @property
    def left(self) -> int | None:
        return int(self.available) - self.used if self.available.isdecimal() else None

    @property
    def over(self) -> bool:
        return self.left is not None and self.left < 0


def licence_lines(subscription: GarSubscription) -> list[LicenceLine]:
    """Licences available vs used (GAR report), globally or per public."""
    used = {public: getattr(subscription, attrs[1]) for public, attrs in PUBLIC_FIELDS.items()}
    if licence_count_given(subscription.licences_global):
        return [LicenceLine("Tous publics", subscription.licences_global, sum(used.values()))]
    return [
        LicenceLine(
            Public(public).label,
            getattr(subscription, PUBLIC_FIELDS[public][0]),
            used[public],
        )
        for public in Public.values
        if public in subscription.publics or used[public]
    ]


def subscription_rows(establishment, school_year) -> list:
    rows = list(subscriptions_of(establishment, school_year))
    for subscription in rows:
        subscription.licence_lines = licence_lines(subscription)
    return rows


def years_with_subscriptions(establishment) -> list[SchoolYear]:
    """The school years to choose from: those with subscriptions, and the current one."""
    current = SchoolYear.current()
    return list(
        SchoolYear.objects.filter(
            Q(pk=current.pk) | Q(garsubscription__establishment=establishment)
        ).distinct()
    )


@dataclass
class CatalogueEntry:
    resource: GarResource
    subscriptions: list = field(default_factory=list)


def resources_for(establishment, school_year) -> list[CatalogueEntry]:
    """What the school can use this year: national resources, territorial ones paid by its
    collectivité (no subscription row for either), and its subscriptions. Two queries."""
    automatic = Q(origin=Origin.NATIONAL)
    if establishment.collectivite_id:
        automatic |= Q(origin=Origin.TERRITORIAL, collectivite_id=establishment.collectivite_id)
    entries = {
        r.pk: CatalogueEntry(r)
        for r in GarResource.objects.filter(automatic, active=True).select_related("collectivite")
    }
    for subscription in subscriptions_of(establishment, school_year):
        entry = entries.setdefault(subscription.resource_id, CatalogueEntry(subscription.resource))
        subscription.licence_lines = licence_lines(subscription)
        entry.subscriptions.append(subscription)
    return sorted(entries.values(), key=lambda e: e.resource.title.casefold())


def srane_catalogue(*, departments, school_year, origin: str = ""):
    """Every resource, with how many schools of the SRANE's départements subscribe this year."""
    in_scope = Q(
        subscriptions__school_year=school_year,
        subscriptions__establishment__department__in=departments,
    )
    resources = GarResource.objects.select_related("collectivite").annotate(
        school_count=Count("subscriptions__establishment", filter=in_scope, distinct=True)
    )
    if origin in Origin.values:
        resources = resources.filter(origin=origin)
    return resources.order_by("title")


# The same rule as the commission's reference data: superusers and académie SRANE staff.
edits_catalogue = reference_admin.edits_reference_data
