"""Every URL × every persona × own school / other school / other département."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, path, reverse

from rrupn.access.capabilities import AUTHENTICATED, requires

from ..conftest import make_persona
from . import matrix
from .urlwalk import fill_route, iter_urls, uncovered

ALL_URLS = sorted({(key, route, params) for key, route, params in iter_urls()})


def test_every_url_has_a_matrix_entry():
    missing = uncovered(matrix.entry_for)
    assert not missing, (
        f"URLs without a permission-matrix entry (tests/access/matrix.py): {missing}"
    )


def test_no_stale_matrix_entry():
    keys = {key for key, _route, _params in ALL_URLS}
    stale = [key for key in matrix.MATRIX if key not in keys and not key.endswith(":*")]
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"


@requires(AUTHENTICATED)
def _new_view(request):  # pragma: no cover - never requested
    raise AssertionError


urlpatterns_with_extra = [path("nouvelle-page/", _new_view, name="nouvelle_page")]


def test_an_added_url_without_entry_is_reported(settings):
    """The completeness check really looks at the resolver: a new URL shows up."""
    import rrupn.urls

    module = type(rrupn)("extra_urls")
    module.urlpatterns = [*rrupn.urls.urlpatterns, *urlpatterns_with_extra]
    with override_settings(ROOT_URLCONF=module):
        from django.urls import get_resolver

        with_extra = uncovered(matrix.entry_for, get_resolver(module).url_patterns)
    assert set(with_extra) - set(uncovered(matrix.entry_for)) == {"nouvelle_page"}


def sample_letter(school, head):
    """A draft letter of the own school, naming a teacher who is none of the personas."""
    from tests.missions.factories import MissionLetterFactory

    return MissionLetterFactory(establishment=school, created_by=head)


def sample_export(srane):
    """A queued batch export requested by the SRANE département persona."""
    from missions.models import LetterExport
    from rrupn.establishments.models import SchoolYear

    return LetterExport.objects.create(
        created_by=srane, school_year=SchoolYear.current(), department="87"
    )


def sample_purchase(school, author):
    """A purchase proposal of the own school, waiting for the head's decision."""
    from tests.commission.factories_purchases import PurchaseProposalFactory

    return PurchaseProposalFactory(establishment=school, proposed_by=author)


def sample_practice(school, author):
    """A remarkable practice of the own school, not shared."""
    from tests.commission.factories_practices import PracticeFactory

    return PracticeFactory(establishment=school, author=author)


def sample_activity(school, author):
    """An entry of the own school's RGPD register."""
    from tests.commission.test_rgpd import make_activity

    return make_activity(school, author)


def project_training_samples(school, author) -> dict:
    """An axis with an indicator, a training need and a café numérique of the own school."""
    from tests.commission.test_project import make_indicator
    from tests.commission.test_training import make_action

    indicator = make_indicator(school, author)
    action = make_action(school, author)
    return {
        "axis_id": str(indicator.axis_id),
        "indicator_id": str(indicator.pk),
        "need_id": str(action.need_id),
        "training_action_id": str(action.pk),
    }


def sample_commission(school) -> dict:
    """This year's commission of the own school, with a member, a meeting and an action."""
    from tests.commission.factories_members import action, commission, meeting, member

    com = commission(school)
    owner = member(com, outsider_name="Membre extérieur")
    return {
        "member_id": str(owner.pk),
        "meeting_id": str(meeting(com).pk),
        "action_id": str(action(com, owner=owner).pk),
    }


def sample_division(school) -> dict:
    """A class of the own school for this year."""
    from rrupn.establishments.models import Division, SchoolYear

    made = Division.objects.create(
        establishment=school, school_year=SchoolYear.current(), code="3A"
    )
    return {"division_id": str(made.pk)}


def sample_assignment(school, author) -> dict:
    """A subscription of the own school for this year, given to one of its classes."""
    from gar.models import GarAssignment
    from tests.gar.factories_assignments import SubscriptionFactory, division

    subscription = SubscriptionFactory(establishment=school)
    made = GarAssignment.objects.create(
        subscription=subscription,
        target_kind="division",
        division=division(school, "GAR-3A"),
        public="ELEVE",
        licences=25,
        created_by=author,
    )
    return {"subscription_id": str(subscription.pk), "assignment_id": str(made.pk)}


