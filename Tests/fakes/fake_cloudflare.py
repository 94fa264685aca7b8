#!/usr/bin/env python3
"""A local fake of Cloudflare API v4's DNS records, tunnel configurations and Access
applications, for oceanid-apply's tests.

Follows the documented shapes: every answer is the {success, errors, messages, result}
envelope; lists carry result_info {page, per_page, count, total_count, total_pages} and
honour at most 3 records per page whatever per_page asks (clients must read result_info);
POST answers 200 with the record; names are stored lower-case without a trailing dot;
a bad token is 403 with code 10000; a duplicate type+name+content is 400 code 81058; a
missing record is 404 code 81044.

Faults are injected through POST /__faults with a JSON object of counters, each consumed
by the next matching requests:
  rate_limit     answer 429 code 971 with Retry-After: 0
  html_500       answer 502 with an HTML body, as the edge does
  lose_create    commit a POST, then drop the connection without an answer
  slow           wait 0.3 s before answering
  malformed      answer the next GET 200 with JSON cut short
  drop_mid_body  answer the next GET 200 promising 1000 bytes, send 10, close
GET /__state returns every record, tunnel, Access app (with its policies) and service token
(unfiltered); POST /__records, /__apps and /__service_tokens add one as a human would.

Access (accounts/{account}/access/...): apps list paged like records; POST answers 201, a
second app on a domain is 409 code 11010, PUT replaces, DELETE answers 202 {id}; app-scoped
policies under apps/{id}/policies (include must be a non-empty list of one-key rules, decision
one of allow|deny|non_identity|bypass, else 400 code 12130); service_tokens is read-only here.

Tunnel routes (accounts/{account}/teamnet/routes[/{id}], Zero Trust private networks): the
list is paged like records and filters with is_deleted (true: only deleted, false: none
deleted, absent: all, as documented); POST needs network (a CIDR) and tunnel_id and answers
200 with the route, a second live route on a network is 400 code 1014; PATCH changes network,
tunnel_id or comment; DELETE marks the route deleted (deleted_at) and answers 200 with it.
POST /__routes adds one as a human would; GET /__state lists them under "routes".

Runs until its standard input closes (the test that started it ended).
Usage: fake_cloudflare.py <token>; prints the port it listens on (127.0.0.1), one line.
"""
import sys
import threading
import uuid

from fakeserver import JSONHandler, serve
from urllib.parse import urlparse, parse_qs

TOKEN = sys.argv[1]
LOCK = threading.Lock()
RECORDS = []
FAULTS = {"rate_limit": 0, "html_500": 0, "lose_create": 0, "slow": 0, "malformed": 0, "drop_mid_body": 0}
CALLS = {"POST": 0, "PATCH": 0, "DELETE": 0, "GET": 0, "PUT": 0}
TUNNELS = {}  # tunnel id -> {"config": {...}, "version": n}
APPS = []  # {"id", "name", "domain", "type", "session_duration", "policies": [...]}
SERVICE_TOKENS = []  # {"id", "name", "client_id"}
ROUTES = []  # {"id", "network", "tunnel_id", "comment", "virtual_network_id", "created_at", "deleted_at"}
ROUTE_CALLS = {"GET": 0, "POST": 0, "PATCH": 0, "DELETE": 0}
PAGE_MAX = 3


