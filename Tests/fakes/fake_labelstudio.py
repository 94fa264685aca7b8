#!/usr/bin/env python3
"""A local fake of Label Studio's projects and S3 storages API, for oceanid-apply's tests.

Follows Label Studio's documented shapes: the API reference (https://api.labelstud.io/api-reference/introduction/getting-started,
storages under "Import Storage > S3" and "Export Storage > S3") and the sources it is generated from,
https://github.com/HumanSignal/label-studio/blob/develop/label_studio/io_storages/urls.py,
https://github.com/HumanSignal/label-studio/blob/develop/label_studio/io_storages/s3/serializers.py and the
error shape of custom_exception_handler in
https://github.com/HumanSignal/label-studio/blob/develop/label_studio/core/utils/common.py.

Auth (every /api/ request except the token refresh):
  default        `Authorization: Token <api-token>`; no/other scheme -> 401 "Authentication
                 credentials were not provided.", a wrong token -> 401 "Invalid token."
  --pat          <api-token> is a personal access token (JWT refresh token):
                 POST /api/token/refresh {"refresh": <api-token>} -> 200 {"access": <hex>}
                 (wrong -> 401 "Token is invalid or expired", code token_not_valid); then
                 `Authorization: Bearer <access>` with any access token issued and still valid
                 (else 401 "Given token not valid for any token type", code token_not_valid).
Every error answer is the exception handler's shape {id, status_code, version, detail,
exc_info} (plus code / validation_errors where said).

Routes (trailing slashes exact; a path that only matches with a slash appended answers
301 Location: <path>/ with an empty body, as Django's APPEND_SLASH, for any method and
without auth; any other unknown path is 404 with Django's HTML "Not Found" page):
  GET  /api/projects/?page=N&page_size=M   {count, next, previous, results}; at most 2 a page
                                           whatever page_size asks; next/previous absolute
                                           (http://127.0.0.1:<port>/...) or null; a page out of
                                           range (or not a number) -> 404 "Invalid page."
  GET/POST /api/storages/s3/               import list (?project= needed) / create
  GET/PATCH/DELETE /api/storages/s3/<id>
  POST /api/storages/s3/<id>/sync
  POST /api/storages/s3/validate           validate without saving: 200 empty or 400
  GET/POST /api/storages/export/s3         export list / create (NO slash: .../s3/ is 404 HTML)
  GET/PATCH/DELETE /api/storages/export/s3/<id>
  POST /api/storages/export/s3/<id>/sync
  POST /api/storages/export/s3/validate
  A known path with another method -> 405 'Method "X" not allowed.' (after auth).
Storage lists need ?project=<id> (missing -> 400 validation error; unknown or not a number
-> 404 "Not found.") and are plain arrays of that project's storages of that direction.
A storage is {id, type "s3", synchronizable, project, title, description, bucket, prefix,
regex_filter, use_blob_urls, region_name, s3_endpoint, aws_sse_kms_key_id, status,
last_sync, last_sync_count, last_sync_job, traceback, meta, created_at} plus import-only
presign, presign_ttl, recursive_scan or export-only can_delete_objects. Defaults: text
fields null, use_blob_urls false, presign true, presign_ttl 1, recursive_scan false,
can_delete_objects false, status "initialized". aws_access_key_id, aws_secret_access_key
and aws_session_token are never returned (GET /__state shows them).
Create -> 201 with the storage; 400 {detail "Validation error", validation_errors} when:
project missing / not a pk / unknown (field error on "project"); a boolean or integer field
of the wrong type; only one of the two keys given ("Access Key ID and Secret Access Key must
be provided together."); and, when a bucket is given (as Label Studio, no S3 check without
one): the bucket was not added ("Cannot find bucket <b> in S3"), the keys differ from the
configured pair ("Cannot connect to S3 <b> with specified AWS credentials"), or an IMPORT
storage's non-empty prefix has no object under prefix.rstrip('/') + '/' ("s3://<b>/<prefix>
not found."; exports skip it). Fields a direction does not have, and unknown fields, are
ignored.
PATCH -> 200; only given fields change; one key without the other -> 400 as above; when the
patch gives the bucket or a key, the merged storage is checked like a create (stored keys
fill in when none are given). DELETE -> 204, empty body. Unknown id -> 404 "Not found.".
Sync -> 200 with the storage, status "queued" (500 with the handler's shape when the stored
bucket/keys cannot connect, as Label Studio does not map that error); then the next
sync_polls (default 2) GETs of that one storage (not lists) show "in_progress", and the one
after shows "completed" with last_sync set and last_sync_count = the keys under
prefix.rstrip('/') + '/' (all keys without a prefix), skipping "folders", non-recursive
unless recursive_scan, keeping keys re.match(regex_filter, key) accepts (import); an import
storage links each key once (keys already linked are not counted again); or "failed" when
the sync_fail fault was pending at the sync.

Faults through POST /__faults with a JSON object merged into FAULTS; each counter is consumed
by the next matching /api/ request that passed auth (the token refresh included), never by
test hooks:
  rate_limit      429 "Request was throttled. Expected available in 1 second.", Retry-After: 0
  html_500        502 with an HTML body, as a reverse proxy answers
  lose_create     commit the next storage create, then drop the connection without an answer
  slow            sleep slow_seconds (default 0.3) before answering
  malformed       answer the next GET 200 application/json `{"id": 1, "title": ` (truncated)
  drop_mid_body   answer the next GET 200 with Content-Length 1000, write 10 bytes, close
  expire_access   (--pat) invalidate every issued access token once, at the next Bearer request
  sync_fail       the next sync ends "failed"
  sync_polls      (value) how many GETs show "in_progress" after a sync
  slow_seconds    (value)
Test hooks (no auth, not counted):
  GET  /__state     {projects, storages (with direction, keys, linked_keys), calls {GET, POST,
                    PATCH, DELETE} (requests handled, i.e. past auth and faults, the token
                    refresh excluded), creates (storage creates committed), syncs (storage ids
                    synced, in order), paths ("METHOD path" of every non-hook request, no query)}
  POST /__projects  {"title"} -> {"id"} (ids from 1)
  POST /__buckets   {"bucket"}
  POST /__objects   {"bucket", "key"} (adds the bucket too)
  POST /__storages  {"direction": "import"|"export", "project", ...fields, keys} adds a storage
                    as a human would in the UI (no validation) -> {"id"}

Runs until its standard input closes (the test that started it ended).
Usage: fake_labelstudio.py <api-token> <aws-access-key-id> <aws-secret-access-key> [--pat];
prints the port it listens on (127.0.0.1), one line.
"""
import json
import re
import secrets
import sys
import threading
import uuid
from datetime import datetime, timezone
from urllib.parse import urlparse, parse_qs, urlencode

