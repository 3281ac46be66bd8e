"""What a real feed reader checks: feedparser, the Atom RELAX NG schema, the JSON Feed schema."""

from __future__ import annotations

import json
import re
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path

import feedparser
import jsonschema
from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"
ATOM = "{http://www.w3.org/2005/Atom}"

RFC_822_DATE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
RFC_3339_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@cache
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))


@cache
def json_feed_schema() -> dict:
    return json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text())


def check_feed(kind: str, body: bytes) -> feedparser.FeedParserDict | dict:
    """Assert ``body`` is a correct feed of its kind; return what a reader would parse."""
    if kind == "json":
        data = json.loads(body)
        jsonschema.validate(data, json_feed_schema())
        for item in data["items"]:
            for name in ("date_published", "date_modified"):
                assert RFC_3339_DATE.match(item[name]), item[name]
        return data
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == {"rss": "rss20", "atom": "atom10"}[kind]
    root = etree.fromstring(body)
    if kind == "atom":
        schema = atom_schema()
        assert schema.validate(root), schema.error_log
        # The two Schematron rules of RFC 4287 that RELAX NG can't express:
        entries = root.findall(f"{ATOM}entry")
        if root.find(f"{ATOM}author") is None:
            assert all(entry.find(f"{ATOM}author") is not None for entry in entries)
        for entry in entries:
            assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        for element in root.iter(f"{ATOM}published", f"{ATOM}updated"):
            assert RFC_3339_DATE.match(element.text), element.text
    else:
        for element in root.iter("pubDate", "lastBuildDate"):
            assert RFC_822_DATE.match(element.text), element.text
            parsedate_to_datetime(element.text)
    return parsed
