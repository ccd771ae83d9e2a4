"""E-mail notifications go through a task that is queued only once the transaction commits."""

import pytest
from django.db import transaction

from rrupn.celery import TransactionAwareTask, app
from rrupn.notifications.emails import notify
from rrupn.notifications.tasks import send_email

from ..factories import UserFactory

RECIPIENT = "camille.fauvette@ac-limoges.fr"


class Refused(Exception):
    """Stands for any error that makes a view's transaction roll back."""


def notify_test(name="Camille"):
    notify(to=[RECIPIENT], name="test", context={"name": name})


@pytest.mark.django_db
def test_the_three_parts_arrive(mailoutbox, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://rrupn.ac-limoges.fr"
    with django_capture_on_commit_callbacks(execute=True):
        notify_test()

    [message] = mailoutbox
    assert message.subject == "[Portail RRUPN] Message de test"
    assert message.to == [RECIPIENT]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Bonjour Camille," in message.body
    assert "https://rrupn.ac-limoges.fr" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<p>Bonjour Camille,</p>" in html


@pytest.mark.django_db
def test_text_part_is_not_html_escaped(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_test(name="Zoé & Léa <Corrèze>")

    [message] = mailoutbox
    assert "Bonjour Zoé & Léa <Corrèze>," in message.body
    assert "Zoé &amp; Léa &lt;Corrèze&gt;" in message.alternatives[0][0]


@pytest.mark.django_db
def test_rolled_back_transaction_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Refused), transaction.atomic():
            notify_test()
            raise Refused
    assert callbacks == []
    assert mailoutbox == []


@pytest.mark.django_db
def test_queued_only_when_outer_transaction_commits(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            notify_test()
        assert mailoutbox == []  # the inner block is a savepoint: nothing is committed yet
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1


# A real COMMIT and ROLLBACK on the database (pytest-django runs such tests after the others,
# so the flush that follows does not take the migrations' reference data from them).
@pytest.mark.django_db(transaction=True)
def test_real_commit_then_send_and_real_rollback_sends_nothing(mailoutbox):
    with pytest.raises(Refused), transaction.atomic():
        UserFactory(email="zoe.rollback@ac-limoges.fr")
        notify_test()
        raise Refused
    assert mailoutbox == []

    with transaction.atomic():
        UserFactory(email="zoe.commit@ac-limoges.fr")
        notify_test()
        assert mailoutbox == []
    assert len(mailoutbox) == 1

    result = send_email.delay(to=[RECIPIENT], name="test", context={"name": "Zoé"})
    assert result is not None  # outside a transaction the task is queued at once
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_context_must_survive_a_real_broker(mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TypeError):
        notify(to=[RECIPIENT], name="test", context={"name": user})
    assert mailoutbox == []


@pytest.mark.django_db
def test_blank_recipients_are_dropped(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(to=["", None], name="test", context={"name": "Camille"})
        notify(to=["", RECIPIENT], name="test", context={"name": "Camille"})
    assert len(callbacks) == 1
    assert [message.to for message in mailoutbox] == [[RECIPIENT]]


def test_every_project_task_waits_for_commit():
    app.loader.import_default_modules()
    ours = [task for name, task in app.tasks.items() if not name.startswith("celery.")]
    assert send_email in ours
    assert all(isinstance(task, TransactionAwareTask) for task in ours)


@pytest.mark.django_db
def test_text_attachments_travel_with_the_message(mailoutbox, django_capture_on_commit_callbacks):
    ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    attachment = {"filename": "reunion.ics", "content": ics, "mimetype": "text/calendar"}
    with django_capture_on_commit_callbacks(execute=True):
        notify(to=[RECIPIENT], name="test", context={"name": "Camille"}, attachments=[attachment])
        notify(to=[RECIPIENT], name="test", context={"name": "Léa"})
    with_file, without = mailoutbox
    assert with_file.attachments == [("reunion.ics", ics, "text/calendar")]
    assert without.attachments == []
    with pytest.raises(TypeError):
        notify(to=[RECIPIENT], name="test", context={}, attachments=[{"content": b"\x00"}])
