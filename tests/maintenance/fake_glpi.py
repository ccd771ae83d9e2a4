"""A fake GLPI (legacy REST API) for the tests, written from /work/shared/formats/glpi.md §5.

A real HTTP server on 127.0.0.1, in a thread: the portal's client talks HTTP to it. It keeps
sessions, checks the App-Token, answers errors as ["ERROR_…", "…"], creates tickets with
201 + Location, knows the statuses 1–6, searches with paging 200/206, takes documents and
followups. Faults are programmable: down/up, a scripted status (500…) before a call, a slow
answer *after* the work is done (the client times out although the ticket exists), sessions
that expire after a number of calls.

GLPI 11's high-level API v2 (§4, §5 "HL v2") is served on the same tickets: `POST /api.php/token`
(password and refresh_token grants, form or JSON, client credentials in the body or HTTP Basic),
Bearer tokens with a lifetime in seconds (`token_ttl`) or in calls (`token_ttl_calls`), the auth
errors of §4.6, `/api.php/v2/Assistance/Ticket` search (RSQL subset, start/limit, 200/206 +
Content-Range), get, create (200 as in GLPI's code, or 201: `hl_create_status`), patch,
`/TeamMember`, `/Timeline` and `/Timeline/Followup`; RFC 3339 dates, status as {id, name}. The
faults (fail_next, slow_after, down) apply to its resources too ("Assistance/Ticket", "token").
`legacy_api = False` answers the legacy routes as a GLPI that disabled them.

Run it by hand: `python -m tests.maintenance.fake_glpi --port 8089 --app-token A --user-token U`
(`--glpi-version 11`: tickets have GLPI 11's `externalid`; the HL client is `portail-rrupn` /
`client-secret`, its user `api-college` / `mot-de-passe`).
"""

import argparse
import base64
import email.parser
import email.policy
import json
import re
import secrets
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

PREFIXES = ("/apirest.php", "/api.php/v1")
DOC = "; view documentation in your browser at {base}/#{code}"


class GlpiError(Exception):
    def __init__(self, status: int, code: str, message: str, doc: bool = False):
        super().__init__(message)
        self.status, self.code, self.message, self.doc = status, code, message, doc


class HlError(Exception):
    """An HL v2 error: its HTTP status and JSON body (§4.2 token errors, §4.6 API errors)."""

    def __init__(self, status: int, body):
        super().__init__(str(body))
        self.status, self.body = status, body


def hl_error(status, code, title, detail=None, messages=()):
    body = {"status": code, "title": title, "detail": detail}
    if messages:
        body["additional_messages"] = [{"priority": "error", "message": m} for m in messages]
    return HlError(status, body)


STATUS_NAMES = {
    1: "Nouveau",
    2: "En cours (Attribué)",
    3: "En cours (Planifié)",
    4: "En attente",
    5: "Résolu",
    6: "Clos",
    10: "Validation",
}
RSQL = re.compile(r"([\w.]+)(==|!=|=gt=|=ge=|=lt=|=le=|=in=|=out=)(.*)")