from fakeserver import RoutedHandler, serve

TOKEN, AWS_KEY_ID, AWS_SECRET = sys.argv[1], sys.argv[2], sys.argv[3]
PAT = "--pat" in sys.argv[4:]
VERSION = "1.20.0"
LOCK = threading.Lock()
PROJECTS = []
STORAGES = []
BUCKETS = set()
OBJECTS = {}  # bucket -> set of keys
ACCESS = set()
IDS = {"project": 1, "storage": 1}
FAULTS = {"rate_limit": 0, "html_500": 0, "lose_create": 0, "slow": 0, "slow_seconds": 0.3, "malformed": 0,
          "drop_mid_body": 0, "expire_access": 0, "sync_fail": 0, "sync_polls": 2}
CALLS = {"GET": 0, "POST": 0, "PATCH": 0, "DELETE": 0}
CREATES = {"count": 0}
SYNCS = []
PATHS = []
PAGE_MAX = 2

TEXT = ["title", "description", "bucket", "prefix", "regex_filter", "region_name", "s3_endpoint", "aws_sse_kms_key_id"]
KEYS = ["aws_access_key_id", "aws_secret_access_key"]
SECRET = KEYS + ["aws_session_token"]
FIELDS = {"import": TEXT + ["use_blob_urls", "presign", "presign_ttl", "recursive_scan"],
          "export": TEXT + ["use_blob_urls", "can_delete_objects"]}
BOOLS = {"use_blob_urls", "presign", "recursive_scan", "can_delete_objects"}
DEFAULTS = {"use_blob_urls": False, "presign": True, "presign_ttl": 1, "recursive_scan": False, "can_delete_objects": False}
PUBLIC = ["id", "type", "synchronizable", "presign", "presign_ttl", "recursive_scan", "can_delete_objects", "project",
          "title", "description", "bucket", "prefix", "regex_filter", "use_blob_urls", "region_name", "s3_endpoint",
          "aws_sse_kms_key_id", "status", "last_sync", "last_sync_count", "last_sync_job", "traceback", "meta",
          "created_at"]

