"""The follow endpoint in the served OpenAPI document, its answers conforming to it, and a fuzz
of its input (hypothesis, as schemathesis would): never a 500, never more mail than the rate
limits allow."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openapi_spec_validator import validate as validate_spec

from tests.api.test_openapi import validator
from tests.conftest import make_series
from tests.contrib.followers.helpers import FOLLOW_URL
from wagtail_series.api.openapi import openapi_view

pytestmark = pytest.mark.django_db


def served() -> dict:
    request = RequestFactory().get("/api/openapi/series.json", HTTP_HOST="api.example.com")
    return json.loads(openapi_view(request).content)


def test_the_follow_endpoint_is_documented():
    document = served()
    validate_spec(document)
    item = document["paths"]["/follow/"]
    assert item["servers"] == [{"url": "http://api.example.com/series/followers/api"}]
    assert set(item["post"]["responses"]) == {"202", "400", "405", "429"}


@pytest.mark.parametrize(
    "body",
    [
        {"series": "SERIES", "email": "a@example.com"},
        {"series": "SERIES", "email": "bad"},
        {"series": 99999, "email": "a@example.com"},
        [1],
    ],
)
def test_answers_conform(client, home, body, settings):
    settings.WAGTAIL_SERIES = {"FOLLOWERS_IP_RATE": (1000, 60)}
    series = make_series(home)
    if isinstance(body, dict) and body["series"] == "SERIES":
        body = {**body, "series": series.pk}
    document = served()
    response = client.post(FOLLOW_URL, json.dumps(body), content_type="application/json")
    spec = document["paths"]["/follow/"]["post"]["responses"][str(response.status_code)]
    schema = spec["content"]["application/json"]["schema"]
    assert not list(validator(document, schema).iter_errors(response.json()))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
bodies = st.one_of(
    st.fixed_dictionaries(
        {
            "series": st.one_of(st.integers(), st.text(), st.just("SERIES"), json_values),
            "email": st.one_of(st.emails(), st.text(), json_values),
        },
        optional={"website": st.one_of(st.text(), json_values)},
    ),
    json_values,
)


def test_fuzzed_input_never_fails_and_mail_stays_bounded(home, settings):
    settings.WAGTAIL_SERIES = {"FOLLOWERS_IP_RATE": (25, 3600), "FOLLOWERS_EMAIL_RATE": (2, 3600)}
    series = make_series(home)
    client = Client(raise_request_exception=False)
    cache.clear()
    seen = []

    @hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(bodies)
    def run(body):
        if isinstance(body, dict) and body.get("series") == "SERIES":
            body = {**body, "series": series.pk}
        response = client.post(FOLLOW_URL, json.dumps(body), content_type="application/json")
        assert response.status_code in (202, 400, 429), (body, response.content)
        assert response.json()["message"]
        seen.append(response.status_code)

    run()
    # Confirmation emails are queued on commit (the test's transaction never commits): count
    # what the endpoint accepted instead. Past the client's limit, everything is a 429.
    assert seen.count(202) <= 25
    assert 429 in seen
    assert mail.outbox == []
