"""A fake GLPI (legacy REST API) for the tests, written from /work/shared/formats/glpi.md §5.

A real HTTP server on 127.0.0.1, in a thread: the portal's client talks HTTP to it. It keeps
sessions, checks the App-Token, answers errors as ["ERROR_…", "…"], creates tickets with
201 + Location, knows the statuses 1–6, searches with paging 200/206, takes documents and
followups. Faults are programmable: down/up, a scripted status (500…) before a call, a slow
answer *after* the work is done (the client times out although the ticket exists), sessions
that expire after a number of calls.

Run it by hand: `python -m tests.maintenance.fake_glpi --port 8089 --app-token A --user-token U`
(`--glpi-version 11`: tickets have GLPI 11's `externalid`).
"""

import argparse
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

    # -- faults -------------------------------------------------------------------------------
    def fail_next(self, method: str, resource: str, *, status=500, code="ERROR", times=1):
        """The next `times` calls answer `status` without doing anything."""
        for _ in range(times):
            self.faults.append(
                {"method": method, "resource": resource, "status": status, "code": code}
            )

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
        payload = json.dumps(answer).encode()
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
