"""The production topology, for real: two app servers and django-tasks-db's worker processes on
one PostgreSQL database and Redis, a webhook receiver on 127.0.0.1.

- A publish through server A's admin returns with nothing sent: the web process only queued the
  work; the worker then purges and delivers.
- A worker killed (SIGKILL) in the middle of a delivery: after a restart, ``send_pending_webhooks``
  (cron) hands the abandoned delivery to the worker again, and it is sent, with the same
  delivery id (at least once).
- Two workers racing over the same deliveries (each queued twice): each is sent exactly once.
- A worker killed in the middle of a propagation task (its CDN's tag purge hanging), before it
  recorded any delivery: ``send_pending_webhooks`` finds the change no task finished and the
  restarted worker purges and notifies.

Run with ``make test-e2e``. Outside CI a missing PostgreSQL or Redis skips the tests.
"""

from __future__ import annotations

import contextlib
import dataclasses
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.conftest import REDIS_URL
from tests.e2e.test_two_app_servers import (
    PART_1,
    PART_2,
    STINK_BOMB_ID,
    Server,
    publish_through_the_admin,
    toc_links,
)
from tests.example_site_runner import (
    EXAMPLE_SITE,
    example_site_env,
    free_port,
    last_json_line,
    manage,
    runserver,
)
from tests.support import Receiver, serve

pytestmark = pytest.mark.e2e

# A claim older than this is a dead worker's: short, so the crash test is quick. Above the
# attempt's timeout, as the system check requires.
PENDING_TIMEOUT = "6"
WEBHOOK_TIMEOUT = "5"
# A change no task finished for this long is taken to be lost: short, as above.
PROPAGATION_TIMEOUT = "3"


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60) -> object:
    """Poll ``condition`` until it is true (a bounded wait, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what} after {timeout} s")


@dataclass
class Site:
    a: Server
    b: Server
    env: dict[str, str]
    database_url: str
    receiver: Receiver
    tmp: Path

    def sql(self, query: str, *params: object) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            cursor = connection.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def deliveries(self) -> list[tuple]:
        return self.sql(
            "SELECT uuid::text, status, attempts, claimed_at IS NOT NULL, payload "
            "FROM wagtail_series_webhookdelivery ORDER BY id"
        )

    def tasks(self) -> list[tuple]:
        return self.sql(
            # Wagtail queues its own tasks there too (search and reference index). The example
            # site's followers app queues its own on a part's first publish (see
            # test_followers.py): left out here.
            "SELECT task_path, status, worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE task_path LIKE 'wagtail_series.%%' "
            "AND task_path NOT LIKE 'wagtail_series.contrib.followers.%%' ORDER BY enqueued_at"
        )

    @contextlib.contextmanager
    def worker(self, worker_id: str) -> Iterator[subprocess.Popen]:
        """django-tasks-db's worker (``manage.py db_worker``), stopped (TERM) on exit."""
        command = [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "--worker-id",
            worker_id,
        ]
        log = self.tmp / f"worker-{worker_id}.log"
        with log.open("w") as log_file:
            process = subprocess.Popen(
                command, cwd=EXAMPLE_SITE, env=self.env, stdout=log_file, stderr=subprocess.STDOUT
            )
            try:
                yield process
            finally:
                if process.poll() is None:
                    process.terminate()
                    try:
                        process.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()


