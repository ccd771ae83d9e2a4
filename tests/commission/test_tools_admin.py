"""The commission admin: reference data editable, everything else read-only and rendering."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from commission import models
from commission.admin import ReadOnlyAdmin, ReferenceAdmin
from rrupn.establishments.models import SchoolYear

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def one_of_each(school, superuser):
    """A row of every commission model, so that every list and change page renders one."""
    year = SchoolYear.current()
    commission = models.Commission.objects.create(establishment=school, school_year=year)
    member = models.CommissionMember.objects.create(
        commission=commission, user=superuser, category=models.MemberCategory.RRUPN
    )
    meeting = models.Meeting.objects.create(
        commission=commission, starts_at=timezone.now(), created_by=superuser
    )
    models.AgendaItem.objects.create(meeting=meeting, title="Bilan de rentrée")
    models.Attendance.objects.create(meeting=meeting, member=member, presence="present")
    models.Action.objects.create(
        commission=commission, meeting=meeting, title="Inventaire", owner=member
    )
    axis = models.ProjectAxis.objects.create(establishment=school, title="Usages en classe")
    indicator = models.Indicator.objects.create(axis=axis, name="Classes équipées", unit="%")
    models.IndicatorValue.objects.create(
        indicator=indicator, measured_on=datetime.date(2026, 1, 5), value=Decimal("40")
    )
    topic = models.TrainingTopic.objects.first()
    need = models.TrainingNeed.objects.create(
        establishment=school,
        school_year=year,
        topic=topic,
        audience="Enseignants",
        staff_count=4,
        priority="high",
        origin="survey",
        created_by=superuser,
    )
    models.TrainingAction.objects.create(
        establishment=school,
        school_year=year,
        kind="cafe",
        topic=topic,
        title="Café ENT",
        need=need,
        created_by=superuser,
    )
    models.PurchaseProposal.objects.create(
        establishment=school,
        school_year=year,
        item="Visualiseuse",
        quantity=1,
        estimated_cost=Decimal("250"),
        justification="Sciences",
        proposed_by=superuser,
    )
    models.RemarkablePractice.objects.create(
        establishment=school,
        school_year=year,
        title="Webradio",
        discipline="Français",
        level="4e",
        description="Émissions mensuelles",
        author=superuser,
    )
    models.ProcessingActivity.objects.create(
        establishment=school,
        name="Pronote",
        service="Pronote",
        purpose="Vie scolaire",
        data_categories="Identité",
        people_concerned="Élèves",
        recipients="Personnels",
        retention="Un an",
        security_measures="Comptes nominatifs",
        updated_by=superuser,
    )


def commission_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "commission"
    ]


def test_every_commission_model_with_pages_is_registered():
    registered = {model for model, _admin in commission_admins()}
    inline_only = {
        models.AgendaItem,
        models.Attendance,
        models.CommissionMember,
        models.IndicatorValue,
    }
    from django.apps import apps

    assert set(apps.get_app_config("commission").get_models()) - inline_only == registered
    for model, model_admin in commission_admins():
        reference = model in {models.TrainingTopic, models.ToolUsage, models.RecommendedTool}
        assert isinstance(model_admin, ReferenceAdmin if reference else ReadOnlyAdmin), model


def test_a_superuser_sees_every_page_and_cannot_change_the_domain_rows(
    client, superuser, one_of_each
):
    client.force_login(superuser)
    assert client.get(reverse("admin:app_list", args=["commission"])).status_code == 200
    for model, model_admin in commission_admins():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        changelist = client.get(reverse(f"{info}_changelist"))
        assert changelist.status_code == 200, model
        obj = model.objects.order_by("pk").first()
        change = client.get(reverse(f"{info}_change", args=[obj.pk]))
        assert change.status_code == 200, model
        add = client.get(reverse(f"{info}_add"))
        if isinstance(model_admin, ReadOnlyAdmin):
            assert add.status_code == 403, model
            assert b'name="_save"' not in change.content, model
        else:
            assert add.status_code == 200, model
    activity = models.ProcessingActivity.objects.get()
    client.post(
        reverse("admin:commission_processingactivity_delete", args=[activity.pk]),
        {"post": "yes"},
    )
    assert models.ProcessingActivity.objects.filter(pk=activity.pk).exists()
