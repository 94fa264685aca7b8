#!/usr/bin/env python3
"""A local fake of Amazon S3's bucket CORS subresource, for oceanid-apply's tests.

Path-style addressing only (http://127.0.0.1:<port>/<bucket>?cors), as an S3-compatible
endpoint is addressed. Follows the S3 API reference:
  GetBucketCors    GET /<bucket>?cors  -> 200 <CORSConfiguration> or 404 NoSuchCORSConfiguration
    https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketCors.html
  PutBucketCors    PUT /<bucket>?cors  <CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
    with <CORSRule> (ID?, AllowedHeader*, AllowedMethod+, AllowedOrigin+, ExposeHeader*,
    MaxAgeSeconds?); Content-MD5 (base64 MD5 of the body) or an x-amz-checksum-* header is
    required (missing -> 400 InvalidRequest, wrong -> 400 BadDigest); at most 100 rules and
    methods among GET PUT POST DELETE HEAD (else 400 MalformedXML / InvalidRequest).
    https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html
  DeleteBucketCors DELETE /<bucket>?cors -> 204
Errors are S3's XML <Error><Code/><Message/><RequestId/></Error>; an unknown bucket is 404
NoSuchBucket.

Every request is checked as S3 checks Signature Version 4, recomputed from AWS's documented
algorithm (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html and
https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html):
  Authorization: AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/s3/aws4_request,
                 SignedHeaders=<h1;h2;...>, Signature=<hex>
  - x-amz-date (yyyymmddThhmmssZ, within 15 minutes) and x-amz-content-sha256 (the hex SHA-256
    of the body, or UNSIGNED-PAYLOAD) must be present (else 400 InvalidRequest / 403
    AccessDenied); a body hash that differs is 400 XAmzContentSHA256Mismatch;
  - host, every x-amz-* header sent and content-type (when sent) must be signed (else 403
    AccessDenied);
  - the canonical request: method, the URI-encoded path, the canonical query (each name and
    value URI-encoded, sorted, a name without a value as `name=`: a bare `?cors` is `cors=`),
    the signed headers lower-case with trimmed values, the signed header list, the payload
    hash; the string to sign and the derived key as documented. A mismatch is 403
    SignatureDoesNotMatch, an unknown key 403 InvalidAccessKeyId, a wrong scope 403
    AuthorizationHeaderMalformed.

Faults through POST /__faults (counters consumed by the next signed requests): slow_down
(503 SlowDown), html_500 (502 with an HTML page). Test hooks (no auth): POST /__buckets
{"bucket"}; POST /__cors {"bucket", "rules": [{ID?, AllowedOrigin: [...], AllowedMethod: [...],
AllowedHeader?, ExposeHeader?, MaxAgeSeconds?}]}; GET /__state {buckets: {name: rules},
authorizations: [every Authorization header seen], calls: {GET, PUT, DELETE}, refused: [codes]}.

Usage: fake_s3.py <access-key-id> <secret-access-key> <region>; prints its port, one line.
"""
import base64
import datetime
import hashlib
import hmac
import json
import sys
import threading
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote

from fakeserver import RoutedHandler, serve

KEY_ID, SECRET, REGION = sys.argv[1], sys.argv[2], sys.argv[3]
LOCK = threading.Lock()
BUCKETS = {}  # name -> list of rules (dicts) or None (no configuration)
FAULTS = {"slow_down": 0, "html_500": 0}
CALLS = {"GET": 0, "PUT": 0, "DELETE": 0}
AUTHORIZATIONS = []
REFUSED = []
NS = "http://s3.amazonaws.com/doc/2006-03-01/"
METHODS = {"GET", "PUT", "POST", "DELETE", "HEAD"}


def uri_encode(text, slash=True):
    return quote(text, safe="-_.~" + ("/" if not slash else ""))


def canonical_query(raw):
    if not raw:
        return ""
    pairs = []
    for part in raw.split("&"):
        name, _, value = part.partition("=")
        pairs.append((uri_encode(unquote(name)), uri_encode(unquote(value))))
    return "&".join(f"{n}={v}" for n, v in sorted(pairs))