def paged(rows, query):
    page = int(query.get("page", ["1"])[0])
    per_page = min(int(query.get("per_page", ["100"])[0]), PAGE_MAX)
    total_pages = max(1, (len(rows) + per_page - 1) // per_page)
    chunk = rows[(page - 1) * per_page: page * per_page]
    info = {"page": page, "per_page": per_page, "count": len(chunk), "total_count": len(rows), "total_pages": total_pages}
    return chunk, info


def public_app(app):
    return {k: v for k, v in app.items() if k != "policies"}


def envelope(result, success=True, errors=None, info=None):
    body = {"success": success, "errors": errors or [], "messages": [], "result": result}
    if info is not None:
        body["result_info"] = info
    return body


class Handler(JSONHandler):
    def fault(self):
        self.take_slow(FAULTS, LOCK)
        with LOCK:
            if FAULTS["rate_limit"] > 0:
                FAULTS["rate_limit"] -= 1
                self.send(429, envelope(None, False, [{"code": 971, "message": "Please wait and consider throttling your request speed"}]),
                          {"Retry-After": "0"})
                return True
            if FAULTS["html_500"] > 0:
                FAULTS["html_500"] -= 1
                self.send(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", html=True)
                return True
            if self.command == "GET" and FAULTS["malformed"] > 0:
                FAULTS["malformed"] -= 1
                self.malformed_answer()
                return True
            if self.command == "GET" and FAULTS["drop_mid_body"] > 0:
                FAULTS["drop_mid_body"] -= 1
                self.drop_mid_body()
                return True
        return False

    def authorized(self):
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            self.send(403, envelope(None, False, [{"code": 10000, "message": "Authentication error"}]))
            return False
        return True

    def route(self):
        parts = urlparse(self.path)
        segments = [s for s in parts.path.split("/") if s]
        # /zones/{zone}/dns_records[/{id}]
        if len(segments) >= 3 and segments[0] == "zones" and segments[2] == "dns_records":
            return segments[1], (segments[3] if len(segments) > 3 else None), parse_qs(parts.query)
        return None, None, None

    def tunnel(self):
        segments = [s for s in urlparse(self.path).path.split("/") if s]
        if len(segments) == 5 and segments[0] == "accounts" and segments[2] == "cfd_tunnel" and segments[4] == "configurations":
            return segments[3]
        return None

    def teamnet(self, method):
        """Serves accounts/{a}/teamnet/routes[/{id}]; False when the path is not a route's."""
        parts = urlparse(self.path)
        seg = [x for x in parts.path.split("/") if x]
        if len(seg) < 4 or seg[0] != "accounts" or seg[2] != "teamnet" or seg[3] != "routes":
            return False
        if not self.authorized() or self.fault():
            return True
        route_id = seg[4] if len(seg) > 4 else None
        query = parse_qs(parts.query)
        with LOCK:
            ROUTE_CALLS[method] = ROUTE_CALLS.get(method, 0) + 1
            if method == "GET" and route_id is None:
                rows = list(ROUTES)
                deleted = query.get("is_deleted", [None])[0]
                if deleted == "true":
                    rows = [r for r in rows if r["deleted_at"]]
                elif deleted == "false":
                    rows = [r for r in rows if not r["deleted_at"]]
                chunk, info = paged(rows, query)
                self.send(200, envelope(chunk, info=info))
                return True
            if method == "POST" and route_id is None:
                body = self.body()
                network, tunnel = body.get("network"), body.get("tunnel_id")
                if not network or "/" not in str(network) or not tunnel:
                    self.send(400, envelope(None, False, [{"code": 1001, "message": "network (CIDR) and tunnel_id are required"}]))
                    return True
                if any(r["network"] == network and not r["deleted_at"] for r in ROUTES):
                    self.send(400, envelope(None, False, [{"code": 1014, "message": "A route with this network already exists"}]))
                    return True
                route = {"id": str(uuid.uuid4()), "network": network, "tunnel_id": tunnel, "comment": body.get("comment", ""),
                         "virtual_network_id": body.get("virtual_network_id"), "created_at": "2026-01-01T00:00:00Z",
                         "deleted_at": None}
                ROUTES.append(route)
                self.send(200, envelope(route))
                return True
            route = next((r for r in ROUTES if r["id"] == route_id and not r["deleted_at"]), None)
            if route is None:
                self.send(404, envelope(None, False, [{"code": 1002, "message": "Route not found"}]))
                return True
            if method == "PATCH":
                route.update({k: v for k, v in self.body().items() if k in ("network", "tunnel_id", "comment")})
                self.send(200, envelope(route))
            elif method == "DELETE":
                route["deleted_at"] = "2026-01-02T00:00:00Z"
                self.send(200, envelope(route))
            else:
                self.send(200, envelope(route))
        return True

    def access(self, method):
        """Serves accounts/{a}/access/...; False when the path is not Access's."""
        parts = urlparse(self.path)
        seg = [x for x in parts.path.split("/") if x]
        if len(seg) < 4 or seg[0] != "accounts" or seg[2] != "access":
            return False
        if not self.authorized() or self.fault():
            return True
        query = parse_qs(parts.query)
        with LOCK:
            CALLS[method] += 1
        if seg[3] == "service_tokens" and len(seg) == 4 and method == "GET":
            with LOCK:
                chunk, info = paged(SERVICE_TOKENS, query)
            self.send(200, envelope(chunk, info=info))
            return True
        if seg[3] != "apps":
            self.send(404, envelope(None, False, [{"code": 7000, "message": "No route for that URI"}]))
            return True
        app_id = seg[4] if len(seg) > 4 else None
        with LOCK:
            app = next((a for a in APPS if a["id"] == app_id), None)
        if app_id is not None and app is None:
            self.send(404, envelope(None, False, [{"code": 11021, "message": "access.api.error.not_found"}]))
            return True
        if len(seg) == 4:
            if method == "GET":
                with LOCK:
                    chunk, info = paged([public_app(a) for a in APPS], query)
                self.send(200, envelope(chunk, info=info))
            elif method == "POST":
                body = self.body()
                if not body.get("domain") or not body.get("type"):
                    self.send(400, envelope(None, False, [{"code": 12130, "message": "access.api.error.invalid_request: domain and type are required"}]))
                    return True
                with LOCK:
                    if any(a["domain"].lower() == body["domain"].lower() for a in APPS):
                        self.send(409, envelope(None, False, [{"code": 11010, "message": "access.api.error.application_already_exists"}]))
                        return True
                    new = {"id": str(uuid.uuid4()), "aud": uuid.uuid4().hex * 2, "name": body.get("name", body["domain"]), "domain": body["domain"],
                           "type": body["type"], "session_duration": body.get("session_duration", "24h"), "policies": []}
                    APPS.append(new)
                    lose = FAULTS["lose_create"] > 0
                    if lose:
                        FAULTS["lose_create"] -= 1
                if lose:
                    self.drop_answer()
                else:
                    self.send(201, envelope(public_app(new)))
            else:
                self.send(405, envelope(None, False, [{"code": 10405, "message": "Method not allowed"}]))
            return True
        if len(seg) == 5:
            if method == "GET":
                self.send(200, envelope(public_app(app)))
            elif method == "PUT":
                body = self.body()
                with LOCK:
                    app.update({k: v for k, v in body.items() if k in ("name", "domain", "type", "session_duration")})
                self.send(200, envelope(public_app(app)))
            elif method == "DELETE":
                with LOCK:
                    APPS.remove(app)
                self.send(202, envelope({"id": app_id}))
            return True
        if seg[5] != "policies":
            self.send(404, envelope(None, False, [{"code": 7000, "message": "No route for that URI"}]))
            return True
        policy_id = seg[6] if len(seg) > 6 else None
        with LOCK:
            policy = next((p for p in app["policies"] if p["id"] == policy_id), None)
        if policy_id is not None and policy is None:
            self.send(404, envelope(None, False, [{"code": 11021, "message": "access.api.error.not_found"}]))
            return True
        if method == "GET" and policy_id is None:
            with LOCK:
                chunk, info = paged(list(app["policies"]), query)
            self.send(200, envelope(chunk, info=info))
        elif method in ("POST", "PUT"):
            body = self.body()
            include = body.get("include")
            if (not isinstance(include, list) or not include or any(not isinstance(r, dict) or len(r) != 1 for r in include)
                    or body.get("decision") not in ("allow", "deny", "non_identity", "bypass")):
                self.send(400, envelope(None, False, [{"code": 12130, "message": "access.api.error.invalid_request: include and decision"}]))
                return True
            fields = {k: body.get(k) for k in ("name", "decision", "include", "precedence")}
            with LOCK:
                if method == "POST":
                    policy = dict(fields, id=str(uuid.uuid4()))
                    app["policies"].append(policy)
                    lose = FAULTS["lose_create"] > 0
                    if lose:
                        FAULTS["lose_create"] -= 1
                else:
                    policy.update(fields)
                    lose = False
            if lose:
                self.drop_answer()
            else:
                self.send(201 if method == "POST" else 200, envelope(policy))
        elif method == "DELETE" and policy is not None:
            with LOCK:
                app["policies"].remove(policy)
            self.send(200, envelope({"id": policy_id}))
        else:
            self.send(405, envelope(None, False, [{"code": 10405, "message": "Method not allowed"}]))
        return True

    def do_PUT(self):
        if self.access("PUT"):
            return
        if not self.authorized() or self.fault():
            return
        tid = self.tunnel()
        if tid is None:
            return self.send(404, envelope(None, False, [{"code": 7000, "message": "No route for that URI"}]))
        body = self.body()
        ingress = body.get("config", {}).get("ingress") or []
        if not ingress or ingress[-1].get("hostname") or ingress[-1].get("path"):
            return self.send(400, envelope(None, False, [{"code": 1056, "message": "Validation failed: The last ingress rule must match all URLs"}]))
        with LOCK:
            CALLS["PUT"] += 1
            current = TUNNELS.get(tid, {"version": 0})
            TUNNELS[tid] = {"config": body["config"], "version": current["version"] + 1}
            result = {"tunnel_id": tid, "config": body["config"], "version": TUNNELS[tid]["version"]}
        self.send(200, envelope(result))

    def do_GET(self):
        if self.path == "/__state":
            with LOCK:
                return self.send(200, {"records": RECORDS, "calls": CALLS, "tunnels": TUNNELS, "apps": APPS, "service_tokens": SERVICE_TOKENS,
                                       "routes": ROUTES, "route_calls": ROUTE_CALLS})
        if self.access("GET") or self.teamnet("GET"):
            return
        tid = self.tunnel()
        if tid is not None:
            if not self.authorized() or self.fault():
                return
            with LOCK:
                current = TUNNELS.get(tid)
            return self.send(200, envelope({"tunnel_id": tid, "config": current["config"] if current else {}, "version": current["version"] if current else 0}))
        if not self.authorized() or self.fault():
            return
        zone, rid, query = self.route()
        if zone is None:
            return self.send(404, envelope(None, False, [{"code": 7000, "message": "No route for that URI"}]))
        with LOCK:
            CALLS["GET"] += 1
            rows = [r for r in RECORDS if r["zone"] == zone]
            if "type" in query:
                rows = [r for r in rows if r["type"] == query["type"][0]]
            if "name" in query:
                rows = [r for r in rows if r["name"] == query["name"][0].lower().rstrip(".")]
            chunk, info = paged(rows, query)
            public = [{k: v for k, v in r.items() if k != "zone"} for r in chunk]
        self.send(200, envelope(public, info=info))

    def do_POST(self):
        if self.path == "/__faults":
            with LOCK:
                FAULTS.update(self.body())
            return self.send(200, {"ok": True})
        if self.path == "/__apps":
            app = self.body()
            with LOCK:
                app.update(id=str(uuid.uuid4()), policies=app.get("policies", []))
                for p in app["policies"]:
                    p.setdefault("id", str(uuid.uuid4()))
                APPS.append(app)
            return self.send(200, {"id": app["id"]})
        if self.path == "/__service_tokens":
            token = self.body()
            with LOCK:
                token.update(id=str(uuid.uuid4()), client_id=uuid.uuid4().hex + ".access")
                SERVICE_TOKENS.append(token)
            return self.send(200, {"id": token["id"]})
        if self.path == "/__routes":
            route = self.body()
            with LOCK:
                route.update(id=str(uuid.uuid4()), deleted_at=None, created_at="2026-01-01T00:00:00Z")
                ROUTES.append(route)
            return self.send(200, {"id": route["id"]})
        if self.access("POST") or self.teamnet("POST"):
            return
        if self.path == "/__records":
            record = self.body()
            with LOCK:
                record["id"] = uuid.uuid4().hex
                RECORDS.append(record)
            return self.send(200, {"ok": True})
        if not self.authorized() or self.fault():
            return
        zone, rid, _ = self.route()
        body = self.body()
        record = {"id": uuid.uuid4().hex, "zone": zone, "type": body.get("type"), "name": str(body.get("name", "")).lower().rstrip("."),
                  "content": body.get("content"), "proxied": bool(body.get("proxied", False)), "ttl": body.get("ttl", 1),
                  "comment": body.get("comment")}
        with LOCK:
            CALLS["POST"] += 1
            if any(r["zone"] == zone and r["type"] == record["type"] and r["name"] == record["name"] and r["content"] == record["content"] for r in RECORDS):
                return self.send(400, envelope(None, False, [{"code": 81058, "message": "An identical record already exists."}]))
            same_name = [r for r in RECORDS if r["zone"] == zone and r["name"] == record["name"]]
            if record["type"] == "CNAME" and same_name:
                return self.send(400, envelope(None, False, [{"code": 81053, "message": "An A, AAAA, or CNAME record with that host already exists."}]))
            if record["type"] in ("A", "AAAA") and any(r["type"] == "CNAME" for r in same_name):
                return self.send(400, envelope(None, False, [{"code": 81054, "message": "A CNAME record with that host already exists."}]))
            RECORDS.append(record)
            lose = FAULTS["lose_create"] > 0
            if lose:
                FAULTS["lose_create"] -= 1
        if lose:
            return self.drop_answer()
        self.send(200, envelope({k: v for k, v in record.items() if k != "zone"}))

    def do_PATCH(self):
        if self.access("PATCH") or self.teamnet("PATCH"):
            return
        if not self.authorized() or self.fault():
            return
        zone, rid, _ = self.route()
        body = self.body()
        with LOCK:
            CALLS["PATCH"] += 1
            for r in RECORDS:
                if r["id"] == rid and r["zone"] == zone:
                    r.update({k: v for k, v in body.items() if k in ("type", "name", "content", "proxied", "ttl", "comment")})
                    return self.send(200, envelope({k: v for k, v in r.items() if k != "zone"}))
        self.send(404, envelope(None, False, [{"code": 81044, "message": "Record does not exist."}]))

    def do_DELETE(self):
        if self.access("DELETE") or self.teamnet("DELETE"):
            return
        if not self.authorized() or self.fault():
            return
        zone, rid, _ = self.route()
        with LOCK:
            CALLS["DELETE"] += 1
            for r in list(RECORDS):
                if r["id"] == rid and r["zone"] == zone:
                    RECORDS.remove(r)
                    return self.send(200, envelope({"id": rid}))
        self.send(404, envelope(None, False, [{"code": 81044, "message": "Record does not exist."}]))


serve(Handler)
