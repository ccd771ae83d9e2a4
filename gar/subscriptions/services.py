"""Writes on GAR subscriptions: manual entry, the subscriptions CSV, the GAR assignment report.

Every write checks the GAR rules first (rules.py), happens in one transaction and leaves an
audit row. Both imports are all or nothing (any error: nothing written) and idempotent: the
natural key is idAbonnement, and a row equal to what is stored changes nothing.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gar.assignments.selectors import pools, used_by_public
from gar.models import GarResource, GarSubscription, Origin, Public
from rrupn.audit.services import audit_record
from rrupn.establishments.services import ImportResult, RowError

from . import importers
from .rules import LICENCE_FIELDS, PUBLIC_COUNTS, check_subscription

# GAR field name → model attribute
FIELDS = {
    "idAbonnement": "id_abonnement",
    "commentaireAbonnement": "comment",
    "debutValidite": "starts_on",
    "finValidite": "ends_on",
    "anneeFinValidite": "end_school_year",
    "categorieAffectation": "assignment_category",
    "typeAffectation": "assignment_type",
    "publicCible": "publics",
    "nbLicenceGlobale": "licences_global",
    "nbLicenceEleve": "licences_eleve",
    "nbLicenceEnseignant": "licences_enseignant",
    "nbLicenceProfDoc": "licences_doc",
    "nbLicenceAutrePersonnel": "licences_autre",
    "codeProjetRessource": "project_code",
}
USED_FIELDS = ["used_eleve", "used_enseignant", "used_doc", "used_autre"]


class SubscriptionError(Exception):
    """Refused data: `errors` lists (GAR field, French message)."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(message for _field, message in errors))
        self.errors = errors


def gar_values(subscription: GarSubscription) -> dict:
    """The subscription under its GAR field names (the form's initial data, the audit)."""
    return {name: getattr(subscription, attr) for name, attr in FIELDS.items()}


def normalized(data: dict) -> dict:
    """Stored form: trimmed text, ILLIMITE in capitals, publics in the GAR's order."""
    clean = {}
    for name in FIELDS:
        value = data.get(name)
        if name in ("debutValidite", "finValidite"):
            clean[name] = value or None
        elif name != "publicCible":
            clean[name] = (value or "").strip()
    for name in LICENCE_FIELDS:
        # "0" is "not given" for the GAR: stored empty, so that nobody reads it as a count.
        clean[name] = "" if clean[name].strip("0") == "" else clean[name].upper()
    publics = list(dict.fromkeys(data.get("publicCible") or []))
    # Known publics in the GAR's order; unknown ones stay, for the rules to name them.
    clean["publicCible"] = [p for p in Public.values if p in publics] + [
        p for p in publics if p not in Public.values
    ]
    return clean


def assignment_conflicts(subscription: GarSubscription, used: dict) -> list[tuple[str, str]]:
    """Licence counts (already set on `subscription`) below what the portal's assignments use:
    lowering them would leave an over-assignment, which the assignments part refuses."""
    field_of = {public: name for name, public in PUBLIC_COUNTS.items()}
    return [
        (
            field_of.get(pool.public, "nbLicenceGlobale"),
            _(
                "%(used)s %(words)s déjà affectées dans le portail : il en faut au moins "
                "autant (retirez d'abord des affectations)."
            )
            % {"used": pool.used, "words": pool.words},
        )
        for pool in pools(subscription, used)
        if pool.left is not None and pool.left < 0
    ]


def _snapshot(values: dict) -> dict:
    return {
        name: (value.isoformat() if hasattr(value, "isoformat") else value)
        for name, value in values.items()
    }


def resource_errors(resource: GarResource | None, *, kept=False) -> list[tuple[str, str]]:
    """Why `resource` cannot be subscribed; `kept`: it already was (its catalogue entry
    may have been withdrawn since)."""
    if resource is None:
        return [("idRessource", _("Choisissez la ressource dans le catalogue."))]
    if resource.origin == Origin.NATIONAL:
        return [
            (
                "idRessource",
                _(
                    "« %(title)s » est une ressource nationale : elle est ouverte à tous les "
                    "établissements sans abonnement à saisir."
                )
                % {"title": resource.title},
            )
        ]
    if not resource.active and not kept:
        return [
            ("idRessource", _("« %(title)s » n'est plus au catalogue.") % {"title": resource.title})
        ]
    return []