class FakeGlpi:
    """State and behaviour; `Handler` only turns HTTP into calls of `handle`."""

    def __init__(self, *, app_token="app-secret", users=None, port=0, version=10):
        self.app_token = app_token
        self.version = version  # 11: tickets have `externalid` (glpi.md §3.6, S18)
        self.users = users or {"user-secret": {"id": 57, "name": "api-college"}}
        self.sessions: dict[str, dict] = {}
        self.session_ttl_calls: int | None = None  # a session dies after that many calls
        self.expire_after_init = 0  # that many next sessions die right after initSession
        self.tickets: dict[int, dict] = {}
        self.followups: list[dict] = []
        self.ticket_inputs: list[dict] = []  # each ticket's `input` as the client sent it
        self.documents: list[dict] = []
        self.requests: list[tuple[str, str]] = []  # (method, resource) of every call
        self.faults: list[dict] = []
        self.lock = threading.Lock()
        self.port = port
        self.server = None
        self.next_id = 1540
        # HL v2 (GLPI 11): OAuth clients and users, tokens, and what the client sent.
        self.legacy_api = True
        self.oauth_clients = {
            "portail-rrupn": {
                "secret": "client-secret",
                "grants": {"password", "refresh_token"},
                "scopes": {"api", "user", "email"},
            }
        }
        self.hl_users = {"api-college": {"password": "mot-de-passe", "id": 57}}
        self.tokens: dict[str, dict] = {}
        self.refresh_tokens: dict[str, dict] = {}
        self.token_ttl = 3600  # seconds, GLPI's PT1H
        self.token_ttl_calls: int | None = None  # a token dies after that many API calls
        self.hl_create_status = 200  # GLPI's code answers 200; its OpenAPI says 201
        self.hl_inputs: list[dict] = []  # each HL ticket body as the client sent it
        self.hl_max_limit: int | None = None  # a server capping `limit`: 206 pages sooner

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self):
        fake = self

        class Handler(GlpiHandler):
            glpi = fake

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    down = stop  # the helpdesk is unreachable: connection refused

    def up(self):
        return self.start()  # same port, same tickets

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/apirest.php"

    @property
    def root(self) -> str:
        """The GLPI root (the HL channel's address; `/api.php` may follow)."""
        return f"http://127.0.0.1:{self.port}"

    def expire_tokens(self):
        for token in self.tokens.values():
            token["expires"] = 0

    # -- faults -------------------------------------------------------------------------------
    def fail_next(self, method: str, resource: str, *, status=500, code="ERROR", times=1):
        """The next `times` calls answer `status` without doing anything."""
        for _ in range(times):
            self.faults.append(
                {"method": method, "resource": resource, "status": status, "code": code}
            )

    def pass_next(self, method: str, resource: str, *, times=1):
        """The next `times` calls go through untouched: a fault scripted after them hits a
        later call (e.g. the second photo of a ticket)."""
        for _ in range(times):
            self.faults.append({"method": method, "resource": resource})

    def slow_after(self, method: str, resource: str, *, seconds: float):
        """The next call does its work, then waits `seconds` before answering."""
        self.faults.append({"method": method, "resource": resource, "delay": seconds})

    def expire_sessions(self):
        self.sessions.clear()

    def expire_next_sessions(self, count: int = 1):
        """The next `count` sessions are invalidated as soon as initSession has answered (the
        server purged them, or its PHP session lifetime is very short): the first call made
        with them gets 401 ERROR_SESSION_TOKEN_INVALID."""
        self.expire_after_init = count

    def _fault_for(self, method, resource):
        with self.lock:
            for fault in self.faults:
                if fault["method"] == method and resource.startswith(fault["resource"]):
                    self.faults.remove(fault)
                    return fault
        return None

    # -- dispatch -----------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: dict, headers, body: bytes):
        """Returns (status, extra headers, JSON-able body)."""
        if path == "/api.php/token" or path.startswith("/api.php/v2/"):
            return self.handle_hl(method, path, query, headers, body)
        if not self.legacy_api:
            raise GlpiError(400, "ERROR", "API disabled")
        for prefix in PREFIXES:
            if path.startswith(prefix):
                path = path[len(prefix) :]
                break
        else:
            raise GlpiError(400, "ERROR", "API disabled")
        resource = path.strip("/")
        self.requests.append((method, resource))
        fault = self._fault_for(method, resource)
        if fault and "status" in fault:
            raise GlpiError(fault["status"], fault["code"], "Internal Server Error")
        if method == "GET" and body:
            raise GlpiError(
                400,
                "ERROR_JSON_PAYLOAD_FORBIDDEN",
                "GET Request should not have json payload (http body)",
                True,
            )
        self._check_app_token(headers, query)
        if resource == "initSession":
            result = self.init_session(headers, query)
        else:
            session = self._session(headers, query)
            result = self.route(method, resource, query, headers, body, session)
        if fault and "delay" in fault:
            time.sleep(fault["delay"])
        return result

    def _check_app_token(self, headers, query):
        sent = headers.get("App-Token") or query.get("app_token")
        if self.app_token and not sent:
            raise GlpiError(
                400, "ERROR_APP_TOKEN_PARAMETERS_MISSING", "missing parameter app_token", True
            )
        if sent and sent != self.app_token:
            raise GlpiError(
                400, "ERROR_WRONG_APP_TOKEN_PARAMETER", "parameter app_token seems wrong", True
            )

    def init_session(self, headers, query):
        auth = headers.get("Authorization", "")
        token = (
            auth[len("user_token ") :]
            if auth.startswith("user_token ")
            else query.get("user_token")
        )
        if not token:
            raise GlpiError(
                400,
                "ERROR_LOGIN_PARAMETERS_MISSING",
                "parameter(s) login, password or user_token are missing",
                True,
            )
        user = self.users.get(token)
        if not user:
            raise GlpiError(
                401, "ERROR_GLPI_LOGIN_USER_TOKEN", "parameter user_token seems invalid"
            )
        session_token = secrets.token_hex(20)
        with self.lock:
            dead = self.expire_after_init > 0
            self.expire_after_init -= 1 if dead else 0
        if not dead:
            self.sessions[session_token] = {"user": user, "calls": 0}
        answer = {"session_token": session_token}
        if query.get("get_full_session") == "true":
            answer["session"] = {
                "glpiID": user["id"],
                "glpiname": user["name"],
                "glpilanguage": "fr_FR",
                "glpilist_limit": 15,
            }
        return 200, {}, answer

    def _session(self, headers, query):
        token = headers.get("Session-Token") or query.get("session_token")
        if not token:
            raise GlpiError(
                400,
                "ERROR_SESSION_TOKEN_MISSING",
                "parameter session_token is missing or empty",
                True,
            )
        session = self.sessions.get(token)
        if session is not None and self.session_ttl_calls is not None:
            session["calls"] += 1
            if session["calls"] > self.session_ttl_calls:
                del self.sessions[token]
                session = None
        if session is None:
            raise GlpiError(401, "ERROR_SESSION_TOKEN_INVALID", "session_token seems invalid")
        return session

    def route(self, method, resource, query, headers, body, session):
        if resource == "killSession":
            self.sessions.pop(headers.get("Session-Token"), None)
            return 200, {}, True
        if method == "POST" and resource == "Ticket":
            return self.create_tickets(self._input(headers, body), session)
        if method == "POST" and resource == "ITILFollowup":
            return self.create_followup(self._input(headers, body), session)
        if method == "POST" and resource == "Document":
            return self.upload(headers, body)
        if method == "GET" and resource == "search/Ticket":
            return self.search(query)
        if method == "GET" and resource == "Ticket":
            return self.list_tickets(query)
        match = re.fullmatch(r"Ticket/(\d+)(?:/(\w+))?", resource)
        if match:
            ticket = self.tickets.get(int(match[1]))
            if ticket is None:
                raise GlpiError(404, "ERROR_ITEM_NOT_FOUND", "Item not found")
            if match[2] is None and method == "GET":
                return 200, {}, ticket
            if match[2] is None and method in ("PUT", "PATCH"):
                ticket.update(self._input(headers, body))
                ticket["date_mod"] = now()
                return 200, {}, [{str(ticket["id"]): True, "message": ""}]
            if match[2] == "ITILFollowup":
                return 200, {}, [f for f in self.followups if f["items_id"] == ticket["id"]]
            if match[2] == "Document_Item":
                return (
                    200,
                    {},
                    [
                        {"documents_id": d["id"], "itemtype": "Ticket", "items_id": ticket["id"]}
                        for d in self.documents
                        if d["items_id"] == ticket["id"]
                    ],
                )
        raise GlpiError(
            400,
            "ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM",
            "resource not found or not an instance of CommonDBTM",
            True,
        )

    def _input(self, headers, body):
        try:
            payload = json.loads(body or b"{}")
        except ValueError as exc:
            raise GlpiError(
                400, "ERROR_JSON_PAYLOAD_INVALID", "JSON payload seems not valid"
            ) from exc
        data = payload.get("input") if isinstance(payload, dict) else None
        if not isinstance(data, (dict, list)):
            raise GlpiError(
                400, "ERROR_BAD_ARRAY", "input parameter must be an array of objects", True
            )
        return data

    # -- items --------------------------------------------------------------------------------
    def _new_id(self):
        with self.lock:
            self.next_id += 1
            return self.next_id

    def create_tickets(self, data, session):
        rows = data if isinstance(data, list) else [data]
        created = []
        for row in rows:
            if not row.get("name") and not row.get("content"):
                raise GlpiError(400, "ERROR_GLPI_ADD", "Title and description are mandatory")
            self.ticket_inputs.append(dict(row))
            requester = row.get("_users_id_requester")
            actors = (row.get("_actors") or {}).get("requester") or []
            if requester is None and actors:
                requester = actors[0].get("items_id")
            ticket_id = self._new_id()
            stamp = now()
            self.tickets[ticket_id] = {
                "id": ticket_id,
                "entities_id": row.get("entities_id", 0),
                "name": row.get("name", ""),
                "content": row.get("content", ""),
                "status": int(row.get("status", 1)),
                "urgency": int(row.get("urgency", 3)),
                "type": int(row.get("type", 1)),
                "itilcategories_id": int(row.get("itilcategories_id", 0)),
                "users_id_recipient": session["user"]["id"],
                "requester": requester or session["user"]["id"],
                "date": stamp,
                "date_creation": stamp,
                "date_mod": stamp,
            }
            if self.version >= 11:  # GLPI 10 has no such column: the field is ignored
                self.tickets[ticket_id]["externalid"] = row.get("externalid")
            created.append({"id": ticket_id, "message": ""})
        if isinstance(data, list):
            return 201, {"Link": ",".join(f"{self.url}/Ticket/{c['id']}" for c in created)}, created
        return 201, {"Location": f"{self.url}/Ticket/{created[0]['id']}"}, created[0]

    def create_followup(self, data, session):
        if data.get("itemtype") != "Ticket" or int(data.get("items_id") or 0) not in self.tickets:
            raise GlpiError(
                400, "ERROR_GLPI_ADD", "You don't have permission to perform this action."
            )
        followup = {**data, "id": self._new_id(), "users_id": session["user"]["id"], "date": now()}
        followup["items_id"] = int(followup["items_id"])
        self.followups.append(followup)
        self.tickets[followup["items_id"]]["date_mod"] = now()
        return (
            201,
            {"Location": f"{self.url}/ITILFollowup/{followup['id']}"},
            {"id": followup["id"], "message": ""},
        )

    def upload(self, headers, body):
        content_type = headers.get("Content-Type", "")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        parts = list(message.iter_parts()) if message.is_multipart() else []
        manifest = next(
            (
                p
                for p in parts
                if p.get_param("name", header="content-disposition") == "uploadManifest"
            ),
            None,
        )
        files = [p for p in parts if p.get_filename()]
        if not files:
            raise GlpiError(
                400, "ERROR_UPLOAD_FILE_TOO_BIG_POST_MAX_SIZE", "The file seems too big"
            )
        try:
            data = json.loads(manifest.get_content() if manifest else "")["input"]
        except (ValueError, KeyError, TypeError) as exc:
            raise GlpiError(
                400, "ERROR_JSON_PAYLOAD_INVALID", "JSON payload seems not valid"
            ) from exc
        document = {
            "id": self._new_id(),
            "name": data.get("name", ""),
            "filename": files[0].get_filename(),
            "mime": files[0].get_content_type(),
            "content": files[0].get_payload(decode=True),
            "items_id": int(data["items_id"]) if data.get("itemtype") == "Ticket" else None,
        }
        self.documents.append(document)
        return (
            201,
            {"Location": f"{self.url}/Document/{document['id']}"},
            {
                "id": document["id"],
                "message": "Document move succeeded.",
                "upload_result": {"filename": [{"name": document["filename"]}]},
            },
        )

    # -- lists and search ---------------------------------------------------------------------
    @staticmethod
    def _range(query, default_end):
        start, _, end = query.get("range", f"0-{default_end}").partition("-")
        return int(start), int(end)

    def _page(self, rows, query, default_end=14):
        start, end = self._range(query, default_end)
        total = len(rows)
        if total and start >= total:
            raise GlpiError(
                400,
                "ERROR_RANGE_EXCEED_TOTAL",
                f"Provided range exceed total count of data: {total}",
                True,
            )
        page = rows[start : end + 1]
        partial = start + len(page) < total
        headers = {"Content-Range": f"{start}-{start + len(page) - 1}/{total}"} if total else {}
        return page, 206 if partial else 200, headers, total

    def list_tickets(self, query):
        rows = sorted(self.tickets.values(), key=lambda t: t["id"])
        for key, value in query.items():  # searchText[column]=… : SQL LIKE '%…%' (§3.11)
            match = re.fullmatch(r"searchText\[(\w+)\]", key)
            if not match:
                continue
            column = match[1]
            if rows and column not in rows[0] and column != "externalid":
                raise GlpiError(400, "ERROR", f"{column} is not a field of glpi_tickets", True)
            if column == "externalid" and self.version < 11:
                raise GlpiError(400, "ERROR", "externalid is not a field of glpi_tickets", True)
            rows = [t for t in rows if str(value).lower() in str(t.get(column) or "").lower()]
        page, status, headers, _ = self._page(rows, query)
        return status, headers, page

    FIELDS = {1: "name", 2: "id", 12: "status", 15: "date", 19: "date_mod", 21: "content"}

    def search(self, query):
        criteria = {}
        for key, value in query.items():
            match = re.fullmatch(r"criteria\[(\d+)\]\[(\w+)\]", key)
            if match:
                criteria.setdefault(int(match[1]), {})[match[2]] = value
        rows = sorted(self.tickets.values(), key=lambda t: t["id"])
        for criterion in criteria.values():
            field = self.FIELDS.get(int(criterion.get("field", 0)))
            if field is None:
                raise GlpiError(400, "ERROR", "Bad field ID in search criteria", True)
            kind, value = criterion.get("searchtype", "contains"), criterion.get("value", "")
            rows = [t for t in rows if matches(t[field], kind, value)]
        display = sorted(
            {1, 2, 12, 19} | {int(v) for k, v in query.items() if k.startswith("forcedisplay")}
        )
        page, status, headers, total = self._page(rows, query, default_end=49)
        answer = {"totalcount": total, "count": len(page), "sort": [1], "order": ["ASC"]}
        if page:
            answer["data"] = [
                {str(f): t[self.FIELDS[f]] for f in display if f in self.FIELDS} for t in page
            ]
            answer["content-range"] = headers["Content-Range"]
        else:
            answer["content-range"] = "0--1/0"
        return status, headers, answer

    # -- HL API v2 (GLPI 11, §4) --------------------------------------------------------------
    def handle_hl(self, method, path, query, headers, body):
        resource = "token" if path == "/api.php/token" else path[len("/api.php/v2/") :].strip("/")
        self.requests.append((method, resource))
        fault = self._fault_for(method, resource)
        if fault and "status" in fault:
            raise hl_error(fault["status"], "ERROR", "Internal Server Error")
        if resource == "token" and method == "POST":
            result = self.token(headers, body)
        else:
            user = self._bearer(headers)
            result = self.route_hl(method, resource, query, body, user)
        if fault and "delay" in fault:
            time.sleep(fault["delay"])
        return result

    def token(self, headers, body):
        if headers.get("Content-Type", "").startswith("application/json"):
            try:
                form = {k: str(v) for k, v in json.loads(body or b"{}").items()}
            except (ValueError, AttributeError) as exc:
                raise HlError(400, {"error": "invalid_request"}) from exc
        else:
            form = dict(parse_qsl(body.decode()))
        auth = headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            form.setdefault("client_id", client_id)
            form.setdefault("client_secret", secret)
        client = self.oauth_clients.get(form.get("client_id", ""))
        if client is None or client["secret"] != form.get("client_secret"):
            raise HlError(
                401,
                {"error": "invalid_client", "error_description": "Client authentication failed"},
            )
        grant = form.get("grant_type")
        if grant not in client["grants"]:
            raise HlError(
                400,
                {
                    "error": "unauthorized_client",
                    "error_description": "The authenticated client is not authorized to use this "
                    "authorization grant type.",
                },
            )
        if grant == "password":
            user = self.hl_users.get(form.get("username", ""))
            if user is None or user["password"] != form.get("password"):
                raise HlError(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "The user credentials were incorrect.",
                    },
                )
            login, scopes = form["username"], set(form.get("scope", "").split()) & client["scopes"]
        else:  # refresh_token: the old one is spent
            previous = self.refresh_tokens.pop(form.get("refresh_token", ""), None)
            if previous is None:
                raise HlError(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "The refresh token is invalid.",
                    },
                )
            login, scopes = previous["login"], previous["scopes"]
        access, refresh = secrets.token_hex(24), secrets.token_hex(24)
        self.tokens[access] = {
            "login": login,
            "scopes": scopes,
            "expires": time.monotonic() + self.token_ttl,
            "calls": 0,
        }
        self.refresh_tokens[refresh] = {"login": login, "scopes": scopes}
        return (
            200,
            {},
            {
                "token_type": "Bearer",
                "expires_in": self.token_ttl,
                "access_token": access,
                "refresh_token": refresh,
            },
        )

    def _bearer(self, headers):
        auth = headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            raise hl_error(
                401,
                "ERROR_UNAUTHENTICATED",
                "You are not authenticated",
                "The Authorization header is missing or invalid",
            )
        token = self.tokens.get(auth[len("Bearer ") :])
        if token is not None and self.token_ttl_calls is not None:
            token["calls"] += 1
            if token["calls"] > self.token_ttl_calls:
                token["expires"] = 0
        if token is None or token["expires"] <= time.monotonic():
            detail = "Access token could not be verified" if token is None else "Token expired"
            raise hl_error(400, "ERROR_INVALID_PARAMETER", "Invalid OAuth token", detail)
        if "api" not in token["scopes"]:
            raise hl_error(
                403,
                "ERROR_RIGHT_MISSING",
                "You don't have permission to perform this action.",
                "You do not have the required scope(s) to access this endpoint.",
            )
        return {"id": self.hl_users[token["login"]]["id"], "name": token["login"]}

    def route_hl(self, method, resource, query, body, user):
        if resource == "Assistance/Ticket" and method == "GET":
            return self.hl_search(query)
        if resource == "Assistance/Ticket" and method == "POST":
            return self.hl_create(self._hl_input(body), user)
        match = re.fullmatch(
            r"Assistance/Ticket/(\d+)(?:/(TeamMember|Timeline)(?:/(\w+))?)?", resource
        )
        if not match:
            raise HlError(404, None)  # no route
        ticket = self.tickets.get(int(match[1]))
        if ticket is None:
            raise hl_error(404, "ERROR_ITEM_NOT_FOUND", "Not found")
        sub, kind = match[2], match[3]
        if sub is None and method == "GET":
            return 200, {}, self.hl_ticket(ticket)
        if sub is None and method == "PATCH":
            ticket.update(self._hl_columns(self._hl_input(body)))
            ticket["date_mod"] = now()
            return 200, {}, self.hl_ticket(ticket)
        if sub == "TeamMember" and method == "GET":
            return 200, {}, ticket.setdefault("team", [])
        if sub == "TeamMember" and method == "POST":
            data = self._hl_input(body)
            roles = {1: "requester", 2: "assigned", 3: "observer"}
            role = roles.get(data.get("role"), data.get("role"))
            if (
                data.get("type") != "User"
                or not str(data.get("id", "")).isdigit()
                or (role not in roles.values())
            ):
                raise hl_error(400, "ERROR_INVALID_PARAMETER", "One or more parameters are invalid")
            ticket.setdefault("team", []).append(
                {"type": "User", "id": int(data["id"]), "role": role}
            )
            return 201, {}, None
        followups = [f for f in self.followups if f["items_id"] == ticket["id"]]
        if sub == "Timeline" and kind is None and method == "GET":
            return 200, {}, [{"type": "Followup", "item": self.hl_followup(f)} for f in followups]
        if sub == "Timeline" and kind == "Followup" and method == "GET":
            return 200, {}, [self.hl_followup(f) for f in followups]
        if sub == "Timeline" and kind == "Followup" and method == "POST":
            data = self._hl_input(body)
            if not data.get("content"):
                raise hl_error(
                    400,
                    "ERROR_INVALID_PARAMETER",
                    "One or more parameters are invalid",
                    messages=["Missing parameter: content"],
                )
            followup = {
                "id": self._new_id(),
                "itemtype": "Ticket",
                "items_id": ticket["id"],
                "content": data["content"],
                "is_private": int(bool(data.get("is_private"))),
                "users_id": user["id"],
                "date": now(),
            }
            self.followups.append(followup)
            ticket["date_mod"] = now()
            href = f"/Assistance/Ticket/{ticket['id']}/Timeline/Followup/{followup['id']}"
            return self.hl_create_status, {"Location": href}, {"id": followup["id"], "href": href}
        raise HlError(404, None)

    def _hl_input(self, body):
        try:
            data = json.loads(body or b"{}")
        except ValueError as exc:
            raise hl_error(400, "ERROR", "Invalid JSON body") from exc
        if not isinstance(data, dict):
            raise hl_error(400, "ERROR", "Invalid JSON body")
        return data

    @staticmethod
    def _hl_columns(data):
        """Schema properties → columns; a dropdown as an id or {id}; the rest is ignored."""

        def ref(value):
            return int(value["id"] if isinstance(value, dict) else value or 0)

        columns = {k: data[k] for k in ("name", "content") if k in data}
        columns.update({k: int(data[k]) for k in ("type", "urgency") if k in data})
        if "category" in data:
            columns["itilcategories_id"] = ref(data["category"])
        if "entity" in data:
            columns["entities_id"] = ref(data["entity"])
        if "external_id" in data:
            columns["externalid"] = data["external_id"]
        return columns

    def hl_create(self, data, user):
        self.hl_inputs.append(dict(data))
        if not data.get("name"):
            raise hl_error(
                400,
                "ERROR_INVALID_PARAMETER",
                "One or more parameters are invalid",
                messages=["Missing parameter: name"],
            )
        ticket_id, stamp = self._new_id(), now()
        self.tickets[ticket_id] = {
            "id": ticket_id,
            "entities_id": 0,
            "name": "",
            "content": "",
            "status": 1,
            "urgency": 3,
            "type": 1,
            "itilcategories_id": 0,
            "users_id_recipient": user["id"],
            "requester": None,  # the v2 API adds actors with TeamMember only
            "date": stamp,
            "date_creation": stamp,
            "date_mod": stamp,
            "externalid": None,
            **self._hl_columns(data),
        }
        href = f"/Assistance/Ticket/{ticket_id}"
        return self.hl_create_status, {"Location": href}, {"id": ticket_id, "href": href}

    def hl_ticket(self, ticket):
        category = ticket.get("itilcategories_id") or 0
        return {
            "id": ticket["id"],
            "name": ticket["name"],
            "content": ticket["content"],
            "user_recipient": {"id": ticket["users_id_recipient"], "name": "api-college"},
            "is_deleted": False,
            "category": {"id": category, "name": f"Catégorie {category}"} if category else None,
            "urgency": ticket["urgency"],
            "type": ticket["type"],
            "external_id": ticket.get("externalid"),
            "status": {"id": ticket["status"], "name": STATUS_NAMES.get(ticket["status"], "")},
            "entity": {"id": ticket["entities_id"], "name": "Entité racine"},
            "team": ticket.get("team", []),
            **{k: rfc3339(ticket[k]) for k in ("date", "date_creation", "date_mod")},
        }

    def hl_followup(self, followup):
        return {
            "id": followup["id"],
            "itemtype": "Ticket",
            "items_id": followup["items_id"],
            "content": followup["content"],
            "is_private": bool(int(followup.get("is_private") or 0)),
            "user": {"id": followup["users_id"], "name": "api-college"},
            "date": rfc3339(followup["date"]),
        }

    def hl_search(self, query):
        rows = [self.hl_ticket(t) for t in sorted(self.tickets.values(), key=lambda t: t["id"])]
        for clause in filter(None, query.get("filter", "").split(";")):
            match = RSQL.fullmatch(clause)
            if not match:
                raise hl_error(400, "ERROR_INVALID_PARAMETER", f"Invalid RSQL clause: {clause}")
            rows = [row for row in rows if rsql_matches(row, *match.groups())]
        try:
            start, limit = int(query.get("start", 0)), int(query.get("limit", 100))
        except ValueError as exc:
            raise hl_error(400, "ERROR_INVALID_PARAMETER", "Invalid start or limit") from exc
        limit = min(limit, self.hl_max_limit or limit)
        page, total = rows[start : start + limit], len(rows)
        headers = {"Content-Range": f"{start}-{start + len(page) - 1}/{total}"} if page else {}
        return 206 if start + len(page) < total else 200, headers, page