def sign(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def rules_xml(rules):
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<CORSConfiguration xmlns="{NS}">']
    for rule in rules:
        out.append("<CORSRule>")
        if rule.get("ID"):
            out.append(f"<ID>{rule['ID']}</ID>")
        for field in ("AllowedHeader", "AllowedMethod", "AllowedOrigin", "ExposeHeader"):
            for value in rule.get(field, []):
                out.append(f"<{field}>{value}</{field}>")
        if rule.get("MaxAgeSeconds") is not None:
            out.append(f"<MaxAgeSeconds>{rule['MaxAgeSeconds']}</MaxAgeSeconds>")
        out.append("</CORSRule>")
    out.append("</CORSConfiguration>")
    return "".join(out)


def parse_rules(body):
    root = ET.fromstring(body)
    if root.tag not in ("CORSConfiguration", "{%s}CORSConfiguration" % NS):
        raise ValueError("root")
    rules = []
    for element in root:
        if element.tag.split("}")[-1] != "CORSRule":
            raise ValueError("child")
        rule = {"AllowedHeader": [], "AllowedMethod": [], "AllowedOrigin": [], "ExposeHeader": []}
        for child in element:
            tag = child.tag.split("}")[-1]
            text = (child.text or "").strip()
            if tag in rule:
                rule[tag].append(text)
            elif tag == "ID":
                rule["ID"] = text
            elif tag == "MaxAgeSeconds":
                rule["MaxAgeSeconds"] = int(text)
            else:
                raise ValueError(tag)
        rules.append(rule)
    return rules


class Handler(RoutedHandler):
    def xml(self, status, text, headers=None):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amz-request-id", uuid.uuid4().hex[:16].upper())
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, code, message):
        with LOCK:
            REFUSED.append(code)
        self.xml(status, f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
                         f'<Message>{message}</Message><RequestId>{uuid.uuid4().hex[:16]}</RequestId></Error>')

    def raw_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def authorize(self, method, path, query, body):
        """None when the request is signed as S3 requires; else the error was sent."""
        auth = self.headers.get("Authorization", "")
        with LOCK:
            AUTHORIZATIONS.append(auth)
        if not auth.startswith("AWS4-HMAC-SHA256 "):
            self.error(403, "AccessDenied", "Access Denied")
            return False
        fields = {}
        for part in auth[len("AWS4-HMAC-SHA256 "):].split(","):
            name, _, value = part.strip().partition("=")
            fields[name] = value
        try:
            key_id, day, region, service, terminal = fields["Credential"].split("/")
            signed = fields["SignedHeaders"].split(";")
            signature = fields["Signature"]
        except (KeyError, ValueError):
            self.error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed")
            return False
        if key_id != KEY_ID:
            self.error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
            return False
        if region != REGION or service != "s3" or terminal != "aws4_request":
            self.error(400, "AuthorizationHeaderMalformed",
                       f"The authorization header is malformed; the region '{region}' is wrong; expecting '{REGION}'")
            return False
        amz_date = self.headers.get("x-amz-date", "")
        try:
            when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            self.error(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header")
            return False
        if abs((datetime.datetime.now(datetime.timezone.utc) - when).total_seconds()) > 900 or day != amz_date[:8]:
            self.error(403, "RequestTimeTooSkewed",
                       "The difference between the request time and the current time is too large.")
            return False
        payload = self.headers.get("x-amz-content-sha256")
        if payload is None:
            self.error(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
            return False
        if payload != "UNSIGNED-PAYLOAD" and payload != hashlib.sha256(body).hexdigest():
            self.error(400, "XAmzContentSHA256Mismatch",
                       "The provided 'x-amz-content-sha256' header does not match what was computed.")
            return False
        sent = {name.lower() for name in self.headers.keys()}
        must = {"host"} | {h for h in sent if h.startswith("x-amz-")} | ({"content-type"} & sent)
        if not must.issubset(signed) or signed != sorted(signed):
            self.error(403, "AccessDenied",
                       "There were headers present in the request which were not signed: "
                       + ", ".join(sorted(must - set(signed))))
            return False
        canonical_headers = "".join(
            f"{h}:{' '.join((self.headers.get(h) or '').split())}\n" for h in signed)
        canonical = "\n".join([method, uri_encode(path, slash=False), canonical_query(query), canonical_headers,
                               ";".join(signed), payload])
        scope = f"{day}/{region}/s3/aws4_request"
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
        key = sign(sign(sign(sign(("AWS4" + SECRET).encode(), day), region), "s3"), "aws4_request")
        expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            self.error(403, "SignatureDoesNotMatch",
                       "The request signature we calculated does not match the signature you provided. "
                       "Check your key and signing method.")
            return False
        return True

    def handle_any(self, method):
        path, _, query = self.path.partition("?")
        if path.startswith("/__"):
            return self.hook(method, path)
        body = self.raw_body()
        if not self.authorize(method, path, query, body):
            return
        with LOCK:
            fault = next((name for name in ("slow_down", "html_500") if FAULTS[name] > 0), None)
            if fault:
                FAULTS[fault] -= 1
        if fault == "slow_down":
            return self.error(503, "SlowDown", "Please reduce your request rate.")
        if fault == "html_500":
            return self.send(502, "<html><body>Bad Gateway</body></html>", html=True)
        bucket = path.strip("/")
        if "/" in bucket or query not in ("cors", "cors="):
            return self.error(400, "InvalidRequest", "Only the bucket's cors subresource is faked")
        with LOCK:
            known = bucket in BUCKETS
        if not known:
            return self.error(404, "NoSuchBucket", "The specified bucket does not exist")
        with LOCK:
            CALLS[method] = CALLS.get(method, 0) + 1
        if method == "GET":
            with LOCK:
                rules = BUCKETS[bucket]
            if rules is None:
                return self.error(404, "NoSuchCORSConfiguration", "The CORS configuration does not exist")
            return self.xml(200, rules_xml(rules))
        if method == "DELETE":
            with LOCK:
                BUCKETS[bucket] = None
            return self.xml(204, "")
        if method != "PUT":
            return self.error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
        md5 = self.headers.get("Content-MD5")
        checksum = any(h.lower().startswith("x-amz-checksum-") for h in self.headers.keys())
        if md5 is None and not checksum:
            return self.error(400, "InvalidRequest",
                              "Missing required header for this request: Content-MD5 (or x-amz-checksum-*)")
        if md5 is not None and md5 != base64.b64encode(hashlib.md5(body).digest()).decode():
            return self.error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.")
        try:
            rules = parse_rules(body)
        except (ET.ParseError, ValueError):
            return self.error(400, "MalformedXML",
                              "The XML you provided was not well-formed or did not validate against our published schema")
        if not rules or len(rules) > 100 or any(not r["AllowedMethod"] or not r["AllowedOrigin"] for r in rules):
            return self.error(400, "MalformedXML",
                              "The XML you provided was not well-formed or did not validate against our published schema")
        bad = [m for r in rules for m in r["AllowedMethod"] if m not in METHODS]
        if bad:
            return self.error(400, "InvalidRequest", f"Found unsupported HTTP method in CORS config. Unsupported method is {bad[0]}")
        with LOCK:
            BUCKETS[bucket] = rules
        self.xml(200, "")

    def hook(self, method, path):
        if method == "GET" and path == "/__state":
            with LOCK:
                return self.send(200, {"buckets": BUCKETS, "authorizations": AUTHORIZATIONS, "calls": CALLS,
                                       "refused": REFUSED})
        body = json.loads(self.raw_body() or b"{}")
        with LOCK:
            if path == "/__faults":
                FAULTS.update(body)
            elif path == "/__buckets":
                BUCKETS.setdefault(body["bucket"], None)
            elif path == "/__cors":
                BUCKETS[body["bucket"]] = [
                    dict({"AllowedHeader": [], "ExposeHeader": []}, **rule) for rule in body["rules"]]
        self.send(200, {"ok": True})


serve(Handler)