STALE = gettext_lazy(
    "Cet abonnement a été modifié par quelqu'un d'autre depuis que vous avez ouvert la page : "
    "rien n'a été enregistré. Vos saisies sont ci-dessous ; rechargez la page pour voir la "
    "version actuelle, puis reportez-les."
)


@transaction.atomic
def subscription_save(
    *, establishment, school_year, user, resource, data: dict, subscription=None, revision=None
) -> GarSubscription:
    """Create (subscription=None) or change a subscription of `establishment`; a change made
    from a form opened on `revision` is refused if the subscription changed since."""
    if subscription is not None:  # a change: from a form opened on `revision`
        current = (
            GarSubscription.objects.select_for_update()
            .filter(pk=subscription.pk)
            .values_list("revision", flat=True)
            .first()
        )
        if current != revision:
            raise SubscriptionError([(None, str(STALE))])
    data = normalized(data)
    kept = (
        subscription is not None
        and resource is not None
        and resource.pk == subscription.resource_id
    )
    errors = resource_errors(resource, kept=kept) + check_subscription(data)
    taken = GarSubscription.objects.filter(id_abonnement=data["idAbonnement"])
    if subscription is not None:
        taken = taken.exclude(pk=subscription.pk)
    if data["idAbonnement"] and taken.exists():
        errors.append(
            (
                "idAbonnement",
                _("L'idAbonnement « %(idAbonnement)s » est déjà enregistré.")
                % {"idAbonnement": data["idAbonnement"]},
            )
        )
    if errors:
        raise SubscriptionError(errors)
    before = None
    if subscription is None:
        subscription = GarSubscription(
            establishment=establishment, school_year=school_year, source="manual"
        )
    else:
        before = _snapshot({"idRessource": subscription.resource.ark, **gar_values(subscription)})
    subscription.resource = resource
    for name, attr in FIELDS.items():
        setattr(subscription, attr, data[name])
    if subscription.pk:
        conflicts = assignment_conflicts(
            subscription, used_by_public([subscription.pk]).get(subscription.pk, {})
        )
        if conflicts:
            raise SubscriptionError(conflicts)
    if subscription.pk:
        subscription.revision += 1
    try:
        with transaction.atomic():
            subscription.save()
    except IntegrityError:  # the same idAbonnement saved meanwhile by someone else
        raise SubscriptionError(
            [
                (
                    "idAbonnement",
                    _("L'idAbonnement « %(idAbonnement)s » est déjà enregistré.")
                    % {"idAbonnement": data["idAbonnement"]},
                )
            ]
        ) from None
    audit_record(
        actor=user,
        action="gar.subscription.changed" if before else "gar.subscription.created",
        obj=subscription,
        before=before,
        after=_snapshot({"idRessource": resource.ark, **gar_values(subscription)}),
        summary=f"Abonnement GAR {'modifié' if before else 'saisi'} : {subscription}",
    )
    return subscription


