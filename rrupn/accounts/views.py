from django.shortcuts import render
from django.views.decorators.http import require_GET

from rrupn.access import capabilities as caps
from rrupn.access.capabilities import requires

from .models import RoleAssignment


@requires(caps.AUTHENTICATED)
@require_GET
def profile(request):
    roles = (
        RoleAssignment.objects.active(request.school_year)
        .filter(user=request.user)
        .select_related("establishment", "school_year")
        .order_by("establishment__name", "role")
    )
    return render(request, "accounts/profile.html", {"roles": roles})
