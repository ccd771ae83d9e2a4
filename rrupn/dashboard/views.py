import re
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from rrupn.access import capabilities as caps
from rrupn.access.capabilities import requires
from rrupn.access.middleware import SESSION_KEY
from rrupn.audit.models import AuditEntry


@requires(caps.PUBLIC)
@require_GET
def health(request):
    return HttpResponse("ok", content_type="text/plain")


@requires(caps.AUTHENTICATED)
@require_GET
def home(request):
    """Send each person to their main screen."""
    access = request.access
    establishments = access.establishments
    if establishments:
        remembered = request.session.get(SESSION_KEY)
        uai = remembered if any(e.uai == remembered for e in establishments) else None
        return redirect("dashboard:establishment", uai=uai or establishments[0].uai)
    if access.srane_departments:
        return redirect("dashboard:srane_overview")
    if request.user.is_staff:
        return redirect("admin:index")
    unknown = request.session.get("sso_unknown_uais", [])
    return render(request, "dashboard/no_role.html", {"unknown_uais": unknown}, status=403)


@requires(caps.AUTHENTICATED)
@require_POST
def switch_establishment(request):
    uai = request.POST.get("uai", "")
    establishment, _roles = request.access.establishment_roles(uai)
    if establishment is None:
        messages.error(request, _("Vous n'avez pas de rôle dans cet établissement."))
        return redirect("home")
    request.session[SESSION_KEY] = uai
    return redirect("dashboard:establishment", uai=uai)


@requires("audit.view")
@require_GET
def audit_log(request, uai):
    entries = AuditEntry.objects.filter(establishment=request.establishment).select_related(
        "actor", "content_type"
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [(entry, _readable_changes(entry)) for entry in page]
    return render(request, "dashboard/audit_log.html", {"page": page, "rows": rows})


# The counts an import records (Pix Orga export, class lists) under their English keys.
_IMPORT_COUNTS = {
    "rows": gettext_lazy("lignes"),
    "pupils": gettext_lazy("élèves"),
    "created": gettext_lazy("ajoutés"),
    "updated": gettext_lazy("mis à jour"),
    "unchanged": gettext_lazy("inchangés"),
}
_AMOUNT = re.compile(r"^\d+\.\d{2}$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _readable_changes(entry) -> list[tuple[str, str, str]]:
    """The journal's "avant → après" in French: a field's label instead of its name, a choice's
    label instead of its stored code, Oui/Non, JJ/MM/AAAA, lists joined by commas."""
    model = entry.content_type.model_class() if entry.content_type else None
    fields = {}
    if model is not None:
        for field in model._meta.get_fields():
            if hasattr(field, "verbose_name"):
                fields[field.name] = field
                fields[str(field.verbose_name).lower()] = field
    rows = []
    for key, before, after in entry.changes():
        field = fields.get(key) or fields.get(key.lower())
        if field is None:
            # A label of the service's own (« état » for the field « décision »…): the one field
            # whose choices hold the recorded codes.
            codes = {value for value in (before, after) if isinstance(value, str) and value}
            with_codes = [
                candidate
                for candidate in set(fields.values())
                if codes and codes <= set(dict(getattr(candidate, "flatchoices", None) or ()))
            ]
            field = with_codes[0] if len(with_codes) == 1 else None
        if key in fields:
            label = str(fields[key].verbose_name)
        else:
            label = str(_IMPORT_COUNTS.get(key, key))
        rows.append((label, _readable_value(before, field), _readable_value(after, field)))
    return rows


def _readable_value(value, field) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, list):
        return ", ".join(_readable_value(item, field) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key} : {item}" for key, item in value.items())
    choices = dict(getattr(field, "flatchoices", None) or ())
    if value in choices:
        return str(choices[value])
    if isinstance(field, models.DecimalField) and isinstance(value, str | int | float):
        try:
            return number_format(Decimal(str(value)), field.decimal_places, force_grouping=True)
        except InvalidOperation:
            return str(value)
    if isinstance(value, str) and _AMOUNT.match(value):
        return number_format(Decimal(value), 2, force_grouping=True)
    # Free text can look like a date without being one (a reference typed "2026-11-31"): it
    # is then shown as typed, never a crash of the whole journal.
    try:
        if isinstance(value, str) and _ISO_DAY.match(value):
            return date_format(parse_date(value), "SHORT_DATE_FORMAT")
        if isinstance(value, str) and _ISO_MOMENT.match(value):
            moment = parse_datetime(value)
            if moment is not None:
                moment = localtime(moment) if is_aware(moment) else moment
                return date_format(moment, "SHORT_DATETIME_FORMAT")
    except ValueError:
        pass
    return str(value)
