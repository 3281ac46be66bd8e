"""A local HTTP receiver for the publish benchmark: stands in for a CDN and a webhook endpoint.

It runs in a process of its own (``Receiver()`` starts it, ``close()`` stops it), on 127.0.0.1
and a free port, answers every request at once with 200 and counts them by method: ``PURGE``
(Wagtail's HTTPBackend) and ``POST`` (webhook deliveries). ``GET /__counts`` returns the counts
as JSON, so the benchmark can tell how many requests one publish sent.

    python bench/receiver.py   # serve; prints the port on its first line
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COUNTS_PATH = "/__counts"


class Receiver:
    """The receiver process, seen from the benchmark."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve())],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        port = int(self.process.stdout.readline())
        self.url = f"http://127.0.0.1:{port}"

    def counts(self) -> Counter[str]:
        with urllib.request.urlopen(self.url + COUNTS_PATH, timeout=10) as response:
            return Counter(json.load(response))

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class _Handler(BaseHTTPRequestHandler):
    counts: Counter[str] = Counter()
    lock = threading.Lock()

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.command == "GET" and self.path == COUNTS_PATH:
            with self.lock:
                body = json.dumps(self.counts).encode()
        else:
            with self.lock:
                self.counts[self.command] += 1
            body = b"ok"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PURGE = do_PUT = do_DELETE = _answer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    serve()
