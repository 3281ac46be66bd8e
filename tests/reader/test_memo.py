"""The request-scoped memo (``reader.memo``)."""

from __future__ import annotations

import pytest

from tests.conftest import (
    add_part,
)
from tests.reader.conftest import make_request
from wagtail_series import reader

pytestmark = pytest.mark.django_db


def test_outline_is_memoised_per_request(series, django_assert_num_queries):
    add_part(series, "One")
    request = make_request()
    first = reader.get_series_outline(series, request)
    with django_assert_num_queries(0):
        assert reader.get_series_outline(series, request) is first


def test_request_memo_lives_on_the_request_only():
    request = make_request()
    memo = reader.request_memo(request)
    memo["answer"] = 42
    assert reader.request_memo(request) is memo
    assert reader.request_memo(make_request()) == {}
    # No request, nowhere to keep answers: a fresh memo each time.
    reader.request_memo(None)["answer"] = 42
    assert reader.request_memo(None) == {}
