"""An uploaded export kept between its preview and its confirmation.

The bytes go to the default storage (the media volume every web worker shares), under a random
token that only the uploader's session knows; the confirmation reads them back from there, never
from a re-posted form. Files left unconfirmed are swept after a few hours.
"""

import datetime
import hashlib
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

DIRECTORY = "pix-imports"
SESSION_KEY = "pix_pending_imports"
MAX_AGE = datetime.timedelta(hours=6)
MAX_PER_SESSION = 5


def _delete(path: str) -> None:
    try:
        default_storage.delete(path)
    except OSError:  # pragma: no cover - already gone
        pass


def sweep(now=None) -> int:
    """Delete pending files older than MAX_AGE (any session); returns how many."""
    now = now or timezone.now()
    try:
        _dirs, files = default_storage.listdir(DIRECTORY)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in files:
        path = f"{DIRECTORY}/{name}"
        try:
            modified = default_storage.get_modified_time(path)
        except OSError:  # pragma: no cover - removed meanwhile
            continue
        if now - modified > MAX_AGE:
            _delete(path)
            removed += 1
    return removed


def keep(request, data: bytes, file_name: str) -> str:
    """Store the upload; returns the token of its preview page."""
    sweep()
    token = secrets.token_urlsafe(24)
    path = default_storage.save(f"{DIRECTORY}/{token}.csv", ContentFile(data))
    pending = dict(request.session.get(SESSION_KEY, {}))
    pending[token] = {
        "uai": request.establishment.uai,
        "path": path,
        "name": file_name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "at": timezone.now().isoformat(),
    }
    for old in sorted(pending, key=lambda t: pending[t]["at"])[:-MAX_PER_SESSION]:
        _delete(pending.pop(old)["path"])
    request.session[SESSION_KEY] = pending
    return token


def load(request, token: str) -> tuple[bytes, dict] | None:
    """The kept bytes and their description, or None (unknown token, other school, expired)."""
    meta = request.session.get(SESSION_KEY, {}).get(token)
    if not meta or meta["uai"] != request.establishment.uai:
        return None
    try:
        with default_storage.open(meta["path"], "rb") as kept:
            data = kept.read()
    except OSError:
        discard(request, token)
        return None
    if hashlib.sha256(data).hexdigest() != meta["sha256"]:
        discard(request, token)
        return None
    return data, meta


def discard(request, token: str) -> None:
    pending = dict(request.session.get(SESSION_KEY, {}))
    meta = pending.pop(token, None)
    if meta:
        _delete(meta["path"])
        request.session[SESSION_KEY] = pending
