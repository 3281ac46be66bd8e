"""What the cross-process tests share: a PostgreSQL database of their own and the Redis
database the app servers use as their cache. Outside CI a missing PostgreSQL or Redis skips the
test; under ``CI=true`` it fails it."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest

PG_SERVER = os.environ.get("WAGTAIL_SERIES_E2E_PG", "postgresql://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("WAGTAIL_SERIES_E2E_REDIS", "redis://127.0.0.1:6379/14")


def unavailable(what: str, error: Exception) -> None:
    message = f"{what} is needed for the cross-process test: {error}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A PostgreSQL database of its own, dropped afterwards."""
    import psycopg

    name = f"wagtail_series_e2e_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.Error as error:
        unavailable("PostgreSQL at 127.0.0.1:5432", error)
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{PG_SERVER}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def redis_cache() -> Iterator[object]:
    """The Redis database the two servers share as their cache, emptied before and after."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        unavailable(f"Redis at {REDIS_URL}", error)
    client.flushdb()
    yield client
    client.flushdb()
