#!/usr/bin/env python3
"""A local fake of Triton's KServe v2 HTTP API with the model repository extension, behind
Cloudflare Access, for oceanid-apply's tests.

Follows Triton's model repository extension
(https://github.com/triton-inference-server/server/blob/main/docs/protocol/extension_model_repository.md), the
KServe v2 health endpoints (https://github.com/kserve/kserve/blob/master/docs/predict-api/v2/required_api.md) and
Cloudflare Access service tokens (https://developers.cloudflare.com/cloudflare-one/identity/service-tokens/).

Access: every request but the test hooks must carry CF-Access-Client-Id and
CF-Access-Client-Secret equal to the arguments; otherwise it is answered as Access does:
302, Location: https://oceanid.cloudflareaccess.com/cdn-cgi/access/login/gpu.boathou.se?kid=x
&redirect_url=<path and query, percent-encoded>, a small HTML body, and counted in "denied".

Routes (a status code with an empty body is the whole answer where said; errors are
{"error": "..."}; an unknown path is 404, a known one with another method 405):
  GET  /v2/health/live, /v2/health/ready   200 empty when server_ready, else 400 empty
  GET  /v2                                  server metadata {name, version, extensions}
  GET  /v2/models/<m>/ready                 200 empty when READY (version "1"), else 400 empty
  GET  /v2/models/<m>/versions/<v>/ready
  GET  /v2/models/<m>[/versions/<v>]        {name, versions ["1"], platform, inputs, outputs}
                                            when READY, else 400 "Request for unknown model:
                                            '<m>' is not found"
  POST /v2/repository/index                 body optional {"ready": bool}: [{name, version
                                            "1", state, reason ""}] for every model, sorted by
                                            name (ready=true: READY ones only)
  POST /v2/repository/models/<m>/load       body optional {"parameters": {...}}; in "poll" mode
                                            400 "explicit model load / unload is not allowed if
                                            polling is enabled"; a model not in the repository
                                            400 "failed to load '<m>', failed to poll from model
                                            repository"; else LOADING for load_seconds (default
                                            0), then READY, loads += 1, 200 empty (a READY model
                                            reloads)
  POST /v2/repository/models/<m>/unload     200 empty, UNAVAILABLE (poll mode: 400 as load; a
                                            model not in the repository: 400 "failed to unload
                                            '<m>', no version is available")
A body that is not JSON is 400 "failed to parse the request JSON buffer: ...".

Faults through POST /__faults with a JSON object merged into FAULTS; counters are consumed
by the next matching request that passed Access (never by test hooks):
  html_502              502 with Cloudflare's edge HTML page
  slow                  sleep slow_seconds (default 0.3) before answering
  lose_load             perform the next load, then drop the connection without an answer
  not_ready_after_load  after the next load, that model's ready endpoints answer 400 for this
                        many polls (as if the server restarted), then 200
  mode                  (value) "explicit" (default) or "poll"
  server_ready          (value) true (default) or false
  load_seconds          (value) how long a load blocks, default 0
  slow_seconds          (value)
Test hooks (no Access, not recorded):
  POST /__models  {"name", "state"?: default "UNAVAILABLE"} adds (or resets the state of) a
                  model in the repository
  GET  /__state   {"models": {name: {state, loads, unloads, not_ready_polls, last_load_parameters}},
                   "denied": n, "paths": ["METHOD path", ...] (every non-hook request, no query)}

Runs until its standard input closes (the test that started it ended).
Usage: fake_triton.py <cf-access-client-id> <cf-access-client-secret>; prints the port it
listens on (127.0.0.1), one line.
"""
import json
import sys
import threading
import time
from urllib.parse import quote, unquote, urlparse

from fakeserver import RoutedHandler, serve

CLIENT_ID, CLIENT_SECRET = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()
MODELS = {}  # name -> {"state", "loads", "unloads", "not_ready_polls", "last_load_parameters"}
FAULTS = {"html_502": 0, "slow": 0, "slow_seconds": 0.3, "lose_load": 0, "not_ready_after_load": 0,
          "mode": "explicit", "server_ready": True, "load_seconds": 0}
DENIED = {"count": 0}
PATHS = []
EXTENSIONS = ["classification", "sequence", "model_repository", "model_repository(unload_dependents)",
              "schedule_policy", "model_configuration", "system_shared_memory", "cuda_shared_memory",
              "binary_tensor_data", "parameters", "statistics", "trace", "logging"]
POLLING = "explicit model load / unload is not allowed if polling is enabled"
LOGIN = "https://oceanid.cloudflareaccess.com/cdn-cgi/access/login/gpu.boathou.se?kid=x&redirect_url="
EDGE_502 = ("<!DOCTYPE html>\n<html><head><title>gpu.boathou.se | 502: Bad gateway</title></head>\n<body>"
            "<h1>Bad gateway</h1><p>Error code 502</p><p>The web server reported a bad gateway error.</p>"
            "<p>Cloudflare Ray ID: 8f0c0ffee0000000</p></body></html>\n")


