"""A bucket's website endpoint, for tests: serves a site deployed to a
local S3-compatible server (moto) the way S3's static website hosting does.

    python3 s3_website.py PORT ENDPOINT BUCKET PREFIX

GET /a/b/ reads the object PREFIX/a/b/index.html; GET /a/b answers 302 to
/a/b/ when that folder has an index.html; a missing object answers 404 with
PREFIX/404.html. Objects are passed on as stored: body, Content-Type,
Content-Encoding and Cache-Control, as a CDN in front of the bucket would.
Only GET, only 127.0.0.1, ten minutes at most.
"""

import http.server
import signal
import sys
import urllib.error
import urllib.parse
import urllib.request

PORT, ENDPOINT, BUCKET, PREFIX = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4].strip("/")
# moto checks no signature; any AWS authorization is let in.
AUTH = "AWS4-HMAC-SHA256 Credential=test/20261207/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0"
PASSED = ("Content-Type", "Content-Encoding", "Cache-Control")


def fetch(key):
    """(status, headers, body) of the object at `key` (already %-encoded)."""
    request = urllib.request.Request(f"{ENDPOINT}/{BUCKET}/{key}", headers={"Authorization": AUTH})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, b""


class Website(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        base = f"{PREFIX}/" if PREFIX else ""
        key = base + path.lstrip("/")
        if key == "" or key.endswith("/"):
            key += "index.html"
        status, headers, body = fetch(key)
        if status == 404 and not path.endswith("/"):
            if fetch(key + "/index.html")[0] == 200:
                self.send_response(302)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        if status == 404:
            _, headers, body = fetch(base + "404.html")
        self.send_response(status)
        for name in PASSED:
            if headers.get(name):
                self.send_header(name, headers[name])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


signal.alarm(600)
http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Website).serve_forever()
