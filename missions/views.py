from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rrupn.access.capabilities import requires
from rrupn.audit.models import AuditEntry
from rrupn.dashboard.redirects import safe_next

from . import services
from .forms import CommentForm, LetterForm
from .models import LetterState, MissionLetter, PdfStatus
from .selectors import is_head_side, letters_visible_to, staff_of


def _letter(request, pk) -> MissionLetter:
    """A letter of the current establishment that this person may see, or 404."""
    letters = letters_visible_to(request.establishment, request.user, request.roles)
    return get_object_or_404(letters, pk=pk)


def _detail(letter):
    return redirect("missions:detail", uai=letter.establishment.uai, pk=letter.pk)


@requires("missions.view")
@require_GET
def letter_list(request, uai):
    letters = letters_visible_to(request.establishment, request.user, request.roles).order_by(
        "-school_year__start_year", "-version"
    )
    return render(request, "missions/list.html", {"letters": letters})


def _form(request, *, letter=None):
    staff = staff_of(request.establishment, letter.school_year if letter else request.school_year)
    locked = None if is_head_side(request.roles) else (letter.rrupn if letter else request.user)
    if request.method == "POST":
        return LetterForm(request.POST, staff=staff, rrupn_locked_to=locked)
    if letter is not None:
        return LetterForm(
            initial=LetterForm.initial_from(letter), staff=staff, rrupn_locked_to=locked
        )
    year = request.school_year
    return LetterForm(
        initial={"starts_on": year.starts_on, "ends_on": year.ends_on, "imp_multiple": 1},
        staff=staff,
        rrupn_locked_to=locked,
    )


@requires("missions.view")
@require_http_methods(["GET", "POST"])
def letter_create(request, uai):
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.letter_create(
                establishment=request.establishment,
                school_year=request.school_year,
                author=request.user,
                roles=request.roles,
                data=form.to_data(),
            )
        except services.LetterError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Brouillon de lettre de mission enregistré."))
            return _detail(letter)
    return render(request, "missions/form.html", {"form": form, "letter": None})


@requires("missions.view")
@require_http_methods(["GET", "POST"])
def letter_edit(request, uai, pk):
    letter = _letter(request, pk)
    if not letter.is_editable:
        messages.error(request, _("Cette lettre n'est plus modifiable à son état actuel."))
        return _detail(letter)
    form = _form(request, letter=letter)
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_update(
                letter=letter,
                user=request.user,
                roles=request.roles,
                revision=form.cleaned_data["revision"] or 0,
                data=form.to_data(),
            )
        except services.LetterError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Lettre de mission enregistrée."))
            return _detail(letter)
    return render(request, "missions/form.html", {"form": form, "letter": letter})


@requires("missions.view")
@require_GET
def letter_detail(request, uai, pk):
    letter = _letter(request, pk)
    tasks = letter.tasks.select_related("task__function", "shared_with")
    history = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(MissionLetter), object_id=str(letter.pk)
    ).select_related("actor")
    return render(
        request,
        "missions/detail.html",
        {
            "letter": letter,
            "tasks": tasks,
            "history": history,
            "actions": available_actions(letter, request.user, request.roles),
            "comment_form": CommentForm(),
        },
    )


def available_actions(letter, user, roles) -> set[str]:
    """The buttons to show; the services decide again on POST."""
    head_side, is_rrupn = is_head_side(roles), user.pk == letter.rrupn_id
    party = head_side or is_rrupn
    actions = set()
    if letter.is_editable and party:
        actions |= {"edit", "propose"}
    if letter.state == LetterState.PROPOSED:
        proposer_is_rrupn = letter.proposed_by_id == letter.rrupn_id
        if (proposer_is_rrupn and head_side and not is_rrupn) or (
            not proposer_is_rrupn and is_rrupn
        ):
            actions.add("request_changes")
        if "head" in roles:
            actions.add("sign")
    if letter.state == LetterState.SIGNED and is_rrupn:
        actions.add("accept")
    if letter.state in (LetterState.ACCEPTED, LetterState.ACTIVE) and party:
        actions.add("amend")
    return actions


def _revision(request) -> int:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return 0


@requires("missions.view")
@require_POST
def letter_transition(request, uai, pk, action):
    letter = _letter(request, pk)
    user, roles, revision = request.user, request.roles, _revision(request)
    steps = {
        "proposer": lambda: services.letter_propose(
            letter=letter, user=user, roles=roles, revision=revision
        ),
        "demander-des-modifications": lambda: services.letter_request_changes(
            letter=letter,
            user=user,
            roles=roles,
            revision=revision,
            comment=request.POST.get("comment", ""),
        ),
        "signer": lambda: services.letter_sign(
            letter=letter, user=user, roles=roles, revision=revision
        ),
        "accepter": lambda: services.letter_accept(letter=letter, user=user, revision=revision),
        "avenant": lambda: services.letter_amend(letter=letter, user=user, roles=roles),
    }
    if action not in steps:
        raise Http404
    back = safe_next(request)  # e.g. the head's inbox, where the decision was taken
    try:
        result = steps[action]()
    except services.LetterError as exc:
        messages.error(request, str(exc))
        return redirect(back) if back else _detail(letter)
    messages.success(request, DONE_MESSAGES[action])
    return redirect(back) if back else _detail(result)


DONE_MESSAGES = {
    "proposer": gettext_lazy("Lettre proposée : l'autre partie est prévenue par courriel."),
    "demander-des-modifications": gettext_lazy("Demande de modifications envoyée."),
    "signer": gettext_lazy("Lettre signée. Le RRUPN est prévenu et doit maintenant l'accepter."),
    "accepter": gettext_lazy(
        "Lettre acceptée : vous êtes RRUPN de l'établissement pour l'année scolaire."
    ),
    "avenant": gettext_lazy("Avenant créé en brouillon à partir de la lettre en vigueur."),
}


@requires("missions.view")
@require_GET
def letter_pdf(request, uai, pk):
    letter = _letter(request, pk)
    if not letter.pdf_is_current:
        messages.info(request, _("Le PDF de cette version n'est pas encore prêt."))
        return _detail(letter)
    return FileResponse(
        letter.pdf.open("rb"),
        as_attachment=True,
        filename=f"{letter.reference}.pdf",
        content_type="application/pdf",
    )


@requires("missions.view")
@require_POST
def letter_pdf_retry(request, uai, pk):
    letter = _letter(request, pk)
    if letter.state in (LetterState.DRAFT, LetterState.PROPOSED, LetterState.CHANGES_REQUESTED):
        messages.error(request, _("Le PDF n'est produit qu'une fois la lettre signée."))
    elif letter.pdf_status == PdfStatus.PENDING:
        messages.info(request, _("Le PDF est déjà en cours de production."))
    else:
        services.letter_pdf_request(letter)
        messages.success(request, _("Production du PDF relancée."))
    return _detail(letter)