ROUTES = [
    (re.compile(r"/api/projects/"), "projects", None, {"GET"}),
    (re.compile(r"/api/token/refresh"), "refresh", None, {"POST"}),
    (re.compile(r"/api/storages/s3/"), "list", "import", {"GET", "POST"}),
    (re.compile(r"/api/storages/s3/validate"), "validate", "import", {"POST"}),
    (re.compile(r"/api/storages/s3/(\d+)"), "one", "import", {"GET", "PATCH", "DELETE"}),
    (re.compile(r"/api/storages/s3/(\d+)/sync"), "sync", "import", {"POST"}),
    (re.compile(r"/api/storages/export/s3"), "list", "export", {"GET", "POST"}),
    (re.compile(r"/api/storages/export/s3/validate"), "validate", "export", {"POST"}),
    (re.compile(r"/api/storages/export/s3/(\d+)"), "one", "export", {"GET", "PATCH", "DELETE"}),
    (re.compile(r"/api/storages/export/s3/(\d+)/sync"), "sync", "export", {"POST"}),
]

NOT_FOUND_HTML = ('<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n'
                  '  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n')
BAD_GATEWAY_HTML = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")


def now():
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def ls_error(status, detail, **extra):
    body = {"id": str(uuid.uuid4()), "status_code": status, "version": VERSION, "detail": detail, "exc_info": None}
    body.update(extra)
    return body


def invalid(errors):
    return ls_error(400, "Validation error", validation_errors=errors)


def match(path):
    for rx, name, direction, methods in ROUTES:
        m = rx.fullmatch(path)
        if m:
            return name, direction, methods, (int(m.group(1)) if m.groups() else None)
    return None


def public(s):
    return {k: s[k] for k in PUBLIC if k in s}


def state_view(s):
    view = {k: v for k, v in s.items() if not k.startswith("_")}
    view["linked_keys"] = list(s["_linked"])
    return view


def new_storage(direction, project):
    s = {"id": IDS["storage"], "type": "s3", "synchronizable": True, "direction": direction, "project": project}
    IDS["storage"] += 1
    for f in FIELDS[direction]:
        s[f] = DEFAULTS.get(f)
    for k in SECRET:
        s[k] = None
    s.update({"status": "initialized", "last_sync": None, "last_sync_count": None, "last_sync_job": None,
              "traceback": None, "meta": {}, "created_at": now(), "_linked": [], "_polls": None, "_fail": False})
    return s


def find(direction, sid):
    for s in STORAGES:
        if s["id"] == sid and s["direction"] == direction:
            return s
    return None


def coerce(body, direction, errors):
    """The known fields of `body` for `direction`, with DRF's boolean/integer coercion."""
    out = {}
    for f in FIELDS[direction] + SECRET:
        if f not in body:
            continue
        v = body[f]
        if f in BOOLS and v is not None:
            if v in (True, "true", "True", "1", 1):
                v = True
            elif v in (False, "false", "False", "0", 0):
                v = False
            else:
                errors[f] = ["Must be a valid boolean."]
                continue
        elif f == "presign_ttl" and v is not None:
            try:
                if isinstance(v, bool):
                    raise ValueError
                v = int(str(v))
            except ValueError:
                errors[f] = ["A valid integer is required."]
                continue
        out[f] = v
    return out


def project_error(body, errors, required):
    if body.get("project") is None:
        if required or "project" in body:
            errors["project"] = ["This field is required."]
        return None
    v = body["project"]
    if isinstance(v, bool) or not isinstance(v, (int, str)) or not str(v).isdigit():
        errors["project"] = ["Incorrect type. Expected pk value, received %s." % type(v).__name__]
        return None
    pid = int(v)
    if not any(p["id"] == pid for p in PROJECTS):
        errors["project"] = ['Invalid pk "%d" - object does not exist.' % pid]
        return None
    return pid


def keys_apart(given):
    present = [k for k in KEYS if given.get(k) is not None]
    return len(present) == 1