class Handler(RoutedHandler):
    def empty(self, status):
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def error(self, status, message):
        self.send(status, {"error": message})

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.raw = self.rfile.read(length) if length else b""

    def json_body(self):
        """The request's JSON object ({} when empty), or None after answering 400."""
        if not self.raw.strip():
            return {}
        try:
            body = json.loads(self.raw)
        except ValueError as e:
            self.error(400, "failed to parse the request JSON buffer: %s" % e)
            return None
        if not isinstance(body, dict):
            self.error(400, "failed to parse the request JSON buffer: expected an object")
            return None
        return body

    def admitted(self, target):
        if (self.headers.get("CF-Access-Client-Id") == CLIENT_ID
                and self.headers.get("CF-Access-Client-Secret") == CLIENT_SECRET):
            return True
        with LOCK:
            DENIED["count"] += 1
        location = LOGIN + quote(target, safe="")
        self.send(302, '<html><body>Found. Redirecting to <a href="%s">%s</a></body></html>' % (location, location),
                  {"Location": location}, html=True)
        return False

    def fault(self):
        self.take_slow(FAULTS, LOCK)
        with LOCK:
            bad = FAULTS["html_502"] > 0
            if bad:
                FAULTS["html_502"] -= 1
        if bad:
            self.send(502, EDGE_502, html=True)
        return bad

    def handle_any(self, method):
        self.read_body()
        path = urlparse(self.path).path
        if path.startswith("/__"):
            return self.hook(method, path)
        with LOCK:
            PATHS.append("%s %s" % (method, path))
        if not self.admitted(self.path) or self.fault():
            return
        seg = [unquote(s) for s in path.split("/") if s]
        if seg == ["v2"]:
            return self.only(method, "GET") and self.send(200, {"name": "triton", "version": "2.41.0",
                                                                "extensions": EXTENSIONS})
        if seg in (["v2", "health", "live"], ["v2", "health", "ready"]):
            if self.only(method, "GET"):
                with LOCK:
                    ready = bool(FAULTS["server_ready"])
                self.empty(200 if ready else 400)
            return
        if len(seg) >= 3 and seg[:2] == ["v2", "models"]:
            rest = seg[3:]
            version = None
            if len(rest) >= 2 and rest[0] == "versions":
                version, rest = rest[1], rest[2:]
            if rest == ["ready"]:
                return self.only(method, "GET") and self.model_ready(seg[2], version)
            if rest == []:
                return self.only(method, "GET") and self.model_metadata(seg[2], version)
        if seg == ["v2", "repository", "index"]:
            return self.only(method, "POST") and self.index()
        if len(seg) == 5 and seg[:3] == ["v2", "repository", "models"] and seg[4] in ("load", "unload"):
            if self.only(method, "POST"):
                self.load(seg[3]) if seg[4] == "load" else self.unload(seg[3])
            return
        self.error(404, "Not Found")

    def only(self, method, allowed):
        if method != allowed:
            self.error(405, "Method Not Allowed")
            return False
        return True

    # ---- test hooks -----------------------------------------------------------------------
    def hook(self, method, path):
        if method == "GET" and path == "/__state":
            with LOCK:
                return self.send(200, {"models": MODELS, "denied": DENIED["count"], "paths": PATHS, "faults": FAULTS})
        if method == "POST" and path == "/__faults":
            body = json.loads(self.raw or b"{}")
            with LOCK:
                FAULTS.update(body)
            return self.send(200, {"ok": True})
        if method == "POST" and path == "/__models":
            body = json.loads(self.raw or b"{}")
            with LOCK:
                model = MODELS.setdefault(body["name"], {"state": "UNAVAILABLE", "loads": 0, "unloads": 0,
                                                         "not_ready_polls": 0, "last_load_parameters": None})
                model["state"] = body.get("state", "UNAVAILABLE")
            return self.send(200, {"ok": True})
        self.send(404, {"error": "no such hook"})

    # ---- API ------------------------------------------------------------------------------
    def model_ready(self, name, version):
        with LOCK:
            model = MODELS.get(name)
            ready = model is not None and model["state"] == "READY" and version in (None, "1")
            if ready and model["not_ready_polls"] > 0:
                model["not_ready_polls"] -= 1
                ready = False
        self.empty(200 if ready else 400)

    def model_metadata(self, name, version):
        with LOCK:
            model = MODELS.get(name)
            ready = model is not None and model["state"] == "READY"
        if not ready:
            return self.error(400, "Request for unknown model: '%s' is not found" % name)
        if version not in (None, "1"):
            return self.error(400, "Request for unknown model: '%s' version %s is not found" % (name, version))
        self.send(200, {"name": name, "versions": ["1"], "platform": "onnxruntime_onnx", "inputs": [], "outputs": []})

    def index(self):
        body = self.json_body()
        if body is None:
            return
        only_ready = body.get("ready") is True
        with LOCK:
            rows = [{"name": n, "version": "1", "state": m["state"], "reason": ""} for n, m in sorted(MODELS.items())
                    if not only_ready or m["state"] == "READY"]
        self.send(200, rows)

    def controllable(self, name, missing):
        """The model to load or unload, under LOCK; None after answering Triton's error (polling
        mode refuses model control; an unknown model is a 400 with Triton's message)."""
        if FAULTS["mode"] == "poll":
            return self.error(400, POLLING)
        model = MODELS.get(name)
        if model is None:
            return self.error(400, missing % name)
        return model

    def load(self, name):
        body = self.json_body()
        if body is None:
            return
        with LOCK:
            model = self.controllable(name, "failed to load '%s', failed to poll from model repository")
            if model is None:
                return
            model["state"] = "LOADING"
            model["last_load_parameters"] = body.get("parameters")
            seconds = FAULTS["load_seconds"]
        if seconds:
            time.sleep(seconds)
        with LOCK:
            model["state"] = "READY"
            model["loads"] += 1
            model["not_ready_polls"] = int(FAULTS["not_ready_after_load"] or 0)
            FAULTS["not_ready_after_load"] = 0
            lose = FAULTS["lose_load"] > 0
            if lose:
                FAULTS["lose_load"] -= 1
        if lose:
            return self.drop_answer()
        self.empty(200)

    def unload(self, name):
        if self.json_body() is None:
            return
        with LOCK:
            model = self.controllable(name, "failed to unload '%s', no version is available")
            if model is None:
                return
            model["state"] = "UNAVAILABLE"
            model["unloads"] += 1
            model["not_ready_polls"] = 0
        self.empty(200)


serve(Handler)
