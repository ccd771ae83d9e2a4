"""GLPI, legacy REST API (apirest.php or api.php/v1, /work/shared/formats/glpi.md §3).

One session per delivery: initSession with the school's user token (and the channel's app
token), create the ticket (or find the one a previous attempt created, by the portal reference
in its title), upload the attachments, killSession. A session that expires midway is opened
again once (§3.4).

GLPI 11 (the channel's `glpi_flavour`): the same legacy API, but tickets have an `externalid`
column (§3.6, added by the 10→11 migration): the portal reference is written there at creation,
and a retry looks the ticket up by it (`GET Ticket/?searchText[externalid]=…`) rather than by
the title, which a technician may edit. The category mapping of the channel gives
`itilcategories_id`; an unmapped category sends no such field (its label stays in the text).

GLPI 11 on the API v2 (`GLPI11_HL`, for instances that disable the legacy API): the transport
takes a `GlpiHlClient` (glpi_hl.py) with the same surface, and writes the ticket in the v2
schema (`external_id`, `category`); the attachments stay in the portal (the v2 upload route is
unverified, §4.5), their names are listed in the ticket's text.
"""

import html
import json
from datetime import datetime

import requests
from django.conf import settings

from ..delivery.crypto import read_secret
from ..models import GlpiCategoryMapping, GlpiFlavour
from . import PermanentError, TransientError
from .glpi_base import TRANSIENT_HTTP, Expired, LoginOnceMore, glpi_root
from .glpi_hl import GlpiHlClient

# GLPI ticket status (§3.13) → portal status.
STATUS_MAP = {
    1: "sent",
    2: "acknowledged",
    3: "in_progress",
    4: "in_progress",
    5: "resolved",
    6: "closed",
    10: "acknowledged",
}
URGENCY = {"low": 2, "normal": 3, "high": 4}


class SessionExpired(Expired):
    pass


