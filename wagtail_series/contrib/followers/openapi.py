"""The follow endpoint in the OpenAPI document (``wagtail_series.api.openapi``): a path item
with its own ``servers`` entry (the endpoint is mounted apart from the API router)."""

from __future__ import annotations

from typing import Any

# The path's key in the document, relative to its own server (the mount point of
# ``wagtail_series.contrib.followers.urls`` + "api").
PATH = "/follow/"


def path_item(server_url: str, max_email_length: int = 254) -> dict[str, Any]:
    """The OpenAPI path item of ``POST {server_url}/follow/``."""
    message = {"$ref": "#/components/schemas/Error"}
    return {
        "servers": [{"url": server_url}],
        "post": {
            "operationId": "followSeries",
            "tags": ["followers"],
            "summary": "Follow a series by email (double opt-in)",
            "description": (
                "Sends a confirmation email with a signed link that expires; the address "
                "follows the series only once the link is opened and confirmed. The answer is "
                "the same whether or not the address already follows. Rate-limited per client "
                "address and per email address (429). `website` is a honeypot: leave it out "
                "or empty. No cookies, no CSRF token."
            ),
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["series", "email"],
                            "properties": {
                                "series": {"$ref": "#/components/schemas/SeriesId"},
                                "email": {
                                    "type": "string",
                                    "format": "email",
                                    "maxLength": max_email_length,
                                },
                                "website": {"type": "string", "maxLength": 0},
                            },
                        },
                        "example": {"series": 3, "email": "reader@example.com"},
                    }
                },
            },
            "responses": {
                "202": {
                    "description": "Accepted: a confirmation email is on its way, if the "
                    "address can follow the series.",
                    "content": {"application/json": {"schema": message}},
                },
                "400": {
                    "description": "Bad input: not a JSON object, a malformed address (or "
                    "one with line breaks), an unknown or private series.",
                    "content": {"application/json": {"schema": message}},
                },
                "405": {
                    "description": "Only POST.",
                    "content": {"application/json": {"schema": message}},
                },
                "429": {
                    "description": "Too many requests from this client or for this address.",
                    "content": {"application/json": {"schema": message}},
                },
            },
        },
    }
