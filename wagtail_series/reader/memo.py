"""The reader's one request-scoped memo: answers computed once per request, shared by every caller.

Template tags on one page, the GraphQL resolvers of one operation and the feed hook and view of one
request all ask the reader the same questions; ``request_memo`` is where the answers are kept, for
the length of the request. Without a request there is nowhere to keep them: each call gets a fresh,
empty memo (so nothing is shared, and nothing leaks between callers). A scope that is not a
request (propagation's batch: the signals of one publish) keeps its own dict and uses ``remember``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = ["memoised", "remember", "request_memo"]

T = TypeVar("T")

_ATTRIBUTE = "_wagtail_series_cache"


def request_memo(request: HttpRequest | None) -> dict[Any, Any]:
    """The memo kept on ``request`` (created on first use); a new empty dict for no request."""
    if request is None:
        return {}
    # getattr, not __dict__: a DRF Request shares the memo of the HttpRequest it wraps.
    memo = getattr(request, _ATTRIBUTE, None)
    if memo is None:
        memo = {}
        setattr(request, _ATTRIBUTE, memo)
    return memo


def memoised(request: HttpRequest | None, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``request`` and ``key`` (every time without a request)."""
    return remember(request_memo(request), key, compute)


def remember(memo: dict[Any, Any] | None, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``memo`` and ``key`` (every time with no memo)."""
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
