#!/usr/bin/env python3
"""A webhook receiver for the tests: verifies every delivery with its own implementation of the
Standard Webhooks scheme (Python's hmac, not coco's code) and records what arrived.

    webhook_receiver.py PORT_FILE

Listens on 127.0.0.1 (a free port, written to PORT_FILE) and answers:
  POST /hooks/<name>       a delivery: recorded with whether its signature verified, then
                           answered by the hook's mode: "ok" (204), "fail" (500), "hang" (sleeps
                           30 s, then 204), "redirect" (302 to /hooks/<name>-moved)
  PUT  /control/<name>     {"secret": "whsec_...", "mode": "ok"}: sets a hook's secret and mode
  GET  /received/<name>    the deliveries recorded for the hook, oldest first, as JSON
  GET  /in-flight/<name>   {"in_flight": n}: deliveries of the hook held in "hang" right now
  GET  /health             204
It stops by itself after 15 minutes, so a test that dies cannot leave it behind.
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
HOOKS = {}  # name -> {"secret": str, "mode": str, "received": [dict]}
TOLERANCE_SECONDS = 5 * 60


def verify(secret, msg_id, timestamp, body, signatures):
    """The Standard Webhooks check: HMAC-SHA256 of "id.timestamp.body" keyed by the base64
    secret after "whsec_", compared in constant time with each "v1,<base64>" offered."""
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    try:
        fresh = abs(time.time() - int(timestamp)) <= TOLERANCE_SECONDS
    except ValueError:
        return False
    for offered in signatures.split(" "):
        version, _, value = offered.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return fresh
    return False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", content_type="application/json", extra=()):
        self.send_response(status)
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        length = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        if self.path == "/health":
            return self.answer(204)
        if self.path.startswith("/received/"):
            name = self.path[len("/received/"):]
            with LOCK:
                received = list(HOOKS.get(name, {}).get("received", []))
            return self.answer(200, json.dumps(received).encode())
        if self.path.startswith("/in-flight/"):
            name = self.path[len("/in-flight/"):]
            with LOCK:
                count = HOOKS.get(name, {}).get("in_flight", 0)
            return self.answer(200, json.dumps({"in_flight": count}).encode())
        return self.answer(404)

    def do_PUT(self):
        if not self.path.startswith("/control/"):
            return self.answer(404)
        name = self.path[len("/control/"):]
        settings = json.loads(self.read_body() or b"{}")
        with LOCK:
            hook = HOOKS.setdefault(name, {"secret": "", "mode": "ok", "received": []})
            hook["secret"] = settings.get("secret", hook["secret"])
            hook["mode"] = settings.get("mode", hook["mode"])
        return self.answer(204)

    def do_POST(self):
        if not self.path.startswith("/hooks/"):
            return self.answer(404)
        name = self.path[len("/hooks/"):]
        body = self.read_body()
        msg_id = self.headers.get("webhook-id", "")
        timestamp = self.headers.get("webhook-timestamp", "")
        signature = self.headers.get("webhook-signature", "")
        with LOCK:
            hook = HOOKS.setdefault(name, {"secret": "", "mode": "ok", "received": []})
            secret, mode = hook["secret"], hook["mode"]
        valid = bool(secret) and verify(secret, msg_id, timestamp, body, signature)
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
        record = {"webhook_id": msg_id, "timestamp": timestamp, "valid": valid,
                  "payload": payload, "mode": mode}
        with LOCK:
            hook["received"].append(record)
        if mode == "fail":
            return self.answer(500, b'{"error":"down"}')
        if mode == "hang":
            with LOCK:
                hook["in_flight"] = hook.get("in_flight", 0) + 1
            time.sleep(30)
            with LOCK:
                hook["in_flight"] -= 1
            return self.answer(204)
        if mode == "redirect":
            return self.answer(302, extra=[("Location", "/hooks/" + name + "-moved")])
        return self.answer(204)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(sys.argv[1] + ".tmp", "w") as out:
        out.write(str(server.server_address[1]))

    os.replace(sys.argv[1] + ".tmp", sys.argv[1])
    threading.Timer(15 * 60, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
