"""Followers, for real: the example site on PostgreSQL with django-tasks-db's worker processes
and an SMTP server on 127.0.0.1 (aiosmtpd).

1,000 confirmed followers of Memories; Stink Bomb is published (the shell, as an editor's
publish or ``publish_scheduled`` does: the web process only queues a task). The worker is
killed (SIGKILL) in the middle of the batch of emails; after a restart and cron's
``send_pending_notifications``, every follower has exactly one email, counted at the SMTP
server. Run with ``make test-e2e``.
"""

from __future__ import annotations

import collections
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.contrib.followers.smtp import SMTPServer
from tests.example_site_runner import EXAMPLE_SITE, example_site_env, last_json_line, manage

pytestmark = pytest.mark.e2e

FOLLOWERS = 1000
# A dead worker's claim expires after this: short, so the test is quick.
CLAIM_TIMEOUT = "5"
BATCH_SIZE = "50"

CREATE_FOLLOWERS = f"""
import json
from wagtail_series.models import SeriesPage
from wagtail_series.contrib.followers.models import Follower
series = SeriesPage.objects.get(slug="memories")
Follower.objects.bulk_create(
    Follower(email=f"reader{{n:04d}}@example.com", series=series)
    for n in range({FOLLOWERS})
)
print(json.dumps({{"followers": Follower.objects.filter(series=series).count()}}))
"""

PUBLISH_STINK_BOMB = """
import json
from wagtail_series.models import SeriesPart
page = SeriesPart.objects.get(slug="stink-bomb")
page.save_revision().publish()
print(json.dumps({"live": SeriesPart.objects.get(pk=page.pk).live}))
"""

DELIVERIES = """
import json
from django.db.models import Count
from wagtail_series.contrib.followers.models import Delivery
rows = Delivery.objects.values("status").annotate(n=Count("pk"))
print(json.dumps({row["status"]: row["n"] for row in rows}))
"""


def wait_for(condition, what: str, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what} after {timeout} s")


@pytest.fixture(scope="module")
def smtp() -> Iterator[SMTPServer]:
    with SMTPServer() as server:
        yield server


@pytest.fixture(scope="module")
def env(database, smtp) -> dict[str, str]:
    env = example_site_env(
        database,
        WAGTAIL_SERIES_TASKS="db",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(smtp.port),
        WAGTAIL_SERIES_FOLLOWERS_CLAIM_TIMEOUT=CLAIM_TIMEOUT,
        WAGTAIL_SERIES_FOLLOWERS_BATCH_SIZE=BATCH_SIZE,
    )
    manage(env, "migrate", "--noinput", timeout=300)
    manage(env, "load_demo")
    return env


def worker(env: dict[str, str], worker_id: str, log) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "--worker-id",
            worker_id,
        ],
        cwd=EXAMPLE_SITE,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_worker_killed_mid_batch_still_gives_every_follower_exactly_one_email(
    env, smtp, tmp_path
):
    assert last_json_line(manage(env, "shell", "-c", CREATE_FOLLOWERS)) == {"followers": FOLLOWERS}
    # The demo's own queued work ran nowhere yet; the email of this test is all that counts.
    smtp.mailbox.messages.clear()
    # A busy server: each recipient takes a few milliseconds, so the batch takes seconds.
    smtp.mailbox.rcpt_delay = 0.01

    # Published with no worker running: the publish queues a task and returns.
    assert last_json_line(manage(env, "shell", "-c", PUBLISH_STINK_BOMB)) == {"live": True}
    assert smtp.mailbox.messages == []

    with (tmp_path / "doomed.log").open("w") as log:
        doomed = worker(env, "doomed", log)
        try:
            wait_for(lambda: len(smtp.mailbox.messages) >= 300, "300 emails from the first worker")
            doomed.send_signal(signal.SIGKILL)
            doomed.wait(timeout=10)
        finally:
            stop(doomed)
    sent_before = len(smtp.mailbox.messages)
    assert 300 <= sent_before < FOLLOWERS, "the worker was killed mid-batch"
    time.sleep(1)
    assert len(smtp.mailbox.messages) == sent_before  # nobody is sending now
    statuses = last_json_line(manage(env, "shell", "-c", DELIVERIES))
    assert statuses.get("pending", 0) == FOLLOWERS - statuses.get("sent", 0)

    smtp.mailbox.rcpt_delay = 0
    with (tmp_path / "restarted.log").open("w") as log:
        restarted = worker(env, "restarted", log)
        try:
            # cron: send_pending_notifications every so often; the dead worker's batch once its
            # claim expires.
            def all_sent() -> bool:
                manage(env, "send_pending_notifications")
                time.sleep(1)
                return last_json_line(manage(env, "shell", "-c", DELIVERIES)) == {"sent": FOLLOWERS}

            wait_for(all_sent, "every email to be sent", timeout=180)
        finally:
            stop(restarted)

    received = collections.Counter(str(message["To"]) for message in smtp.mailbox.messages)
    assert len(received) == FOLLOWERS
    assert set(received.values()) == {1}, [a for a, n in received.items() if n > 1]
    assert all("Stink Bomb" in str(m["Subject"]) for m in smtp.mailbox.messages)
