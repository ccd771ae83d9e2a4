"""Digital project: axes, indicators, dated values (one per day), pages and their charts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commission.models import Indicator, IndicatorValue, ProjectAxis
from commission.project import services
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry

from ..factories import EstablishmentFactory, RoleAssignmentFactory
from ..ui.html import assert_unique_ids, parse

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def staff(school, role):
    return RoleAssignmentFactory(establishment=school, role=role).user


def make_indicator(school, author=None, *, title="Usages de l'ENT", name="Connexions élèves"):
    """An axis of `school` with one indicator (target 80 %), no values yet."""
    axis = ProjectAxis.objects.create(establishment=school, title=title)
    return Indicator.objects.create(axis=axis, name=name, unit="%", target=Decimal("80"))


def add_values(indicator, *pairs):
    for days_ago, value in pairs:
        IndicatorValue.objects.create(
            indicator=indicator,
            measured_on=TODAY - datetime.timedelta(days=days_ago),
            value=Decimal(str(value)),
        )


# --- services --------------------------------------------------------------------------------


def test_axes_and_indicators_are_audited_and_unique_by_name(school):
    rrupn = staff(school, Role.RRUPN)
    axis = services.axis_create(establishment=school, user=rrupn, title="Usages de l'ENT")
    with pytest.raises(services.ProjectError, match="déjà un axe intitulé"):
        services.axis_create(establishment=school, user=rrupn, title="usages de l'ent ")
    # Another school may use the same title.
    services.axis_create(establishment=EstablishmentFactory(), user=rrupn, title="Usages de l'ENT")

    indicator = services.indicator_create(
        axis=axis, user=rrupn, name="Connexions", unit="%", target=Decimal("-5")
    )
    assert indicator.target == Decimal("-5")  # a target may be any number
    with pytest.raises(services.ProjectError, match="déjà un indicateur"):
        services.indicator_create(axis=axis, user=rrupn, name="CONNEXIONS")
    services.indicator_update(indicator=indicator, user=rrupn, name="Connexions", target=None)
    indicator.refresh_from_db()
    assert indicator.target is None and indicator.unit == ""

    assert ProjectAxis.objects.filter(establishment=school).count() == 1
    actions = list(AuditEntry.objects.filter(establishment=school).values_list("action", flat=True))
    assert sorted(actions) == [
        "project.axis_created",
        "project.indicator_created",
        "project.indicator_updated",
    ]
    update = AuditEntry.objects.get(action="project.indicator_updated")
    assert Decimal(update.before["cible"]) == -5 and update.after["cible"] is None


def test_one_value_per_day_a_second_one_only_replaces_on_purpose(school):
    rrupn = staff(school, Role.RRUPN)
    indicator = make_indicator(school)
    services.value_record(indicator=indicator, user=rrupn, measured_on=TODAY, value=Decimal("40"))
    with pytest.raises(services.ProjectError) as refused:
        services.value_record(
            indicator=indicator, user=rrupn, measured_on=TODAY, value=Decimal("45")
        )
    assert "déjà enregistrée le " + TODAY.strftime("%d/%m/%Y") in str(refused.value)
    assert "Remplacer la valeur de ce jour" in str(refused.value)
    assert indicator.values.get().value == Decimal("40")

    row, replaced = services.value_record(
        indicator=indicator, user=rrupn, measured_on=TODAY, value=Decimal("45"), replace=True
    )
    assert replaced and indicator.values.get().value == Decimal("45") == row.value
    entry = AuditEntry.objects.get(action="project.value_replaced")
    assert entry.establishment == school
    assert entry.before["valeur"] == "40.00" and entry.after["valeur"] == "45"


def test_a_value_measured_in_the_future_is_refused(school):
    indicator = make_indicator(school)
    with pytest.raises(services.ProjectError, match="dans le futur"):
        services.value_record(
            indicator=indicator,
            user=staff(school, Role.RRUPN),
            measured_on=TODAY + datetime.timedelta(days=1),
            value=Decimal("1"),
        )
    assert not IndicatorValue.objects.exists() and not AuditEntry.objects.exists()


# --- pages ---------------------------------------------------------------------------------


def test_the_rrupn_builds_the_project_and_records_values_through_the_pages(client, school):
    client.force_login(staff(school, Role.RRUPN))
    uai = school.uai
    response = client.post(
        reverse("commission:project_axis_create", args=[uai]),
        {"title": "Compétences numériques des élèves", "order": "1"},
    )
    assert response.url == reverse("commission:project", args=[uai])
    axis = ProjectAxis.objects.get(establishment=school)
    client.post(
        reverse("commission:project_indicator_create", args=[uai, axis.pk]),
        {"name": "Élèves certifiés Pix", "unit": "%", "target": "80"},
    )
    indicator = axis.indicators.get()
    values_url = reverse("commission:project_values", args=[uai, indicator.pk])
    earlier = TODAY - datetime.timedelta(days=30)
    client.post(values_url, {"measured_on": earlier.isoformat(), "value": "20"})
    response = client.post(values_url, {"measured_on": TODAY.isoformat(), "value": "50,5"})
    assert response.status_code == 302
    assert [v.value for v in indicator.values.all()] == [Decimal("20"), Decimal("50.5")]

    html = client.get(reverse("commission:project", args=[uai])).content.decode()
    doc = parse(html)
    assert_unique_ids(doc)
    assert not doc.xpath("//*[@style]"), "no inline style (CSP)"
    facts = doc.xpath('//dl[@class="indicator-facts"]')[0].text_content()
    assert "50,5" in facts and TODAY.strftime("%d/%m/%Y") in facts
    assert "50 %" in facts  # from 20 to 50,5 on the way to 80: half-way
    svg = doc.xpath("//svg")[0]
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.get("role") == "img"
    assert "Élèves certifiés Pix" in doc.xpath(f'//*[@id="{title_id}"]')[0].text_content()
    desc = doc.xpath(f'//*[@id="{desc_id}"]')[0].text_content()
    assert earlier.strftime("%d/%m/%Y") in desc and "Cible : 80" in desc
    assert len(svg.xpath(".//polyline")) == 1 and len(svg.xpath(".//circle")) == 2
    labels = [t.text_content() for t in svg.xpath(".//text")]
    assert earlier.strftime("%d/%m/%Y") in labels and TODAY.strftime("%d/%m/%Y") in labels
    # The values, as text, for whoever does not see the chart.
    hidden = doc.xpath('//table[contains(@class, "fr-sr-only")]')[0].text_content()
    assert "20" in hidden and "50,5" in hidden and earlier.strftime("%d/%m/%Y") in hidden


def test_bad_values_get_a_french_message_and_nothing_is_saved(client, school):
    client.force_login(staff(school, Role.HEAD))
    indicator = make_indicator(school)
    url = reverse("commission:project_values", args=[school.uai, indicator.pk])
    page = client.post(url, {"measured_on": TODAY.isoformat(), "value": "beaucoup"})
    assert page.status_code == 200
    assert "Saisissez un nombre, par exemple 12 ou 12,5." in page.content.decode()
    page = client.post(url, {"measured_on": "31/02/2025", "value": "3"})
    assert "Saisissez une date au format JJ/MM/AAAA." in page.content.decode()
    page = client.post(
        reverse("commission:project_indicator_edit", args=[school.uai, indicator.pk]),
        {"name": indicator.name, "target": "douze"},
    )
    assert "Saisissez un nombre" in page.content.decode()
    assert not IndicatorValue.objects.exists()
    indicator.refresh_from_db()
    assert indicator.target == Decimal("80")

    client.post(url, {"measured_on": TODAY.isoformat(), "value": "12"})
    again = client.post(url, {"measured_on": TODAY.isoformat(), "value": "13"}).content.decode()
    assert "est déjà enregistrée le" in again
    assert indicator.values.get().value == Decimal("12")
    client.post(url, {"measured_on": TODAY.isoformat(), "value": "13", "replace": "on"})
    assert indicator.values.get().value == Decimal("13")


def test_staff_read_the_project_but_only_pilots_write(client, school):
    indicator = make_indicator(school)
    client.force_login(staff(school, Role.TEACHER))
    page = client.get(reverse("commission:project", args=[school.uai])).content.decode()
    assert (
        indicator.name in page and "Ajouter un axe" not in page and "Saisir une valeur" not in page
    )
    response = client.post(
        reverse("commission:project_axis_create", args=[school.uai]), {"title": "Intrus"}
    )
    assert response.status_code == 403
    assert ProjectAxis.objects.count() == 1


def test_another_schools_indicator_is_not_found(client, school):
    other = EstablishmentFactory()
    foreign = make_indicator(other)
    client.force_login(staff(school, Role.RRUPN))
    for name, kwargs in [
        ("commission:project_values", {"indicator_id": foreign.pk}),
        ("commission:project_indicator_edit", {"indicator_id": foreign.pk}),
        ("commission:project_axis_edit", {"axis_id": foreign.axis_id}),
        ("commission:project_indicator_create", {"axis_id": foreign.axis_id}),
    ]:
        url = reverse(name, kwargs={"uai": school.uai, **kwargs})
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"name": "x", "title": "x", "value": "1"}).status_code == 404


def test_project_page_queries_do_not_grow_with_axes_indicators_and_values(client, school):
    client.force_login(staff(school, Role.RRUPN))
    url = reverse("commission:project", args=[school.uai])

    def grow(n):
        for i in range(n):
            axis = ProjectAxis.objects.create(establishment=school, title=f"Axe {i} {n}")
            for j in range(2):
                indicator = Indicator.objects.create(axis=axis, name=f"I{j}", target=10)
                add_values(indicator, *[(d, d) for d in range(1, 3 + n)])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    grow(2)
    count()  # warm the per-process caches
    before = count()
    grow(5)
    assert count() == before
