"""A CDN on 127.0.0.1: a real HTTP server that records every request (any method) and answers
as the CDN APIs do (JSON with ``"success": true``, Cloudflare's shape), or with a scripted
status; and a closed port for a CDN that is down."""

from __future__ import annotations

import json
import socket
import sys
import threading
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class CdnRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Cdn:
    url: str = ""  # http://127.0.0.1:<port>
    requests: list[CdnRequest] = field(default_factory=list)
    status: int = 200
    answer: bytes = b'{"success": true, "errors": [], "messages": [], "result": {}}'
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def host(self) -> str:
        return self.url.removeprefix("http://")


def _handler(cdn: Cdn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _record(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
            with cdn.lock:
                cdn.requests.append(
                    CdnRequest(self.command, self.path, dict(self.headers.items()), body)
                )
            self.send_response(cdn.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(cdn.answer)))
            self.end_headers()
            self.wfile.write(cdn.answer)

        do_GET = do_POST = do_PURGE = _record  # noqa: N815 (http.server's naming)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def cdn() -> Iterator[Cdn]:
    cdn = Cdn()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(cdn))
    server.daemon_threads = True
    cdn.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield cdn
    server.shutdown()
    server.server_close()


@pytest.fixture
def dead_cdn() -> str:
    """The base URL of a port nothing listens on (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def redirect_cloudflare(monkeypatch: pytest.MonkeyPatch, base_url: str) -> None:
    """Wagtail's CloudflareBackend posts to https://api.cloudflare.com, a constant: send those
    requests to ``base_url`` instead (same path, body and headers, over real HTTP)."""
    import requests

    real_post = requests.post

    def post(url: str, *args: Any, **kwargs: Any) -> Any:
        url = url.replace("https://api.cloudflare.com/client/v4", base_url + "/client/v4")
        return real_post(url, *args, **kwargs)

    monkeypatch.setattr(requests, "post", post)


@pytest.fixture
def cloudflare_api(monkeypatch: pytest.MonkeyPatch, cdn: Cdn) -> Cdn:
    """The local CDN, also answering for Wagtail's CloudflareBackend."""
    redirect_cloudflare(monkeypatch, cdn.url)
    return cdn


@dataclass
class FakeCloudFront:
    """boto3's CloudFront client, the only thing mocked: AWS is off the machine."""

    invalidations: list[dict[str, Any]] = field(default_factory=list)
    error: Exception | None = None

    def create_invalidation(self, **kwargs: Any) -> dict[str, Any]:
        if self.error is not None:
            raise self.error
        self.invalidations.append(kwargs)
        return {"Invalidation": {"Id": f"I{len(self.invalidations)}", "Status": "InProgress"}}


@pytest.fixture
def cloudfront(monkeypatch) -> FakeCloudFront:
    """``boto3.client("cloudfront", ...)`` returns a FakeCloudFront. boto3 and botocore are
    optional (Wagtail's CloudFront backend needs them); stand-ins are used when they're absent."""
    client = FakeCloudFront()
    try:
        import boto3
    except ImportError:
        boto3 = types.ModuleType("boto3")
        monkeypatch.setitem(sys.modules, "boto3", boto3)
    try:
        import botocore.exceptions  # noqa: F401
    except ImportError:
        botocore = types.ModuleType("botocore")
        exceptions = types.ModuleType("botocore.exceptions")

        class ClientError(Exception):
            def __init__(self, error_response: dict[str, Any], operation_name: str) -> None:
                super().__init__(operation_name)
                self.response = error_response

        exceptions.ClientError = ClientError
        botocore.exceptions = exceptions
        monkeypatch.setitem(sys.modules, "botocore", botocore)
        monkeypatch.setitem(sys.modules, "botocore.exceptions", exceptions)
    monkeypatch.setattr(boto3, "client", lambda *args, **kwargs: client, raising=False)
    return client