class GlpiClient(LoginOnceMore):
    """A thin client of the legacy API; raises TransientError / PermanentError in French."""

    def __init__(self, *, base_url: str, app_token: str | None, user_token: str, timeout=None):
        self.base = base_url.rstrip("/")
        self.app_token = app_token
        self.user_token = user_token
        self.timeout = timeout or settings.MAINTENANCE_HTTP_TIMEOUT
        self.http = requests.Session()
        self.session_token = None

    # -- plumbing ---------------------------------------------------------------------------
    def _headers(self, **extra) -> dict:
        headers = dict(extra)
        if self.app_token:
            headers["App-Token"] = self.app_token
        if self.session_token:
            headers["Session-Token"] = self.session_token
        return headers

    def _call(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            response = self.http.request(
                method,
                f"{self.base}/{path}",
                headers=self._headers(**kwargs.pop("headers", {})),
                timeout=self.timeout,
                **kwargs,
            )
        except requests.Timeout as exc:
            raise TransientError("Le GLPI n'a pas répondu à temps.") from exc
        except requests.RequestException as exc:
            raise TransientError(f"GLPI injoignable ({exc.__class__.__name__}).") from exc
        if response.status_code < 300:
            return response
        code, message = _error(response)
        if code == "ERROR_SESSION_TOKEN_INVALID":
            raise SessionExpired()
        text = f"GLPI a répondu {response.status_code} {code} : {message}"
        if response.status_code in TRANSIENT_HTTP:
            raise TransientError(text)
        if code in ("ERROR_GLPI_LOGIN_USER_TOKEN", "ERROR_GLPI_LOGIN"):
            text = (
                "Jeton utilisateur GLPI refusé : le chef d'établissement doit le saisir à nouveau."
            )
        elif code in ("ERROR_WRONG_APP_TOKEN_PARAMETER", "ERROR_APP_TOKEN_PARAMETERS_MISSING"):
            text = "Jeton d'application GLPI refusé : le SRANE doit le saisir à nouveau."
        raise PermanentError(text)

    @property
    def logged_in(self) -> bool:
        return bool(self.session_token)

    # -- API --------------------------------------------------------------------------------
    def login(self) -> dict:
        self.session_token = None
        response = self._call(
            "GET",
            "initSession",
            params={"get_full_session": "true"},
            headers={"Authorization": f"user_token {self.user_token}"},
        )
        body = response.json()
        self.session_token = body["session_token"]
        self.session = body.get("session") or {}
        return body

    def logout(self) -> None:
        if self.session_token:
            try:
                self._call("GET", "killSession")
            except (TransientError, PermanentError, SessionExpired):
                pass  # the session dies anyway on the server's side
            self.session_token = None

    def find_by_reference(self, reference: str) -> int | None:
        """The id of a ticket whose title carries the portal reference (a previous attempt's)."""
        response = self._authed(
            "GET",
            "search/Ticket",
            params={
                "criteria[0][field]": 1,
                "criteria[0][searchtype]": "contains",
                "criteria[0][value]": f"[{reference}]",
                "forcedisplay[0]": 2,
                "range": "0-9",
            },
        )
        rows = response.json().get("data") or []
        ids = sorted(int(row["2"]) for row in rows if str(row.get("2", "")).isdigit())
        return ids[0] if ids else None

    def find_by_externalid(self, reference: str) -> int | None:
        """GLPI 11: the id of the ticket whose externalid is the portal reference."""
        response = self._authed(
            "GET",
            "Ticket/",
            params={"searchText[externalid]": reference, "range": "0-9", "get_hateoas": "false"},
        )
        rows = response.json() if response.content else []
        ids = sorted(
            int(row["id"])
            for row in rows
            if isinstance(row, dict) and row.get("externalid") == reference
        )
        return ids[0] if ids else None

    def create_ticket(self, fields: dict) -> int:
        response = self._authed("POST", "Ticket", json={"input": fields})
        return int(response.json()["id"])

    def upload_document(self, *, ticket_id: int, name: str, content: bytes, content_type: str):
        manifest = {
            "input": {
                "name": name,
                "_filename": [name],
                "itemtype": "Ticket",
                "items_id": ticket_id,
            }
        }
        self._authed(
            "POST",
            "Document",
            data={"uploadManifest": json.dumps(manifest)},
            files={"filename[0]": (name, content, content_type)},
        )

    def documents_of(self, ticket_id: int) -> list:
        return self._authed("GET", f"Ticket/{ticket_id}/Document_Item").json()

    def followups_of(self, ticket_id: int) -> list:
        response = self._authed(
            "GET", f"Ticket/{ticket_id}/ITILFollowup", params={"range": "0-199"}
        )
        body = response.json() if response.content else []
        return body if isinstance(body, list) else []

    def add_followup(self, *, ticket_id: int, content: str) -> int:
        fields = {"itemtype": "Ticket", "items_id": ticket_id, "content": content, "is_private": 0}
        response = self._authed("POST", "ITILFollowup", json={"input": fields})
        return int(response.json()["id"])

    def statuses_since(self, since: datetime, ids) -> dict[int, int]:
        """{GLPI id: status} of the given tickets modified since `since`, page by page."""
        wanted, found, start, page = {int(i) for i in ids}, {}, 0, 100
        while True:
            response = self._authed(
                "GET",
                "search/Ticket",
                params={
                    "criteria[0][field]": 19,
                    "criteria[0][searchtype]": "morethan",
                    "criteria[0][value]": since.strftime("%Y-%m-%d %H:%M:%S"),
                    "forcedisplay[0]": 2,
                    "forcedisplay[1]": 12,
                    "range": f"{start}-{start + page - 1}",
                },
            )
            body = response.json()
            for row in body.get("data") or []:
                if int(row["2"]) in wanted:
                    found[int(row["2"])] = int(row["12"])
            start += page
            if response.status_code != 206 or start >= int(body.get("totalcount", 0)):
                return found


def _error(response) -> tuple[str, str]:
    try:
        body = response.json()
        if isinstance(body, list) and body:
            return str(body[0]), str(body[1] if len(body) > 1 else "")
    except ValueError:
        pass
    return "HTTP", response.reason or ""


def ticket_content(ticket) -> str:
    school, reporter = ticket.establishment, ticket.reporter
    rows = [
        ("Référence du portail", ticket.reference),
        ("Établissement", f"{school.name} (UAI {school.uai})"),
        ("Signalé par", f"{reporter.get_full_name() or reporter.email} <{reporter.email}>"),
        ("Catégorie", str(ticket.category)),
        ("Salle", ticket.room or "—"),
        ("Matériel", ticket.equipment or "—"),
    ]
    head = "".join(f"<li>{html.escape(k)} : {html.escape(v)}</li>" for k, v in rows)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in ticket.description.splitlines() if p)
    return f"<ul>{head}</ul>{body}"


def attachments_note(ticket) -> str:
    """The API v2 sends no file: their names, and where they are."""
    names = [a.original_name for a in ticket.attachments.all()]
    if not names:
        return ""
    items = "".join(f"<li>{html.escape(name)}</li>" for name in names)
    return (
        "<p>Pièces jointes conservées dans le portail RRUPN (consultables sur le ticket du "
        f"portail, {html.escape(ticket.reference)}) :</p><ul>{items}</ul>"
    )


def followup_content(followup) -> str:
    author = followup.author
    name = author.get_full_name() or author.email
    body = "".join(f"<p>{html.escape(p)}</p>" for p in followup.content.splitlines() if p)
    return f"{body}<p>— {html.escape(name)}, portail RRUPN ({followup.reference})</p>"