@pytest.fixture(scope="module")
def site(database, redis_cache, tmp_path_factory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("worker")
    receiver = Receiver()
    server = serve(receiver)
    env = example_site_env(
        database,
        REDIS_URL=REDIS_URL,
        WAGTAIL_SERIES_TASKS="db",
        WAGTAIL_SERIES_WEBHOOK_URL=receiver.url,
        WAGTAIL_SERIES_WEBHOOK_SECRET="shared-with-the-e2e-receiver",
        WAGTAIL_SERIES_WEBHOOK_TIMEOUT=WEBHOOK_TIMEOUT,
        WAGTAIL_SERIES_WEBHOOK_PENDING_TIMEOUT=PENDING_TIMEOUT,
    )
    manage(env, "migrate", "--noinput", timeout=300)
    manage(env, "load_demo")
    # One series per part here: each change is one webhook, as these tests count them (the
    # demo's "Best of Otomo" links Stink Bomb too; linked parts: tests/propagation).
    manage(env, "shell", "-c", WITHOUT_LINKED_SERIES)
    try:
        with contextlib.ExitStack() as stack:
            running = []
            for name in ("A", "B"):
                port = free_port()
                base_url = f"http://127.0.0.1:{port}"
                log = tmp / f"runserver-{name}.log"
                server_env = {**env, "WAGTAILADMIN_BASE_URL": base_url}
                process = stack.enter_context(runserver(server_env, port, log))
                running.append(Server(name, base_url, process, log))
            site = Site(running[0], running[1], env, database, receiver, tmp)
            # load_demo's own changes queued work: the worker runs it, then the tests start.
            with site.worker("setup"):
                wait_for(
                    lambda: all(status == "SUCCESSFUL" for _, status, _ in site.tasks()),
                    "the demo's queued work",
                )
            receiver.received.clear()
            site.sql("DELETE FROM wagtail_series_webhookdelivery")
            site.sql("DELETE FROM django_tasks_database_dbtaskresult")
            yield site
    finally:
        server.shutdown()
        server.server_close()


def test_a_publish_returns_before_anything_is_sent_and_the_worker_sends_it(site):
    stink = last_json_line(manage(site.env, "shell", "-c", STINK_BOMB_ID))
    assert stink["live"] is False

    # No worker is running: the publish must not depend on one.
    publish_through_the_admin(site.a, stink["id"])
    assert last_json_line(manage(site.env, "shell", "-c", STINK_BOMB_ID))["live"] is True
    # Server B shows it at once (the database is shared)...
    assert site.b.get(PART_1)[0] == 200
    assert toc_links(site.b.get(PART_1)[1])["Stink Bomb"] == PART_2
    # ...but the web process sent nothing and recorded no delivery: it queued one task.
    assert site.receiver.received == []
    assert site.deliveries() == []
    assert site.tasks() == [
        ("wagtail_series.propagation.tasks.propagate_changes", "READY", []),
    ]

    with site.worker("w1"):
        wait_for(lambda: site.receiver.received, "the webhook")
        wait_for(lambda: site.deliveries()[0][1] == "succeeded", "the delivery recorded")
    (request,) = site.receiver.received
    assert request.json["event"] == "published"
    assert request.json["part"]["id"] == stink["id"]
    ((delivery_id, status, attempts, claimed, _),) = site.deliveries()
    assert (status, attempts, claimed) == ("succeeded", 1, False)
    assert request.headers["X-Wagtail-Series-Delivery"] == delivery_id
    # Both tasks ran on the worker.
    assert sorted((path.rsplit(".", 1)[1], status, ids) for path, status, ids in site.tasks()) == [
        ("deliver_webhook", "SUCCESSFUL", ["w1"]),
        ("propagate_changes", "SUCCESSFUL", ["w1"]),
    ]


WITHOUT_LINKED_SERIES = """
from wagtail_series.models import SeriesPage
SeriesPage.objects.get(slug="best-of-otomo").delete()
"""


UNPUBLISH_STINK_BOMB = """
from wagtail_series.models import SeriesPart
SeriesPart.objects.get(slug="stink-bomb").unpublish()
"""


def test_a_worker_killed_mid_delivery_leads_to_the_delivery_being_sent_after_restart(site):
    site.receiver.received.clear()
    site.sql("DELETE FROM wagtail_series_webhookdelivery")
    site.sql("DELETE FROM django_tasks_database_dbtaskresult")
    gate = threading.Event()
    site.receiver.script = [("wait", gate)]  # the first request hangs

    with site.worker("doomed") as doomed:
        manage(site.env, "shell", "-c", UNPUBLISH_STINK_BOMB)
        wait_for(lambda: site.receiver.received, "the first attempt to reach the receiver")
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
    gate.set()
    ((delivery_id, status, attempts, claimed, _),) = site.deliveries()
    # Claimed by a worker that is gone, its attempt never recorded.
    assert (status, attempts, claimed) == ("pending", 0, True)
    assert site.receiver.received[0].headers["X-Wagtail-Series-Delivery"] == delivery_id
    # django-tasks-db never runs a task again whose worker died: it stays RUNNING.
    assert ("wagtail_series.propagation.tasks.deliver_webhook", "RUNNING", ["doomed"]) in (
        site.tasks()
    )

    with site.worker("restarted"):
        # cron: send_pending_webhooks, every so often; it sends it once the claim is stale.
        def sent_again() -> bool:
            manage(site.env, "send_pending_webhooks")
            return len(site.receiver.received) == 2

        wait_for(sent_again, "the delivery to be sent again", timeout=90)
        wait_for(lambda: site.deliveries()[0][1] == "succeeded", "the delivery recorded")
    first, second = site.receiver.received
    # The same delivery, twice (at least once): the id lets the receiver drop the duplicate.
    assert first.body == second.body
    assert second.headers["X-Wagtail-Series-Delivery"] == delivery_id
    assert second.json["event"] == "unpublished"
    assert site.deliveries()[0][1:4] == ("succeeded", 1, False)


ENQUEUE_TWICE = """
from wagtail_series.models import WebhookDelivery
from wagtail_series.propagation.tasks import deliver_webhook, enqueue
url = {url!r}
for n in range({count}):
    delivery = WebhookDelivery.objects.create(
        endpoint_url=url, event="published", series_id=1, payload={{"n": n}}
    )
    # Twice, as when cron's send_pending_webhooks queues one the worker is about to send.
    enqueue(deliver_webhook, delivery.pk)
    enqueue(deliver_webhook, delivery.pk)
"""


def test_two_workers_send_each_delivery_exactly_once(site):
    count = 30
    site.receiver.received.clear()
    site.sql("DELETE FROM wagtail_series_webhookdelivery")
    site.sql("DELETE FROM django_tasks_database_dbtaskresult")
    # Each answer takes a moment, so the two workers' attempts overlap.
    site.receiver.script = [("sleep", 0.2)] * (2 * count)
    manage(site.env, "shell", "-c", ENQUEUE_TWICE.format(url=site.receiver.url, count=count))
    with site.worker("left"), site.worker("right"):
        wait_for(
            lambda: all(status == "SUCCESSFUL" for _, status, _ in site.tasks()),
            "every queued task",
            timeout=120,
        )
    sent = sorted(request.json["n"] for request in site.receiver.received)
    assert sent == list(range(count))
    assert {status for _, status, _, _, _ in site.deliveries()} == {"succeeded"}
    # Both workers took part.
    workers = {ids[0] for _, _, ids in site.tasks()}
    assert workers == {"left", "right"}, workers


PUBLISH_STINK_BOMB = """
from wagtail_series.models import SeriesPart
page = SeriesPart.objects.get(slug="stink-bomb")
page.save_revision().publish()
"""


def test_a_worker_killed_mid_propagation_leads_to_the_change_being_propagated_after_restart(
    site,
):
    site.receiver.received.clear()
    site.sql("DELETE FROM wagtail_series_webhookdelivery")
    site.sql("DELETE FROM django_tasks_database_dbtaskresult")
    gate = threading.Event()
    site.receiver.script = [("wait", gate)]  # the first request (the CDN purge) hangs
    env = {
        **site.env,
        "WAGTAIL_SERIES_PURGE_URL": site.receiver.url,
        "WAGTAIL_SERIES_PROPAGATION_TIMEOUT": PROPAGATION_TIMEOUT,
    }
    crashed = dataclasses.replace(site, env=env)
    with crashed.worker("doomed") as doomed:
        manage(env, "shell", "-c", PUBLISH_STINK_BOMB)
        wait_for(lambda: site.receiver.received, "the purge to reach the CDN")
        assert site.receiver.received[0].method == "PURGE"
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
    gate.set()
    # Killed before it recorded anything: no delivery, the task stuck RUNNING for ever.
    assert site.deliveries() == []
    assert ("wagtail_series.propagation.tasks.propagate_changes", "RUNNING", ["doomed"]) in (
        site.tasks()
    )

    with crashed.worker("restarted"):
        # cron: send_pending_webhooks finds the change no task finished, once it is old enough.
        def notified() -> bool:
            manage(env, "send_pending_webhooks")
            return any(r.method == "POST" for r in site.receiver.received)

        wait_for(notified, "the lost change to be propagated", timeout=90)
        wait_for(lambda: site.deliveries()[0][1] == "succeeded", "the delivery recorded")
    purges = [r for r in site.receiver.received if r.method == "PURGE"]
    (webhook,) = [r for r in site.receiver.received if r.method == "POST"]
    assert len(purges) >= 2  # the lost attempt, and the recovered one
    assert webhook.json["event"] == "updated"
    assert PART_2 in webhook.json["paths"]
    # Recovered once: later runs find nothing.
    manage(env, "send_pending_webhooks")
    assert len([r for r in site.receiver.received if r.method == "POST"]) == 1
