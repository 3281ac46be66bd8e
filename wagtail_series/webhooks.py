"""Webhook payloads, signatures and the HTTP call: small functions with no database access.

A webhook tells a headless frontend (e.g. Next.js on-demand revalidation) that what readers see
of a series changed. The body is JSON::

    {
      "event": "published",
      "series": {"id": 3, "slug": "memories", "url": "https://example.com/memories/"},
      "part": {"id": 7, "url": "https://example.com/memories/stink-bomb/", "status": "published"},
      "paths": ["/memories/", "/memories/feed/", "/memories/stink-bomb/", ...],
      "timestamp": "2026-11-21T09:30:00.123456+00:00"
    }

signed with HMAC-SHA256 over the raw body with the endpoint's secret, in the header
``X-Wagtail-Series-Signature: sha256=<hex digest>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from .conf import series_settings

__all__ = [
    "DELIVERY_HEADER",
    "EVENT_HEADER",
    "SIGNATURE_HEADER",
    "Endpoint",
    "Outcome",
    "encode",
    "endpoint_for",
    "post",
    "sign",
    "verify",
]

SIGNATURE_HEADER = "X-Wagtail-Series-Signature"
EVENT_HEADER = "X-Wagtail-Series-Event"
DELIVERY_HEADER = "X-Wagtail-Series-Delivery"
USER_AGENT = "wagtail-series-webhooks/1"


@dataclass(frozen=True)
class Endpoint:
    url: str
    secret: str


@dataclass(frozen=True)
class Outcome:
    """How one attempt went: a response code, or an error when there was no usable answer."""

    status_code: int | None
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def retryable(self) -> bool:
        """Worth another attempt: no answer (refused, timed out), a 5xx, or 429."""
        if self.status_code is None:
            return True
        return self.status_code >= 500 or self.status_code == 429


def endpoints() -> list[Endpoint]:
    """The endpoints configured in ``WAGTAIL_SERIES["WEBHOOKS"]``."""
    return [Endpoint(url=e["url"], secret=e["secret"]) for e in series_settings.WEBHOOKS]


def endpoint_for(url: str) -> Endpoint | None:
    """The configured endpoint with this URL (its current secret), or None if it was removed."""
    return next((e for e in endpoints() if e.url == url), None)


def encode(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent and signed: compact, keys sorted, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(body: bytes, secret: str) -> str:
    """The signature header's value: ``sha256=`` and the HMAC-SHA256 of ``body``, in hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, signature: str | None) -> bool:
    """What a receiver written in Python checks (in constant time)."""
    return signature is not None and hmac.compare_digest(sign(body, secret), signature)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would turn the POST into a GET elsewhere: report the 3xx instead.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(endpoint: Endpoint, body: bytes, *, event: str, delivery_id: str) -> Outcome:
    """POST ``body`` to ``endpoint`` once, within ``WEBHOOK_TIMEOUT`` seconds. Never raises."""
    request = urllib.request.Request(
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: sign(body, endpoint.secret),
            EVENT_HEADER: event,
            DELIVERY_HEADER: delivery_id,
        },
    )
    try:
        with _opener.open(request, timeout=series_settings.WEBHOOK_TIMEOUT) as response:
            response.read(65536)
            return Outcome(status_code=response.status)
    except urllib.error.HTTPError as error:
        return Outcome(status_code=error.code, error=f"HTTP {error.code} {error.reason}")
    except Exception as error:  # refused, reset, timed out, DNS, TLS...: no answer
        reason = getattr(error, "reason", None) or error
        return Outcome(status_code=None, error=f"{type(error).__name__}: {reason}"[:1000])
