"""Text made safe for feed generators.

Django's XML feed generator raises on control characters (a 500 on the whole feed), and titles,
descriptions and summaries come from editors. Everything a feed shows goes through ``clean``.
"""

from __future__ import annotations

import html
import re

from django.utils.html import strip_tags
from django.utils.text import Truncator

__all__ = ["clean", "plain_text", "TITLE_MAX_LENGTH", "SUMMARY_MAX_LENGTH"]

# C0 controls except tab, newline and carriage return; DEL; lone surrogates; and the two
# non-characters XML forbids.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")

TITLE_MAX_LENGTH = 300
SUMMARY_MAX_LENGTH = 2000


def clean(value: object, max_length: int | None = None) -> str:
    """``value`` as one line of text that any feed format accepts, cut to ``max_length``."""
    text = _SPACES.sub(" ", _FORBIDDEN.sub("", str(value or ""))).strip()
    if max_length is not None and len(text) > max_length:
        text = Truncator(text).chars(max_length)
    return text


def plain_text(markup: object, max_length: int | None = None) -> str:
    """Rich text (HTML) as plain text: tags removed, entities decoded, then ``clean``."""
    return clean(html.unescape(strip_tags(str(markup or ""))), max_length)
