#!/usr/bin/env python3
"""A local fake of Cloudflare API v4's DNS records, for oceanid-apply's tests.

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
GET /__state returns every record (unfiltered); POST /__records adds one as a human would.

Runs until its standard input closes (the test that started it ended).
Usage: fake_cloudflare.py <token>; prints the port it listens on (127.0.0.1), one line.
"""
import sys
import threading
import time
import uuid

from fakeserver import JSONHandler, serve
from urllib.parse import urlparse, parse_qs

TOKEN = sys.argv[1]
LOCK = threading.Lock()
RECORDS = []
FAULTS = {"rate_limit": 0, "html_500": 0, "lose_create": 0, "slow": 0}
CALLS = {"POST": 0, "PATCH": 0, "DELETE": 0, "GET": 0, "PUT": 0}
TUNNELS = {}  # tunnel id -> {"config": {...}, "version": n}
PAGE_MAX = 3


def envelope(result, success=True, errors=None, info=None):
    body = {"success": success, "errors": errors or [], "messages": [], "result": result}
    if info is not None:
        body["result_info"] = info
    return body


class Handler(JSONHandler):
    def fault(self):
        with LOCK:
            if FAULTS["slow"] > 0:
                FAULTS["slow"] -= 1
                time.sleep(0.3)
            if FAULTS["rate_limit"] > 0:
                FAULTS["rate_limit"] -= 1
                self.send(429, envelope(None, False, [{"code": 971, "message": "Please wait and consider throttling your request speed"}]),
                          {"Retry-After": "0"})
                return True
            if FAULTS["html_500"] > 0:
                FAULTS["html_500"] -= 1
                self.send(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", html=True)
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

    def do_PUT(self):
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
                return self.send(200, {"records": RECORDS, "calls": CALLS, "tunnels": TUNNELS})
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
            page = int(query.get("page", ["1"])[0])
            per_page = min(int(query.get("per_page", ["100"])[0]), PAGE_MAX)
            total_pages = max(1, (len(rows) + per_page - 1) // per_page)
            chunk = rows[(page - 1) * per_page: page * per_page]
            public = [{k: v for k, v in r.items() if k != "zone"} for r in chunk]
            info = {"page": page, "per_page": per_page, "count": len(chunk), "total_count": len(rows), "total_pages": total_pages}
        self.send(200, envelope(public, info=info))

    def do_POST(self):
        if self.path == "/__faults":
            with LOCK:
                FAULTS.update(self.body())
            return self.send(200, {"ok": True})
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
