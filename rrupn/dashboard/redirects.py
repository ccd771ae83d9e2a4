"""Where a decision endpoint sends the person back: a safe `next` (e.g. the head's inbox)."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request) -> str:
    """The POSTed (or query) `next`, if it points inside this site; "" otherwise."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def redirect_next(request, default, *args, **kwargs):
    """`redirect(next)` when a safe `next` was sent, else `redirect(default, *args, **kwargs)`."""
    return redirect(safe_next(request) or default, *args, **kwargs)
