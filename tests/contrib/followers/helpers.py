"""What the followers' tests share: following through the JSON endpoint and the link of the
confirmation email, as a reader does."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from django.test import Client

from tests.contrib.followers.smtp import SMTPServer, text_of

FOLLOW_URL = "/series/followers/api/follow/"


def post_json(client: Client, data: object, **extra: object):
    return client.post(FOLLOW_URL, data=json.dumps(data), content_type="application/json", **extra)


def link_in(text: str, kind: str) -> str:
    """The path of the first link to ``/series/followers/<kind>/`` in ``text``."""
    match = re.search(r"https?://\S+/series/followers/" + kind + r"/\S+/", text)
    assert match, text
    return urlsplit(match.group(0)).path


def follow_by_email(client: Client, smtp: SMTPServer, series_id: int, address: str, capture):
    """Follow and confirm through the confirmation email received by ``smtp``."""
    with capture(execute=True):
        response = post_json(client, {"series": series_id, "email": address})
    assert response.status_code == 202, response.content
    confirmation = smtp.mailbox.to(address)[-1]
    path = link_in(text_of(confirmation), "confirm")
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 200, response.content
    return confirmation