def matches(actual, kind, value) -> bool:
    if kind == "contains":
        return str(value).lower() in str(actual).lower()
    if kind == "equals":
        return str(actual) == str(value)
    if kind == "notequals":
        return str(actual) != str(value)
    if kind == "morethan":
        return str(actual) > str(value)
    if kind == "lessthan":
        return str(actual) < str(value)
    raise GlpiError(400, "ERROR", "Malformed search criteria", True)


def now() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def rfc3339(stamp: str | None) -> str | None:
    """A column's "Y-m-d H:i:s" (server time) as the HL API writes it: 2025-03-04T09:40:31+01:00."""
    if not stamp:
        return None
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").astimezone().isoformat()


def _comparable(value):
    """Ints as ints, RFC 3339 dates as instants, the rest as text."""
    text = str(value)
    if re.fullmatch(r"-?\d+", text):
        return 0, int(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return 2, text
    return 1, moment if moment.tzinfo else moment.astimezone()


def rsql_matches(row, field, op, value) -> bool:
    actual = row
    for part in field.split("."):
        if not isinstance(actual, dict) or part not in actual:
            raise hl_error(400, "ERROR_INVALID_PARAMETER", f"Invalid property: {field}")
        actual = actual[part]
    if isinstance(actual, dict):  # a dropdown compares by its id
        actual = actual.get("id")
    if op in ("=in=", "=out="):
        values = [_comparable(v.strip().strip("'\"")) for v in value.strip("()").split(",")]
        return (_comparable(actual) in values) == (op == "=in=")
    if actual is None:
        return op == "!="
    left, right = _comparable(actual), _comparable(value.strip("'\""))
    if left[0] != right[0]:
        left, right = (2, str(actual)), (2, value)
    return {
        "==": left == right,
        "!=": left != right,
        "=gt=": left > right,
        "=ge=": left >= right,
        "=lt=": left < right,
        "=le=": left <= right,
    }[op]


class GlpiHandler(BaseHTTPRequestHandler):
    glpi: FakeGlpi
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet tests
        pass

    def _serve(self):
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            status, headers, answer = self.glpi.handle(
                self.command, split.path, query, self.headers, body
            )
        except GlpiError as error:
            message = error.message + (
                DOC.format(base=self.glpi.url, code=error.code) if error.doc else ""
            )
            status, headers, answer = error.status, {}, [error.code, message]
        except HlError as error:
            status, headers, answer = error.status, {}, error.body
        payload = b"" if answer is None and status == 404 else json.dumps(answer).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (timeout after the work was done)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


def main():
    parser = argparse.ArgumentParser(description="Fake GLPI (legacy REST API) on 127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--app-token", default="app-secret")
    parser.add_argument("--user-token", default="user-secret")
    parser.add_argument("--glpi-version", type=int, choices=[10, 11], default=10)
    args = parser.parse_args()
    fake = FakeGlpi(
        app_token=args.app_token,
        users={args.user_token: {"id": 57, "name": "api-college"}},
        port=args.port,
        version=args.glpi_version,
    )
    fake.start()
    print(fake.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
