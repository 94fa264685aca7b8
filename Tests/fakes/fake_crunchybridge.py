#!/usr/bin/env python3
"""A local fake of CrunchyBridge's network firewall API, for oceanid-apply's tests.

Follows docs.crunchybridge.com/api/network-firewall-rule: GET/POST
/networks/{id}/firewall-rules, PATCH/DELETE /networks/{id}/firewall-rules/{rule_id}; lists
are {firewall_rules, has_more, next_cursor} with at most 2 rules a page whatever `limit`
asks; rules are {id, rule, description, network_id}; errors are JSON {message, request_id}
(401 bad key); DELETE of a deleted rule is 410, of an unknown one 404; POST and PATCH honour
Idempotency-Key: the same key replays the stored answer and acts once. The older
/network/{id}/firewall paths answer 404.

Faults through POST /__faults: rate_limit (429, Retry-After: 0), html_503, lose_create
(commit, then drop the connection), endless (every list page says has_more with the same
cursor, as a broken server might). GET /__state returns the rules and POST counts;
POST /__rules adds a rule as a human would.

Runs until its standard input closes (the test that started it ended).
Usage: fake_crunchybridge.py <api key> <network id>; prints its port (127.0.0.1).
"""
import sys
import threading
import uuid

from fakeserver import JSONHandler, serve
from urllib.parse import urlparse, parse_qs

KEY, NETWORK = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()
RULES = []
DELETED = set()
IDEMPOTENT = {}
FAULTS = {"rate_limit": 0, "html_503": 0, "lose_create": 0, "endless": 0}
POSTS = {"count": 0, "applied": 0}
PAGE_MAX = 2


class Handler(JSONHandler):
    def error(self, status, message):
        self.send(status, {"message": message, "request_id": uuid.uuid4().hex})

    def fault(self):
        with LOCK:
            if FAULTS["rate_limit"] > 0:
                FAULTS["rate_limit"] -= 1
                self.send(429, {"message": "too many requests"}, {"Retry-After": "0"})
                return True
            if FAULTS["html_503"] > 0:
                FAULTS["html_503"] -= 1
                self.send(503, "<html><body>Service Unavailable</body></html>", html=True)
                return True
        return False

    def gate(self):
        if self.headers.get("Authorization") != "Bearer " + KEY:
            self.error(401, "invalid or missing API key")
            return None
        if self.fault():
            return None
        parts = [p for p in urlparse(self.path).path.split("/") if p]
        if len(parts) < 3 or parts[0] != "networks" or parts[2] != "firewall-rules":
            self.error(404, "not found")
            return None
        if parts[1] != NETWORK:
            self.error(404, "network not found")
            return None
        return parts[3] if len(parts) > 3 else ""

    def do_GET(self):
        if self.path == "/__state":
            with LOCK:
                return self.send(200, {"rules": RULES, "posts": POSTS})
        rid = self.gate()
        if rid is None:
            return
        query = parse_qs(urlparse(self.path).query)
        start = int(query.get("cursor", ["0"])[0] or 0)
        limit = min(int(query.get("limit", ["100"])[0]), PAGE_MAX)
        with LOCK:
            page = RULES[start:start + limit]
            more = start + limit < len(RULES)
        if FAULTS["endless"]:  # a broken server: always more, always the same cursor
            return self.send(200, {"firewall_rules": page, "has_more": True, "next_cursor": "0"})
        self.send(200, {"firewall_rules": page, "has_more": more, "next_cursor": str(start + limit) if more else None})

    def do_POST(self):
        if self.path == "/__faults":
            with LOCK:
                FAULTS.update(self.body())
            return self.send(200, {"ok": True})
        if self.path == "/__rules":
            body = self.body()
            with LOCK:
                RULES.append({"id": uuid.uuid4().hex[:26], "rule": body["rule"], "description": body.get("description"), "network_id": NETWORK})
            return self.send(200, {"ok": True})
        rid = self.gate()
        if rid is None:
            return
        body = self.body()
        key = self.headers.get("Idempotency-Key")
        with LOCK:
            POSTS["count"] += 1
            if key and key in IDEMPOTENT:
                stored = IDEMPOTENT[key]
            else:
                rule = {"id": uuid.uuid4().hex[:26], "rule": body.get("rule"), "description": body.get("description"), "network_id": NETWORK}
                RULES.append(rule)
                POSTS["applied"] += 1
                stored = rule
                if key:
                    IDEMPOTENT[key] = stored
            lose = FAULTS["lose_create"] > 0
            if lose:
                FAULTS["lose_create"] -= 1
        if lose:
            return self.drop_answer()
        self.send(201, stored)

    def do_PATCH(self):
        rid = self.gate()
        if rid is None:
            return
        body = self.body()
        with LOCK:
            for r in RULES:
                if r["id"] == rid:
                    r.update({k: v for k, v in body.items() if k in ("rule", "description")})
                    return self.send(200, r)
        self.error(404, "firewall rule not found")

    def do_DELETE(self):
        rid = self.gate()
        if rid is None:
            return
        with LOCK:
            for r in list(RULES):
                if r["id"] == rid:
                    RULES.remove(r)
                    DELETED.add(rid)
                    return self.send(200, r)
            gone = rid in DELETED
        self.error(410 if gone else 404, "firewall rule was deleted" if gone else "firewall rule not found")


serve(Handler)
