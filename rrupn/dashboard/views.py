from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
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
    entries = AuditEntry.objects.filter(establishment=request.establishment).select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "dashboard/audit_log.html", {"page": page})
