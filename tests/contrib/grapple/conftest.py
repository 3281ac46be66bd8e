"""Helpers for the GraphQL tests: queries posted to /graphql/ (SeriesGraphQLView), as a frontend
would, and to grapple's schema directly (as grapple's own view would run them)."""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps

URL = "/graphql/"

# Not collected where the app isn't installed: the swapped page model run (grapple only knows
# wagtail.models.Page; the app refuses a swapped one, see test_apps).
if not apps.is_installed("wagtail_series.contrib.grapple"):
    collect_ignore_glob = ["test_*.py"]


def post(client, query: str, variables: dict | None = None, *, status: int = 200) -> dict:
    """POST a query to /graphql/; the parsed JSON answer, after checking its HTTP status."""
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    response = client.post(URL, json.dumps(body), content_type="application/json")
    assert response.status_code == status, (response.status_code, response.content[:1000])
    return response.json()


def data(client, query: str, variables: dict | None = None) -> dict:
    """The ``data`` of a query that must succeed."""
    result = post(client, query, variables)
    assert "errors" not in result, result["errors"]
    return result["data"]


def error_messages(client, query: str, variables: dict | None = None, *, status=None) -> list[str]:
    """The error messages of a query that must fail (with a 200 or a 400, never a 500)."""
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    response = client.post(URL, json.dumps(body), content_type="application/json")
    assert response.status_code in ((status,) if status else (200, 400)), response.content[:1000]
    result = response.json()
    assert result.get("errors"), result
    return [error["message"] for error in result["errors"]]