def s3_error(s, direction, check_prefix=True):
    """Label Studio's connection check of storage `s`, or None when it passes (or has no bucket)."""
    b = s.get("bucket")
    if not b:
        return None
    if b not in BUCKETS:
        return "Cannot find bucket %s in S3" % b
    if s.get("aws_access_key_id") != AWS_KEY_ID or s.get("aws_secret_access_key") != AWS_SECRET:
        return "Cannot connect to S3 %s with specified AWS credentials" % b
    if check_prefix and direction == "import" and s.get("prefix"):
        under = s["prefix"].rstrip("/") + "/"
        if not any(k.startswith(under) for k in OBJECTS.get(b, ())):
            return "s3://%s/%s not found." % (b, s["prefix"])
    return None


def keys_for_sync(s):
    prefix = s.get("prefix") or ""
    under = prefix.rstrip("/") + "/" if prefix else ""
    recursive = s["direction"] == "import" and bool(s.get("recursive_scan"))
    rx = s.get("regex_filter") if s["direction"] == "import" else None
    out = []
    for k in sorted(OBJECTS.get(s.get("bucket"), ())):
        if not k.startswith(under) or k.endswith("/"):
            continue
        if not recursive and "/" in k[len(under):]:
            continue
        if rx:
            try:
                if not re.match(rx, k):
                    continue
            except re.error:
                pass
        out.append(k)
    return out


def advance(s):
    """One GET of storage `s` while a sync runs."""
    if s["_polls"] is None:
        return
    if s["_polls"] > 0:
        s["_polls"] -= 1
        s["status"] = "in_progress"
        return
    s["_polls"] = None
    if s["_fail"]:
        s["status"] = "failed"
        s["traceback"] = "Traceback (most recent call last):\n  ...\nException: sync failed (injected fault)\n"
        return
    keys = keys_for_sync(s)
    if s["direction"] == "import":
        keys = [k for k in keys if k not in s["_linked"]]
        s["_linked"].extend(keys)
    s.update({"status": "completed", "last_sync": now(), "last_sync_count": len(keys), "traceback": None})