def sample_ticket(school, author) -> dict:
    """An incident of the own school reported by the RRUPN (queued), with a photo."""
    from django.core.files.base import ContentFile

    from maintenance.models import Ticket, TicketAttachment, TicketCategory, TicketStatus

    ticket = Ticket.objects.create(
        establishment=school,
        reporter=author,
        category=TicketCategory.objects.get(code="poste"),
        title="Poste bloqué",
        description="Écran bleu.",
        status=TicketStatus.QUEUED,
    )
    photo = TicketAttachment(
        ticket=ticket, original_name="photo.png", content_type="image/png", size=8
    )
    photo.file.save("photo.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    return {"ticket_id": str(ticket.pk), "attachment_id": str(photo.pk)}


def sample_equipment_need(school, author):
    """An equipment need of the own school, proposed by the RRUPN, waiting for validation."""
    from tests.maintenance.factories_equipment import EquipmentNeedFactory

    return EquipmentNeedFactory(establishment=school, proposed_by=author)


def sample_certification_session(school) -> dict:
    """A Pix certification session of the own school, this year."""
    import datetime

    from pix.models import CertificationSession
    from rrupn.establishments.models import SchoolYear

    year = SchoolYear.current()
    made = CertificationSession.objects.create(
        establishment=school,
        school_year=year,
        level="3e",
        date=datetime.date(year.start_year + 1, 3, 15),
        candidates=25,
    )
    return {"session_id": str(made.pk)}


def sample_pix_campaign(school) -> dict:
    """A Pix campaign of the own school, this year, with one pupil's result."""
    from pix.summaries import rebuild
    from tests.pix.factories import ParticipationFactory, PixCampaignFactory

    campaign = PixCampaignFactory(establishment=school)
    ParticipationFactory(campaign=campaign, division_code="3A")
    rebuild(campaign)
    return {"campaign_id": str(campaign.pk)}


def sample_announcement(author) -> dict:
    """An announcement of the SRANE département persona to the RRUPN of its département (87)."""
    from rrupn.relay.models import Announcement

    made = Announcement.objects.create(
        title="Appel à FIL",
        body="Inscriptions ouvertes.",
        kind="fil",
        department="87",
        author=author,
    )
    return {"announcement_id": str(made.pk)}


def _url(key, route, params, target, samples):
    kwargs = {}
    for name in params:
        if name == "uai":
            kwargs[name] = target.uai
        else:
            assert name in samples, f"{key}: no sample value for {name!r}"
            kwargs[name] = samples[name]
    if key.endswith(route):  # unnamed pattern
        return fill_route(route, kwargs)
    try:
        return reverse(key, kwargs=kwargs)
    except NoReverseMatch:
        return reverse(key, args=list(kwargs.values()))


def make_commission(school, users) -> dict:
    return sample_commission(school)


# (URL kwargs, what makes them): a URL gets the sample objects of the kwargs it takes.
SAMPLE_PROVIDERS = [
    (("pk",), lambda school, users: {"pk": str(sample_letter(school, users["head"]).pk)}),
    (
        ("export_id",),
        lambda school, users: {"export_id": str(sample_export(users["srane_department"]).pk)},
    ),
    (("member_id", "meeting_id", "action_id"), make_commission),
    (
        ("axis_id", "indicator_id", "need_id", "training_action_id"),
        lambda school, users: project_training_samples(school, users["rrupn"]),
    ),
    (
        ("activity_id",),
        lambda school, users: {"activity_id": str(sample_activity(school, users["head"]).pk)},
    ),
    (
        ("purchase_id",),
        lambda school, users: {"purchase_id": str(sample_purchase(school, users["rrupn"]).pk)},
    ),
    (
        ("practice_id",),
        lambda school, users: {"practice_id": str(sample_practice(school, users["rrupn"]).pk)},
    ),
    (
        ("equipment_need_id",),
        lambda school, users: {
            "equipment_need_id": str(sample_equipment_need(school, users["rrupn"]).pk)
        },
    ),
    (("division_id",), lambda school, users: sample_division(school)),
    (
        ("subscription_id", "assignment_id"),
        lambda school, users: sample_assignment(school, users["rrupn"]),
    ),
    (("ticket_id", "attachment_id"), lambda school, users: sample_ticket(school, users["rrupn"])),
    (("session_id",), lambda school, users: sample_certification_session(school)),
    (("campaign_id",), lambda school, users: sample_pix_campaign(school)),
    (
        ("announcement_id",),
        lambda school, users: sample_announcement(users["srane_department"]),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "route", "params"), ALL_URLS, ids=[k for k, _r, _p in ALL_URLS])
def test_permission_matrix(
    client, key, route, params, school, other_school, far_school, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"  # the sample incident's photo
    entry = matrix.entry_for(key)
    assert entry is not None, f"{key} has no matrix entry"
    targets = {"own": school, "other_school": other_school, "other_department": far_school}
    relations = matrix.RELATIONS if "uai" in params else ("own",)
    users = {persona: make_persona(persona, school) for persona in matrix.PERSONAS}
    samples = dict(matrix.SAMPLE_KWARGS)
    # Only the objects this URL names: creating them all was most of each case's time.
    for keys, make in SAMPLE_PROVIDERS:
        # The commission's pages (add a member, plan a meeting) need this year's commission.
        needed = make is make_commission and key.startswith("commission:")
        if needed or set(keys) & set(params):
            made = make(school, users)
            assert set(made) == set(keys), f"sample provider for {keys} made {sorted(made)}"
            samples.update(made)
    mismatches = []
    for persona, user in users.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for relation in relations:
            url = _url(key, route, params, targets[relation], samples)
            status = client.get(url).status_code
            expected = entry.expected(persona, relation)
            if status != expected:
                mismatches.append(f"{persona}/{relation} GET {url}: {status}, expected {expected}")
    assert not mismatches, "\n".join(mismatches)
