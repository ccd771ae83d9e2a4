"""The start-of-year campaign: the school's checklist, the "done" mark, the due date, reminders."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from gar.campaign import services
from gar.campaign.services import CampaignError
from gar.campaign.tasks import send_campaign_reminders
from gar.models import CampaignReminder, GarCampaign, GarSubscription
from rrupn.accounts.models import Role
from rrupn.audit.models import AuditEntry
from rrupn.establishments.models import SchoolYear

from ..factories import EstablishmentFactory, RoleAssignmentFactory, SraneScopeFactory
from .factories_campaign import DesignationFactory, SubscriptionFactory, campaign

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def staff(school, role, **extra):
    return RoleAssignmentFactory(establishment=school, role=role, **extra).user


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# --- the school's checklist page -----------------------------------------------------------------


def test_checklist_shows_each_subscription_with_its_mark_and_the_days_left(client, school):
    campaign(TODAY() + days(12))
    SubscriptionFactory(establishment=school, resource__title="Lumni Enseignement", done=True)
    SubscriptionFactory(establishment=school, resource__title="Manuel de SVT 5e")
    SubscriptionFactory(
        establishment=school,
        school_year=SchoolYear.objects.get_or_create(
            start_year=SchoolYear.current().start_year - 1
        )[0],
        resource__title="Ancien abonnement",
    )
    SubscriptionFactory(resource__title="Abonnement d'une autre école")
    client.force_login(staff(school, Role.TEACHER))
    html = client.get(reverse("gar:campaign", args=[school.uai])).content.decode()
    assert "Lumni Enseignement" in html and "Manuel de SVT 5e" in html
    assert "Ancien abonnement" not in html and "autre école" not in html
    assert '<strong id="avancement">1/2</strong> (50 %)' in html
    assert "Il reste 12 jours." in html
    assert "Marquer fait" not in html  # a teacher reads, does not mark


def test_checklist_says_late_once_the_due_date_is_past(client, school):
    campaign(TODAY() - days(3))
    SubscriptionFactory(establishment=school)
    client.force_login(staff(school, Role.DOCUMENTALISTE))
    html = client.get(reverse("gar:campaign", args=[school.uai])).content.decode()
    assert "En retard" in html and "dépassée depuis 3 jours" in html
    assert "Marquer fait" in html


def test_default_due_date_is_30_september_until_the_srane_sets_one(client, school):
    year = SchoolYear.current()
    client.force_login(staff(school, Role.RRUPN))
    html = client.get(reverse("gar:campaign", args=[school.uai])).content.decode()
    assert f"Date limite : 30/09/{year.start_year}" in html
    assert not GarCampaign.objects.exists()  # reading creates nothing


# --- the "done" mark ------------------------------------------------------------------------------


def test_documentalist_marks_a_subscription_done_then_undoes_it_audited(client, school):
    subscription = SubscriptionFactory(establishment=school)
    documentalist = staff(school, Role.DOCUMENTALISTE)
    client.force_login(documentalist)
    url = reverse("gar:campaign_done", args=[school.uai, subscription.pk])
    response = client.post(url, {"done": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#abonnement-{subscription.pk}")
    subscription.refresh_from_db()
    assert subscription.done_by == documentalist and subscription.done_at is not None

    again = client.post(url, {"done": "1"}, follow=True)
    assert "déjà marqué fait" in again.content.decode()

    client.post(url, {"done": "0"})
    subscription.refresh_from_db()
    assert subscription.done_at is None and subscription.done_by is None
    actions = list(
        AuditEntry.objects.filter(object_id=str(subscription.pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["gar.subscription.done", "gar.subscription.undone"]
    assert AuditEntry.objects.filter(establishment=school).count() == 2


def test_resp_gar_of_the_year_may_mark_a_teacher_may_not(client, school):
    subscription = SubscriptionFactory(establishment=school)
    url = reverse("gar:campaign_done", args=[school.uai, subscription.pk])
    client.force_login(staff(school, Role.TEACHER))
    assert client.post(url, {"done": "1"}).status_code == 403
    resp = staff(school, Role.TEACHER)
    RoleAssignmentFactory(user=resp, establishment=school, role=Role.RESP_GAR, yearly=True)
    client.force_login(resp)
    assert client.post(url, {"done": "1"}).status_code == 302
    assert GarSubscription.objects.get().done_by == resp


def test_another_schools_subscription_is_not_found(client, school, other_school):
    theirs = SubscriptionFactory(establishment=other_school)
    client.force_login(staff(school, Role.RRUPN))
    url = reverse("gar:campaign_done", args=[school.uai, theirs.pk])
    assert client.post(url, {"done": "1"}).status_code == 404
    assert GarSubscription.objects.get().done_at is None


def test_the_service_refuses_roles_without_gar_assign(school):
    subscription = SubscriptionFactory(establishment=school)
    with pytest.raises(CampaignError, match="responsables d'affectation"):
        services.subscription_mark_done(
            subscription=subscription,
            user=staff(school, Role.GESTIONNAIRE),
            roles={Role.GESTIONNAIRE},
            done=True,
        )
    assert not AuditEntry.objects.exists()


# --- the SRANE's due date -------------------------------------------------------------------------


def test_academie_srane_sets_the_due_date_typed_as_jj_mm_aaaa(client):
    year = SchoolYear.current()
    srane = SraneScopeFactory(academie=True).user
    client.force_login(srane)
    response = client.post(
        reverse("gar_srane:campaign_due_date"),
        {"due_on": f"15/10/{year.start_year}", "reminder_every_days": "3"},
    )
    assert response.status_code == 302
    row = GarCampaign.objects.get(school_year=year)
    assert (row.due_on, row.reminder_every_days) == (datetime.date(year.start_year, 10, 15), 3)
    entry = AuditEntry.objects.get(action="gar.campaign.due_date")
    assert entry.before["date limite"] == f"30/09/{year.start_year}"
    assert entry.after["date limite"] == f"15/10/{year.start_year}"


def test_a_departement_srane_cannot_set_it_and_sees_no_form(client):
    client.force_login(SraneScopeFactory(department="87").user)
    html = client.get(reverse("gar_srane:campaign")).content.decode()
    assert "echeance-campagne" not in html
    response = client.post(
        reverse("gar_srane:campaign_due_date"),
        {"due_on": f"15/10/{SchoolYear.current().start_year}", "reminder_every_days": "3"},
        follow=True,
    )
    assert "Seul le SRANE académique" in response.content.decode()
    assert not GarCampaign.objects.exists()


@pytest.mark.parametrize(
    ("due_on", "every", "message"),
    [
        ("31/02/2026", "7", "JJ/MM/AAAA"),
        ("pas une date", "7", "JJ/MM/AAAA"),
        ("30/09/1999", "7", "doit tomber dans l'année scolaire"),
        (None, "0", "Au moins 1 jour"),
    ],
)
def test_a_bad_due_date_is_refused_with_a_clear_message(client, due_on, every, message):
    year = SchoolYear.current()
    client.force_login(SraneScopeFactory(academie=True).user)
    response = client.post(
        reverse("gar_srane:campaign_due_date"),
        {"due_on": due_on or f"01/10/{year.start_year}", "reminder_every_days": every},
        follow=True,
    )
    assert message in unescape(response.content.decode())
    assert not GarCampaign.objects.exists()


# --- reminders ------------------------------------------------------------------------------------


def late_school(name="Collège En Retard", department="87", **roles):
    """A school with one subscription not done and a RRUPN and a head to remind."""
    school = EstablishmentFactory(name=name, department_code=department)
    SubscriptionFactory(establishment=school)
    staff(school, Role.RRUPN, yearly=True, user__email=f"rrupn.{school.uai}@ac-limoges.fr")
    staff(school, Role.HEAD, user__email=f"chef.{school.uai}@ac-limoges.fr")
    return school


def run_periodic(django_capture_on_commit_callbacks, today=None):
    with django_capture_on_commit_callbacks(execute=True):
        return services.campaign_send_due_reminders(today=today)


def test_nothing_is_sent_before_the_due_date(mailoutbox, django_capture_on_commit_callbacks):
    campaign(TODAY() + days(1))
    late_school()
    report = run_periodic(django_capture_on_commit_callbacks)
    assert report.sent == [] and not CampaignReminder.objects.exists() and not mailoutbox


def test_late_schools_are_reminded_once_per_interval(
    mailoutbox, django_capture_on_commit_callbacks
):
    row = campaign(TODAY() - days(2), every=7)
    late = late_school()
    designated = late_school("Collège Désigné")
    resp = DesignationFactory(establishment=designated, user__email="doc.resp@ac-limoges.fr").user
    finished = EstablishmentFactory(name="Collège À jour")
    SubscriptionFactory(establishment=finished, done=True)
    DesignationFactory(establishment=finished)
    no_responsable = EstablishmentFactory(name="Collège Sans Responsable")
    SubscriptionFactory(establishment=no_responsable, done=True)
    staff(no_responsable, Role.HEAD, user__email="chef.seul@ac-limoges.fr")

    report = run_periodic(django_capture_on_commit_callbacks)
    assert sorted(report.sent) == sorted([late.uai, designated.uai, no_responsable.uai])
    by_school = {r.establishment_id: r for r in CampaignReminder.objects.all()}
    assert set(by_school) == {late.pk, designated.pk, no_responsable.pk}
    assert by_school[late.pk].campaign == row and by_school[late.pk].sent_by is None
    # Designated responsables first; the RRUPN and the head only when nobody is designated.
    assert by_school[designated.pk].recipients == [resp.email]
    assert sorted(by_school[late.pk].recipients) == [
        f"chef.{late.uai}@ac-limoges.fr",
        f"rrupn.{late.uai}@ac-limoges.fr",
    ]
    mails = {tuple(mail.to): mail for mail in mailoutbox}
    assert len(mailoutbox) == 3
    mail = mails[(resp.email,)]
    assert "Collège Désigné" in mail.subject and "en retard" in mail.subject
    assert "dépassée depuis 2 jours" in mail.body and "0 abonnement sur 1" in mail.body
    assert reverse("gar:campaign", args=[designated.uai]) in mail.body
    alone = mails[("chef.seul@ac-limoges.fr",)]
    assert "responsables d'affectation désignés : aucun" in alone.body
    assert reverse("gar:campaign_responsables", args=[no_responsable.uai]) in alone.body

    mailoutbox.clear()
    again = run_periodic(django_capture_on_commit_callbacks, today=TODAY() + days(6))
    assert again.sent == [] and len(again.recent) == 3 and not mailoutbox
    later = run_periodic(django_capture_on_commit_callbacks, today=TODAY() + days(7))
    assert len(later.sent) == 3 and len(mailoutbox) == 3
    assert CampaignReminder.objects.count() == 6


def test_a_school_nobody_can_be_written_to_gets_no_row(django_capture_on_commit_callbacks):
    campaign(TODAY() - days(1))
    orphan = EstablishmentFactory()
    SubscriptionFactory(establishment=orphan)
    staff(orphan, Role.TEACHER)  # a teacher is not reminded
    report = run_periodic(django_capture_on_commit_callbacks)
    assert report.unreachable == [orphan.uai] and not CampaignReminder.objects.exists()


def test_the_celery_task_runs_the_reminders(mailoutbox, django_capture_on_commit_callbacks):
    campaign(TODAY() - days(1))
    late = late_school()
    with django_capture_on_commit_callbacks(execute=True):
        send_campaign_reminders.delay()
    assert CampaignReminder.objects.get().establishment == late
    [mail] = mailoutbox
    assert late.name in mail.subject


# --- the SRANE's reminders ------------------------------------------------------------------------


def test_srane_reminds_one_school_once_a_day(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    campaign(TODAY() + days(10))  # not even late: a nudge before the deadline
    school = late_school()
    srane = SraneScopeFactory(department="87").user
    client.force_login(srane)
    url = reverse("gar_srane:campaign_remind", args=[school.uai])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"departement": "87"})
    assert response["Location"] == reverse("gar_srane:campaign") + "?departement=87"
    reminder = CampaignReminder.objects.get()
    assert reminder.sent_by == srane and reminder.establishment == school
    [mail] = mailoutbox
    assert "à terminer" in mail.subject and "dans 10 jours" in mail.body
    assert f"Relance envoyée par {srane} (SRANE)" in mail.body
    assert AuditEntry.objects.get(action="gar.campaign.reminder").actor == srane

    second = client.post(url, follow=True)
    assert "déjà été relancé aujourd" in second.content.decode()
    assert CampaignReminder.objects.count() == 1


def test_srane_cannot_remind_outside_its_scope_nor_a_finished_school(client):
    campaign(TODAY() - days(1))
    far = late_school(department="19")
    done = EstablishmentFactory()
    DesignationFactory(establishment=done)
    client.force_login(SraneScopeFactory(department="87").user)
    assert client.post(reverse("gar_srane:campaign_remind", args=[far.uai])).status_code == 404
    response = client.post(reverse("gar_srane:campaign_remind", args=[done.uai]), follow=True)
    assert "a terminé sa campagne" in response.content.decode()
    assert not CampaignReminder.objects.exists()


def test_srane_reminds_all_late_schools_of_its_scope(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    campaign(TODAY() - days(1))
    mine = [late_school("Collège Un"), late_school("Collège Deux")]
    far = late_school("Lycée Corrézien", department="19")
    client.force_login(SraneScopeFactory(department="87").user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("gar_srane:campaign_remind_late"), follow=True)
    assert "2 établissements en retard relancés" in response.content.decode()
    reminded = set(CampaignReminder.objects.values_list("establishment_id", flat=True))
    assert reminded == {school.pk for school in mine} and far.pk not in reminded
    assert len(mailoutbox) == 2
    again = client.post(reverse("gar_srane:campaign_remind_late"), follow=True)
    assert "2 établissements déjà relancés aujourd" in again.content.decode()


def test_srane_page_lists_late_schools_first(client):
    campaign(TODAY() - days(1))
    on_time = EstablishmentFactory(name="Aaa À jour")
    SubscriptionFactory(establishment=on_time, done=True)
    DesignationFactory(establishment=on_time)
    late = late_school("Zzz En retard")
    client.force_login(SraneScopeFactory(academie=True).user)
    html = client.get(reverse("gar_srane:campaign")).content.decode()
    assert html.index("Zzz En retard") < html.index("Aaa À jour")
    assert "2 établissements : 1 en retard, 1 à jour." in html
    assert reverse("gar_srane:campaign_remind", args=[late.uai]) in html
    assert reverse("gar_srane:campaign_remind", args=[on_time.uai]) not in html
    assert "echeance-campagne" in html  # the académie SRANE sets the due date here


# --- the three screens ----------------------------------------------------------------------------


def test_checklist_items_on_the_school_dashboard(client, school):
    due = TODAY() + days(5)
    campaign(due)
    SubscriptionFactory(establishment=school, done=True)
    SubscriptionFactory(establishment=school)
    client.force_login(staff(school, Role.RRUPN))
    url = reverse("dashboard:establishment", args=[school.uai])
    page = unescape(client.get(url).content.decode())
    assert "Responsables d'affectation GAR désignés" in page
    assert "Aucun responsable désigné" in page
    assert f"1/2 faites · date limite le {due:%d/%m/%Y}" in page
    assert reverse("gar:campaign", args=[school.uai]) in page

    DesignationFactory(establishment=school)
    DesignationFactory(establishment=school, state="proposed")
    past = TODAY() - days(1)
    campaign(past)
    page = unescape(client.get(url).content.decode())
    assert "1 désigné · 1 proposition en attente" in page
    assert f"1/2 faites · en retard (date limite le {past:%d/%m/%Y})" in page


def test_srane_overview_column_shows_progress_and_late_schools(client):
    campaign(TODAY() - days(1))
    late = late_school("Collège Lent")
    SubscriptionFactory(establishment=late, done=True)
    finished = EstablishmentFactory(name="Collège Fini")
    SubscriptionFactory(establishment=finished, done=True)
    DesignationFactory(establishment=finished)
    client.force_login(SraneScopeFactory(department="87").user)
    page = unescape(client.get(reverse("dashboard:srane_overview")).content.decode())
    assert "Campagne GAR" in page
    assert "En retard : 50 % (1/2) · aucun responsable désigné" in page
    assert "100 % (1/1)" in page
    assert f"{reverse('gar_srane:campaign')}?departement=87#etablissement-{late.uai}" in page