def subscriptions_import(*, establishment, school_year, user, text: str) -> ImportResult:
    """The subscriptions CSV (docs/gar-import.md) into `school_year`: all or nothing."""
    catalogue = {r.ark: r for r in GarResource.objects.all()}
    ids = importers.column_values(text, "idAbonnement")
    existing = {
        s.id_abonnement: s
        for s in GarSubscription.objects.filter(id_abonnement__in=ids).select_related(
            "resource", "school_year"
        )
    }
    rows, errors = importers.parse_subscriptions(
        text,
        establishment=establishment,
        school_year=school_year,
        catalogue=catalogue,
        existing=existing,
    )
    result = ImportResult(errors=errors)
    if errors:
        return result
    new, changed, lines = [], [], {}
    for row in rows:
        current = existing.get(row.data["idAbonnement"])
        if current is None:
            new.append(_subscription_from(row, establishment, school_year))
        elif _apply(current, row):
            changed.append(current)
            lines[current.pk] = row.line
        else:
            result.unchanged += 1
    used = used_by_public([s.pk for s in changed]) if changed else {}
    result.errors = [
        RowError(lines[s.pk], field, message)
        for s in changed
        for field, message in assignment_conflicts(s, used.get(s.pk, {}))
    ]
    if result.errors or not (new or changed):
        return result

    class _Changed(Exception):
        """A row read above was saved meanwhile (a form): this import would overwrite it."""

    try:
        with transaction.atomic():
            now_at = dict(
                GarSubscription.objects.select_for_update()
                .filter(pk__in=[s.pk for s in changed])
                .values_list("pk", "revision")
            )
            moved = [s for s in changed if now_at.get(s.pk) != s.revision]
            if moved:
                result.errors = [
                    RowError(
                        lines[s.pk],
                        "idAbonnement",
                        _(
                            "l'abonnement « %(id)s » vient d'être modifié par quelqu'un "
                            "d'autre : rien n'a été importé, relancez l'import."
                        )
                        % {"id": s.id_abonnement},
                    )
                    for s in moved
                ]
                raise _Changed
            GarSubscription.objects.bulk_create(new)
            for subscription in changed:
                subscription.revision += 1  # a form opened before the import is now stale
            GarSubscription.objects.bulk_update(
                changed, ["resource", *FIELDS.values(), "source", "revision"], batch_size=200
            )
            audit_record(
                actor=user,
                action="gar.subscriptions.imported",
                establishment=establishment,
                after={
                    "année": school_year.label,
                    "créés": [s.id_abonnement for s in new],
                    "modifiés": [s.id_abonnement for s in changed],
                },
                summary=f"Import des abonnements GAR : {len(new)} créés, {len(changed)} modifiés",
            )
    except _Changed:
        return result
    except IntegrityError:
        result.errors = [
            RowError(
                1,
                "idAbonnement",
                _(
                    "un autre enregistrement vient de créer l'un de ces abonnements : relancez "
                    "l'import."
                ),
            )
        ]
        return result
    result.created, result.updated = len(new), len(changed)
    return result


def _subscription_from(row, establishment, school_year) -> GarSubscription:
    subscription = GarSubscription(
        establishment=establishment, school_year=school_year, resource=row.resource, source="import"
    )
    for name, attr in FIELDS.items():
        setattr(subscription, attr, row.data[name])
    return subscription


def _apply(subscription: GarSubscription, row) -> bool:
    """Copy the row onto the stored subscription; True when something differs."""
    changed = subscription.resource_id != row.resource.pk
    subscription.resource = row.resource
    for name, attr in FIELDS.items():
        if getattr(subscription, attr) != row.data[name]:
            setattr(subscription, attr, row.data[name])
            changed = True
    if changed:
        subscription.source = "import"
    return changed


def assignment_report_import(*, establishment, user, text: str) -> ImportResult:
    """The GAR assignment report: licences used per subscription of `establishment`."""
    subscriptions = {
        s.id_abonnement: s
        for s in GarSubscription.objects.filter(establishment=establishment).select_related(
            "resource"
        )
    }
    rows, errors = importers.parse_assignment_report(
        text, uai=establishment.uai, subscriptions=subscriptions
    )
    result = ImportResult(errors=errors)
    if errors:
        return result
    now = timezone.now()
    changed = []
    for row in rows:
        subscription = subscriptions[row.id_abonnement]
        if [getattr(subscription, f) for f in USED_FIELDS] == row.used:
            result.unchanged += 1
            continue
        for name, value in zip(USED_FIELDS, row.used, strict=True):
            setattr(subscription, name, value)
        subscription.report_imported_at = now
        changed.append(subscription)
    if not changed:
        return result
    with transaction.atomic():
        GarSubscription.objects.bulk_update(changed, [*USED_FIELDS, "report_imported_at"])
        audit_record(
            actor=user,
            action="gar.report.imported",
            establishment=establishment,
            after={
                s.id_abonnement: {name: getattr(s, name) for name in USED_FIELDS} for s in changed
            },
            summary=f"Rapport d'affectation GAR importé : {len(changed)} abonnements mis à jour",
        )
    result.updated = len(changed)
    return result
