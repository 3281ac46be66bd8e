"""Test doubles for what is off the machine: a CDN (a recording frontend-cache backend) and a
webhook receiver (a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from wagtail.contrib.frontend_cache.backends.base import BaseBackend


class RecordingBackend(BaseBackend):
    """A frontend-cache backend that records each purge batch instead of calling a CDN."""

    batches: ClassVar[list[set[str]]] = []

    def purge(self, url: str) -> None:
        self.batches.append({url})

    def purge_batch(self, urls) -> None:
        self.batches.append(set(urls))


@pytest.fixture
def purged(settings) -> Iterator[list[set[str]]]:
    """The URL sets purged, one per batch, with the recording backend configured."""
    settings.WAGTAILFRONTENDCACHE = {"recorder": {"BACKEND": "tests.support.RecordingBackend"}}
    RecordingBackend.batches = []
    yield RecordingBackend.batches
    RecordingBackend.batches = []


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    method: str = "POST"

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A webhook endpoint on 127.0.0.1. ``script`` says how to answer each request in turn:
    a status code, ("sleep", seconds) to answer 200 only after that long, or ("wait", event)
    to answer 200 once the ``threading.Event`` is set (at most 60 s); then 200."""

    script: list = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def answer(self) -> int | tuple:
        return self.script.pop(0) if self.script else 200


def serve(receiver: Receiver) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.received.append(Received(dict(self.headers.items()), body, self.command))
            answer = receiver.answer()
            if isinstance(answer, tuple):
                if answer[0] == "wait":
                    answer[1].wait(60)
                else:
                    time.sleep(answer[1])
                answer = 200
            try:
                self.send_response(answer)
                self.end_headers()
                self.wfile.write(b"{}")
            except OSError:  # the client gave up (timeout): nothing to answer
                pass

        # A CDN's purge (Wagtail's HTTPBackend), answered like a webhook.
        do_PURGE = do_POST  # noqa: N815

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/series"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    server = serve(receiver)
    yield receiver
    server.shutdown()
    server.server_close()


def dead_url() -> str:
    """A URL on a port nothing listens on (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"