class Handler(RoutedHandler):
    # ---- plumbing -------------------------------------------------------------------------
    def raw_answer(self, status, data=b"", content_type=None, headers=None, length=None):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data) if length is None else length))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if data:
            self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.raw = self.rfile.read(length) if length else b""

    def json_body(self):
        """The request's JSON object, or None after answering 400."""
        try:
            body = json.loads(self.raw or b"{}")
        except ValueError as e:
            self.send(400, ls_error(400, "JSON parse error - %s" % e))
            return None
        if not isinstance(body, dict):
            self.send(400, invalid({"non_field_errors": ["Invalid data. Expected a dictionary, but got %s." % type(body).__name__]}))
            return None
        return body

    def fault(self, method):
        self.take_slow(FAULTS, LOCK)
        with LOCK:
            kind = None
            for name in ("rate_limit", "html_500") + (("malformed", "drop_mid_body") if method == "GET" else ()):
                if FAULTS[name] > 0:
                    FAULTS[name] -= 1
                    kind = name
                    break
        if kind == "rate_limit":
            self.send(429, ls_error(429, "Request was throttled. Expected available in 1 second."), {"Retry-After": "0"})
        elif kind == "html_500":
            self.send(502, BAD_GATEWAY_HTML, html=True)
        elif kind == "malformed":
            self.malformed_answer()
        elif kind == "drop_mid_body":
            self.drop_mid_body()
        return kind is not None

    def authorized(self):
        scheme, _, cred = self.headers.get("Authorization", "").partition(" ")
        cred = cred.strip()
        if PAT:
            challenge = {"WWW-Authenticate": 'Bearer realm="api"'}
            if scheme != "Bearer" or not cred:
                self.send(401, ls_error(401, "Authentication credentials were not provided."), challenge)
                return False
            with LOCK:
                if FAULTS["expire_access"] > 0:
                    FAULTS["expire_access"] -= 1
                    ACCESS.clear()
                ok = cred in ACCESS
            if not ok:
                self.send(401, ls_error(401, "Given token not valid for any token type", code="token_not_valid",
                                        messages=[{"token_class": "AccessToken", "token_type": "access",
                                                   "message": "Token is invalid or expired"}]), challenge)
                return False
            return True
        if scheme != "Token" or not cred:
            self.send(401, ls_error(401, "Authentication credentials were not provided."), {"WWW-Authenticate": "Token"})
            return False
        if cred != TOKEN:
            self.send(401, ls_error(401, "Invalid token."), {"WWW-Authenticate": "Token"})
            return False
        return True

    # ---- dispatch -------------------------------------------------------------------------
    def handle_any(self, method):
        self.read_body()
        parts = urlparse(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path.startswith("/__"):
            return self.hook(method, path)
        with LOCK:
            PATHS.append("%s %s" % (method, path))
        route = match(path)
        if route is None:
            if match(path + "/") is not None:
                location = path + "/" + ("?" + parts.query if parts.query else "")
                return self.raw_answer(301, b"", "text/html; charset=utf-8", {"Location": location})
            return self.send(404, NOT_FOUND_HTML, html=True)
        name, direction, methods, sid = route
        if name == "refresh":
            if method not in methods:
                return self.send(405, ls_error(405, 'Method "%s" not allowed.' % method))
            if self.fault(method):
                return
            return self.refresh()
        if not self.authorized():
            return
        if method not in methods:
            return self.send(405, ls_error(405, 'Method "%s" not allowed.' % method))
        if self.fault(method):
            return
        with LOCK:
            CALLS[method] = CALLS.get(method, 0) + 1
        if name == "projects":
            return self.projects(query)
        if name == "list":
            return self.list_storages(direction, query) if method == "GET" else self.create(direction)
        if name == "validate":
            return self.validate(direction)
        if name == "sync":
            return self.sync(direction, sid)
        if method == "GET":
            return self.get_one(direction, sid)
        if method == "PATCH":
            return self.patch(direction, sid)
        return self.delete(direction, sid)

    # ---- test hooks -----------------------------------------------------------------------
    def hook(self, method, path):
        if method == "GET" and path == "/__state":
            with LOCK:
                return self.send(200, {"projects": PROJECTS, "storages": [state_view(s) for s in STORAGES],
                                       "calls": CALLS, "creates": CREATES["count"], "syncs": SYNCS, "paths": PATHS,
                                       "buckets": sorted(BUCKETS),
                                       "objects": {b: sorted(k) for b, k in OBJECTS.items()}, "faults": FAULTS})
        if method != "POST":
            return self.send(404, {"error": "no such hook"})
        body = json.loads(self.raw or b"{}")
        with LOCK:
            if path == "/__faults":
                FAULTS.update(body)
                return self.send(200, {"ok": True})
            if path == "/__projects":
                project = {"id": IDS["project"], "title": body.get("title", ""), "description": body.get("description", ""),
                           "created_at": now()}
                IDS["project"] += 1
                PROJECTS.append(project)
                return self.send(200, {"id": project["id"]})
            if path == "/__buckets":
                BUCKETS.add(body["bucket"])
                OBJECTS.setdefault(body["bucket"], set())
                return self.send(200, {"ok": True})
            if path == "/__objects":
                BUCKETS.add(body["bucket"])
                OBJECTS.setdefault(body["bucket"], set()).add(body["key"])
                return self.send(200, {"ok": True})
            if path == "/__storages":
                direction = body.get("direction", "import")
                s = new_storage(direction, body.get("project"))
                s.update({k: v for k, v in body.items() if k in FIELDS[direction] or k in SECRET})
                STORAGES.append(s)
                return self.send(200, {"id": s["id"]})
        self.send(404, {"error": "no such hook"})

    # ---- API ------------------------------------------------------------------------------
    def refresh(self):
        body = self.json_body()
        if body is None:
            return
        if not body.get("refresh"):
            return self.send(400, invalid({"refresh": ["This field is required."]}))
        if not PAT or body["refresh"] != TOKEN:
            return self.send(401, ls_error(401, "Token is invalid or expired", code="token_not_valid"))
        access = secrets.token_hex(32)
        with LOCK:
            ACCESS.add(access)
        self.send(200, {"access": access})

    def projects(self, query):
        port = self.server.server_address[1]
        try:
            page = int(query.get("page", ["1"])[0])
        except ValueError:
            return self.send(404, ls_error(404, "Invalid page."))
        asked = query.get("page_size", [None])[0]
        try:
            size = int(asked) if asked is not None else 30
        except ValueError:
            size = 30
        per = min(size if size > 0 else 30, PAGE_MAX)
        with LOCK:
            rows = list(PROJECTS)
        pages = max(1, (len(rows) + per - 1) // per)
        if page < 1 or page > pages:
            return self.send(404, ls_error(404, "Invalid page."))

        def link(n):
            params = [("page", n)] + ([("page_size", asked)] if asked is not None else [])
            return "http://127.0.0.1:%d/api/projects/?%s" % (port, urlencode(params))
        self.send(200, {"count": len(rows), "next": link(page + 1) if page < pages else None,
                        "previous": link(page - 1) if page > 1 else None,
                        "results": rows[(page - 1) * per: page * per]})

    def list_storages(self, direction, query):
        if not query.get("project", [""])[0]:
            return self.send(400, invalid({"project": ["This field is required."]}))
        raw = query["project"][0]
        with LOCK:
            if not raw.isdigit() or not any(p["id"] == int(raw) for p in PROJECTS):
                return self.send(404, ls_error(404, "Not found."))
            rows = [public(s) for s in STORAGES if s["project"] == int(raw) and s["direction"] == direction]
        self.send(200, rows)

    def checked(self, direction, body, base=None):
        """Validates a create (base None) or a patch of `base`: (pid, fields) or None after a 400."""
        errors = {}
        pid = project_error(body, errors, required=base is None)
        given = coerce(body, direction, errors)
        if errors:
            self.send(400, invalid(errors))
            return None
        if keys_apart(given):
            self.send(400, invalid({"non_field_errors": ["Access Key ID and Secret Access Key must be provided together."]}))
            return None
        merged = dict(base or {}, **given)
        if base is None or "bucket" in given or any(given.get(k) is not None for k in KEYS):
            message = s3_error(merged, direction)
            if message:
                self.send(400, invalid({"non_field_errors": [message]}))
                return None
        return pid, given

    def create(self, direction):
        body = self.json_body()
        if body is None:
            return
        with LOCK:
            ok = self.checked(direction, body)
            if ok is None:
                return
            pid, given = ok
            s = new_storage(direction, pid)
            s.update(given)
            STORAGES.append(s)
            CREATES["count"] += 1
            lose = FAULTS["lose_create"] > 0
            if lose:
                FAULTS["lose_create"] -= 1
            answer = public(s)
        if lose:
            return self.drop_answer()
        self.send(201, answer)

    def validate(self, direction):
        body = self.json_body()
        if body is None:
            return
        with LOCK:
            base = None
            if body.get("id") is not None:
                base = find(direction, body["id"] if isinstance(body["id"], int) else -1)
                if base is None:
                    return self.send(404, ls_error(404, "Not found."))
            if self.checked(direction, dict({"project": base["project"]} if base else {}, **body), base) is None:
                return
        self.raw_answer(200, b"", "application/json")

    def get_one(self, direction, sid):
        with LOCK:
            s = find(direction, sid)
            if s is None:
                return self.send(404, ls_error(404, "Not found."))
            advance(s)
            answer = public(s)
        self.send(200, answer)

    def patch(self, direction, sid):
        body = self.json_body()
        if body is None:
            return
        with LOCK:
            s = find(direction, sid)
            if s is None:
                return self.send(404, ls_error(404, "Not found."))
            ok = self.checked(direction, body, s)
            if ok is None:
                return
            pid, given = ok
            if pid is not None:
                s["project"] = pid
            s.update(given)
            answer = public(s)
        self.send(200, answer)

    def delete(self, direction, sid):
        with LOCK:
            s = find(direction, sid)
            if s is None:
                return self.send(404, ls_error(404, "Not found."))
            STORAGES.remove(s)
        self.raw_answer(204)

    def sync(self, direction, sid):
        with LOCK:
            s = find(direction, sid)
            if s is None:
                return self.send(404, ls_error(404, "Not found."))
            message = s3_error(s, direction, check_prefix=False) if s.get("bucket") else "Cannot find bucket None in S3"
            if message:
                return self.send(500, ls_error(500, message, exc_info="Traceback (most recent call last):\n  ...\n"))
            s["_fail"] = FAULTS["sync_fail"] > 0
            if s["_fail"]:
                FAULTS["sync_fail"] -= 1
            s["_polls"] = int(FAULTS["sync_polls"])
            s["status"] = "queued"
            SYNCS.append(sid)
            answer = public(s)
        self.send(200, answer)


serve(Handler)
