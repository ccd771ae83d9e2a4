"""The components page: every DSFR component and form state the portal uses, on one screen.

It is the visual reference for the domain apps and the page the UI tests check for the CSP
(no inline style, no script without nonce) and for the crispy DSFR pack's markup.
"""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rrupn.access import capabilities as caps
from rrupn.access.capabilities import requires

from .forms import ComponentsDemoForm
from .registry import Status

# Data that fails every rule of the demo form, so the "with errors" copy shows each error state.
INVALID_DEMO_DATA = {
    "erreurs-name": "",
    "erreurs-email": "pas-un-courriel",
    "erreurs-pupils": "0",
    "erreurs-department": "",
    "erreurs-levels": ["6e", "2nde"],
    "erreurs-training_date": "31/02/2026",
}


@requires(caps.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def components(request):
    if request.method == "POST":
        empty = ComponentsDemoForm(request.POST, request.FILES, prefix="vide")
        if empty.is_valid():
            messages.success(request, _("Le formulaire de démonstration est valide."))
            return redirect("components")
    else:
        empty = ComponentsDemoForm(prefix="vide")
    with_errors = ComponentsDemoForm(INVALID_DEMO_DATA, prefix="erreurs")
    with_errors.is_valid()
    page = Paginator(range(60), 20).get_page(2)
    statuses = [
        Status(True, _("Désigné")),
        Status(False, _("À désigner")),
        Status(None, ""),
    ]
    return render(
        request,
        "components/index.html",
        {
            "empty_form": empty,
            "error_form": with_errors,
            "page": page,
            "statuses": statuses,
            "sample_dates": [date(2025, 9, 2), date(2025, 10, 3)],
        },
    )
