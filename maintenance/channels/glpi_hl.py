"""GLPI 11, high-level API v2 (api.php/v2, /work/shared/formats/glpi.md §4), for the GLPI 11
instances that disable the legacy API.

Same surface as the legacy `GlpiClient` (GlpiTransport and the status sync see no difference):
`login` takes an OAuth2 access token with the password grant (the SRANE's OAuth client, the
school's GLPI account, scope `api`) and keeps it for the client's life; a call answered 401, or
400 "Invalid OAuth token" (expired), takes a new token once and is made again. There is no
session to close. The portal reference goes in `external_id`, which a retry searches
(`filter=external_id==RRUPN-…`) before creating anything.
"""

import re
from datetime import UTC, datetime

import requests
from django.conf import settings

from . import PermanentError, TransientError
from .glpi_base import TRANSIENT_HTTP, Expired, LoginOnceMore, glpi_root

PAGE = 100  # the HL API's default and usual maximum `limit`


class GlpiHlClient(LoginOnceMore):
    """A thin client of the HL API v2; raises TransientError / PermanentError in French."""

    expired_again = "GLPI refuse un jeton OAuth aussitôt obtenu."

    def __init__(self, *, url, client_id, client_secret, username, password, timeout=None):
        root = glpi_root(url)
        self.token_url = f"{root}/api.php/token"
        self.base = f"{root}/api.php/v2"
        self.client_id, self.client_secret = client_id, client_secret
        self.username, self.password = username, password
        self.timeout = timeout or settings.MAINTENANCE_HTTP_TIMEOUT
        self.http = requests.Session()
        self.access_token = None

    # -- plumbing ---------------------------------------------------------------------------
    def _request(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            return self.http.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout as exc:
            raise TransientError("Le GLPI n'a pas répondu à temps.") from exc
        except requests.RequestException as exc:
            raise TransientError(f"GLPI injoignable ({exc.__class__.__name__}).") from exc

    @property
    def logged_in(self) -> bool:
        return bool(self.access_token)

    def _call(self, method: str, path: str, **kwargs) -> requests.Response:
        """A call with the current token; Expired when GLPI no longer takes it."""
        headers = {"Authorization": f"Bearer {self.access_token}", "Accept-Language": "fr_FR"}
        response = self._request(method, f"{self.base}/{path}", headers=headers, **kwargs)
        if response.status_code < 300:
            return response
        body = _body(response)
        title, detail = str(body.get("title") or ""), body.get("detail")
        if response.status_code == 401 or (
            response.status_code == 400 and title == "Invalid OAuth token"
        ):
            raise Expired()
        extra = [m.get("message", "") for m in body.get("additional_messages") or []]
        why = " ; ".join(str(x) for x in [title or response.reason, detail, *extra] if x)
        text = f"GLPI a répondu {response.status_code} {body.get('status') or 'HTTP'} : {why}"
        if response.status_code in TRANSIENT_HTTP:
            raise TransientError(text)
        if body.get("status") == "ERROR_RIGHT_MISSING":
            text = (
                f"GLPI refuse l'accès ({why}) : le compte GLPI de l'établissement doit avoir "
                "les droits sur les tickets, et le client OAuth du SRANE la portée « api »."
            )
        raise PermanentError(text)

    # -- API --------------------------------------------------------------------------------
    def login(self) -> None:
        """A new access token (password grant). A refresh_token grant would need the refresh
        token to outlive the access token, which GLPI does not promise for this grant (§4.2):
        the password grant is always available, so it is used again."""
        self.access_token = None
        response = self._request(
            "POST",
            self.token_url,
            data={
                "grant_type": "password",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "username": self.username,
                "password": self.password,
                "scope": "api",
            },
        )
        body = _body(response)
        if response.status_code == 200 and body.get("access_token"):
            self.access_token = body["access_token"]
            return
        error = str(body.get("error") or body.get("status") or "HTTP")
        why = str(body.get("error_description") or body.get("title") or response.reason or "")
        text = f"GLPI a refusé le jeton OAuth ({response.status_code} {error} : {why})."
        if response.status_code in TRANSIENT_HTTP:
            raise TransientError(text)
        if error == "invalid_client":
            text += " Client OAuth refusé : le SRANE doit vérifier son identifiant et son secret."
        elif error == "invalid_grant":
            text += (
                " Identifiant ou mot de passe GLPI refusé : le chef d'établissement doit les "
                "saisir à nouveau."
            )
        elif error in ("unauthorized_client", "invalid_scope", "access_denied"):
            text += (
                " Le client OAuth doit autoriser le type « password », la portée « api » et "
                "l'adresse IP du portail (GLPI : Configuration → Clients OAuth)."
            )
        raise PermanentError(text)

    def logout(self) -> None:
        """Nothing to close: HL tokens are stateless and expire by themselves."""

    def _search(self, filter_: str, start: int = 0) -> requests.Response:
        return self._authed(
            "GET",
            "Assistance/Ticket",
            params={"filter": filter_, "start": start, "limit": PAGE, "sort": "id:asc"},
        )

    def find_by_externalid(self, reference: str) -> int | None:
        """The id of the ticket whose external_id is the portal reference (a previous try's)."""
        rows = _rows(self._search(f"external_id=={reference}"))
        ids = sorted(int(row["id"]) for row in rows if row.get("external_id") == reference)
        return ids[0] if ids else None

    def create_ticket(self, fields: dict) -> int:
        return _created_id(self._authed("POST", "Assistance/Ticket", json=fields))

    def followups_of(self, ticket_id: int) -> list:
        return _rows(self._authed("GET", f"Assistance/Ticket/{ticket_id}/Timeline/Followup"))

    def add_followup(self, *, ticket_id: int, content: str) -> int:
        response = self._authed(
            "POST",
            f"Assistance/Ticket/{ticket_id}/Timeline/Followup",
            json={"content": content, "is_private": False},
        )
        return _created_id(response)

    def statuses_since(self, since: datetime, ids) -> dict[int, int]:
        """{GLPI id: status id} of the given tickets modified since `since`, page by page."""
        wanted, found = sorted({int(i) for i in ids}), {}
        stamp = since.astimezone(UTC).isoformat(timespec="seconds")
        for chunk in range(0, len(wanted), PAGE):  # a bounded URL, whatever the number
            in_ = ",".join(str(i) for i in wanted[chunk : chunk + PAGE])
            start = 0
            while True:
                response = self._search(f"date_mod=gt={stamp};id=in=({in_})", start)
                rows = _rows(response)
                for row in rows:
                    status = row.get("status")
                    status = status.get("id") if isinstance(status, dict) else status
                    if status is not None:
                        found[int(row["id"])] = int(status)
                start += len(rows)
                if response.status_code != 206 or not rows or start >= _total(response):
                    break
        return found


def _body(response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _rows(response) -> list:
    try:
        body = response.json()
    except ValueError:
        return []
    return [row for row in body if isinstance(row, dict)] if isinstance(body, list) else []


def _created_id(response) -> int:
    """The new item's id: from the body, else from the Location header (…/Ticket/1543)."""
    body = _body(response)
    if str(body.get("id", "")).isdigit():
        return int(body["id"])
    match = re.search(r"/(\d+)/?$", response.headers.get("Location", ""))
    if not match:  # transient: the next attempt finds the ticket by its external_id
        raise TransientError("GLPI a créé l'élément sans en donner l'identifiant.")
    return int(match[1])


def _total(response) -> int:
    """The total of `Content-Range: 0-99/250`; 0 when absent."""
    match = re.search(r"/(\d+)\s*$", response.headers.get("Content-Range", ""))
    return int(match[1]) if match else 0
