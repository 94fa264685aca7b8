"""What every local fake of a provider's API shares: a JSON request handler, the broken
answers (JSON cut short, a body dropped halfway, a lost answer after a commit), and serving on a loopback port printed on stdout
until the test that started us closes our stdin (or ends).
"""
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class JSONHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, headers=None, html=False):
        data = body.encode() if html else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html" if html else "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}")

    def take_slow(self, faults, lock):
        """Sleeps slow_seconds (default 0.3) if the `slow` counter is set, outside the lock so
        other connections go on meanwhile."""
        with lock:
            slow = faults.get("slow", 0) > 0
            if slow:
                faults["slow"] -= 1
            seconds = faults.get("slow_seconds", 0.3)
        if slow:
            time.sleep(seconds)

    def malformed_answer(self):
        """200 with JSON cut short, as a broken proxy or a crash mid-write leaves it."""
        data = b'{"id": 1, "title": '
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def drop_mid_body(self):
        """200 promising 1000 bytes, 10 sent, then the connection closes."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b'{"count": ')
        self.drop_answer()

    def drop_answer(self):
        """The request was done; the answer is lost (the connection closes without one)."""
        self.close_connection = True
        self.connection.shutdown(2)


class RoutedHandler(JSONHandler):
    """A handler whose every method goes to one `handle_any(method)`: the fakes that route
    by path and method in one place."""

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_DELETE(self):
        self.handle_any("DELETE")


def serve(handler):
    def exit_with_parent():
        sys.stdin.read()
        os._exit(0)

    # A test runner's thread may spawn us with signals blocked: let SIGTERM end us again.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    threading.Thread(target=exit_with_parent, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