class GlpiTransport:
    def __init__(self, channel):
        self.channel = channel
        self.hl = channel.glpi_flavour == GlpiFlavour.GLPI11_HL

    def client(self, establishment) -> GlpiClient | GlpiHlClient:
        if self.hl:
            return self.hl_client(establishment)
        user_token = read_secret(
            channel=self.channel, establishment=establishment, name="user_token"
        )
        if not user_token:
            raise PermanentError(
                "Aucun jeton utilisateur GLPI pour cet établissement : le chef d'établissement "
                "doit le saisir (Maintenance → Identifiants GLPI)."
            )
        if not self.channel.url:
            raise PermanentError(f"Le canal « {self.channel} » n'a pas d'adresse d'API.")
        app_token = read_secret(channel=self.channel, establishment=None, name="app_token")
        return GlpiClient(base_url=self.channel.url, app_token=app_token, user_token=user_token)

    def hl_client(self, establishment) -> GlpiHlClient:
        def secret(name, school):
            return read_secret(
                channel=self.channel, establishment=establishment if school else None, name=name
            )

        client_id, client_secret = (
            secret("oauth_client_id", False),
            secret("oauth_client_secret", False),
        )
        username, password = secret("api_username", True), secret("api_password", True)
        missing = []
        if not (client_id and client_secret):
            missing.append(
                "le client OAuth du canal (identifiant et secret) : le SRANE doit le saisir "
                "(SRANE → Maintenance → Canaux GLPI)"
            )
        if not (username and password):
            missing.append(
                "l'identifiant et le mot de passe GLPI de l'établissement : le chef "
                "d'établissement doit les saisir (Maintenance → Identifiants GLPI)"
            )
        if missing:
            raise PermanentError("API v2 de GLPI : il manque " + " ; et ".join(missing) + ".")
        if not self.channel.url:
            raise PermanentError(f"Le canal « {self.channel} » n'a pas d'adresse d'API.")
        return GlpiHlClient(
            url=self.channel.url,
            client_id=client_id,
            client_secret=client_secret,
            username=username,
            password=password,
        )

    def glpi_category(self, ticket) -> int | None:
        return (
            GlpiCategoryMapping.objects.filter(channel=self.channel, category=ticket.category_id)
            .values_list("glpi_category_id", flat=True)
            .first()
        )

    def ticket_url(self, ticket_id: int) -> str:
        return f"{glpi_root(self.channel.url)}/front/ticket.form.php?id={ticket_id}"

    def ticket_fields(self, client, ticket) -> dict:
        """The ticket as the flavour's API writes it (legacy columns, or the v2 schema)."""
        fields = {
            "name": f"[{ticket.reference}] {ticket.title}"[:255],
            "content": ticket_content(ticket),
            "type": 1,
            "urgency": URGENCY.get(ticket.urgency, 3),
        }
        category_id = self.glpi_category(ticket)
        if self.hl:
            # The v2 API takes schema properties only (§4.4). The requester would be a second
            # call (POST …/TeamMember) with a GLPI user id, which the portal does not know (the
            # password grant returns none): none is made; GLPI records the token's user (the
            # school's account) as the ticket's user_recipient, and the reporter is in the text.
            fields["content"] += attachments_note(ticket)
            fields["external_id"] = ticket.reference
            if category_id:
                fields["category"] = category_id
            return fields
        fields["_users_id_requester"] = client.session.get("glpiID", 0)
        if self.channel.glpi_flavour == GlpiFlavour.GLPI11:
            fields["externalid"] = ticket.reference
        if category_id:
            fields["itilcategories_id"] = category_id
        return fields

    def send_followup(self, *, delivery) -> str:
        """Adds the followup (ITILFollowup) to the GLPI ticket once; its GLPI id."""
        ticket, followup = delivery.ticket, delivery.followup
        if not ticket.external_ref.isdigit():
            raise TransientError(
                "Le ticket n'est pas encore créé dans GLPI : le suivi partira après lui."
            )
        glpi_id = int(ticket.external_ref)
        client = self.client(ticket.establishment)
        try:
            client.login()
            if delivery.tried_before:  # a previous attempt may have posted it
                mark = f"({followup.reference})"
                for row in client.followups_of(glpi_id):
                    if mark in html.unescape(str(row.get("content", ""))):
                        return str(row["id"])
            return str(client.add_followup(ticket_id=glpi_id, content=followup_content(followup)))
        finally:
            client.logout()

    def send(self, *, delivery) -> str:
        """Creates the GLPI ticket once (a retry reuses the one already there); its id."""
        ticket = delivery.ticket
        client = self.client(ticket.establishment)
        legacy = self.channel.glpi_flavour == GlpiFlavour.LEGACY
        try:
            client.login()
            existing = None
            if delivery.tried_before:
                find = client.find_by_reference if legacy else client.find_by_externalid
                existing = find(ticket.reference)
            glpi_id = existing or client.create_ticket(self.ticket_fields(client, ticket))
            # v2: no upload (attachments_note); legacy: each once. Uploads go in the same order
            # every time, so after a failure midway the ones already there are skipped.
            attachments = [] if self.hl else list(ticket.attachments.order_by("pk"))
            if attachments and existing:
                attachments = attachments[len(client.documents_of(glpi_id)) :]
            if attachments:
                for attachment in attachments:
                    with attachment.file.open("rb") as f:
                        client.upload_document(
                            ticket_id=glpi_id,
                            name=attachment.original_name,
                            content=f.read(),
                            content_type=attachment.content_type,
                        )
        finally:
            client.logout()
        return str(glpi_id)
