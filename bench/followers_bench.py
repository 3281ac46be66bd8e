"""Benchmark: follower emails at scale, and what followers cost an editor's publish.

``make bench`` runs this; it is not part of the test suite and gates nothing. See bench/README.md.

For each database a worker process starts an SMTP server on 127.0.0.1 (bench/smtp_sink.py, its
own process, counting what it accepts), points Django's SMTP backend at it, migrates, seeds two
series of 20 parts, one with no follower and one with N confirmed followers (``--sizes``,
default 10,000), and then:

1. **Publish**: times, in process with Django's test Client logged in as a superuser, the POST
   of the admin's edit view with ``action-publish`` for a never-published part of each series
   (the sides alternate; ``DatabaseBackend`` as in production: the request only queues a task).
   Printed: medians, p95s and the ratio N followers / none: followers must not cost the publish.
2. **Sending**: publishes a part of the followed series, then runs what the worker runs
   (``tasks.plan``: the notification and N delivery rows; ``tasks.deliver``: render, hand over
   to the SMTP server, record) and prints the time per 1,000 emails, checking that the server
   accepted N messages and every delivery is recorded as sent. A second part is sent the same
   way under ``tracemalloc`` for the peak memory (tracemalloc slows Python down, so its time is
   not the one reported).

    .venv/bin/python bench/followers_bench.py [--databases sqlite,postgres] [--quick]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402  (the shared harness)
    Timing,
    WorkloadError,
    add_series,
    prepare_site,
    print_header,
    ratios,
    run_benchmark,
    start_worker,
    time_alternating,
)
from bench.publish_bench import make_fresh, publish, publish_form  # noqa: E402

SIZES = (10_000,)


class Sink:
    """bench/smtp_sink.py in its own process."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "smtp_sink.py"), str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise WorkloadError("the SMTP sink did not start")

    def count(self) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=10)


def seed(followers: int) -> dict[str, Any]:
    from wagtail_series.contrib.followers.models import Follower
    from wagtail_series.models import SeriesPart

    home = prepare_site()
    quiet = add_series(home, 20, "no-followers", title="No followers")
    followed = add_series(home, 20, "followed", title="Followed")
    Follower.objects.bulk_create(
        (Follower(email=f"reader{n:05d}@example.com", series=followed) for n in range(followers)),
        batch_size=2000,
    )

    def announced(series: Any) -> list[Any]:
        return list(SeriesPart.objects.child_of(series).filter(live=False).order_by("path"))

    return {"quiet": announced(quiet), "followed": announced(followed), "followers": followers}


def bench_publish(client: Any, seeded: dict[str, Any], args: argparse.Namespace) -> float:
    sides = {
        "none": publish_form(client, seeded["quiet"][0]),
        "followed": publish_form(client, seeded["followed"][0]),
    }
    seconds = time_alternating(
        {label: (lambda side=side: publish(client, side)) for label, side in sides.items()},
        warmup=args.warmup,
        repeat=args.requests,
        between=lambda label: make_fresh(sides[label]),
        budget=args.budget,
    )
    none = Timing("none", seconds["none"], 0)
    followed = Timing("followed", seconds["followed"], 0)
    ratio, ratio_p95 = ratios(followed, none)
    print_header(
        f"{'followers':>9}  {'publish':>8} {'p95':>8}  {'none':>8} {'p95':>8}  "
        f"{'ratio':>6} {'p95':>5}  {'n':>3}"
    )
    print(
        f"{seeded['followers']:>9}  {followed.median_ms:>8.1f} {followed.p95_ms:>8.1f}  "
        f"{none.median_ms:>8.1f} {none.p95_ms:>8.1f}  {ratio:>6.2f} {ratio_p95:>5.2f}  "
        f"{len(seconds['none']):>3}"
    )
    for side in sides.values():
        make_fresh(side)
    return ratio


def send_part(part: Any, sink: Sink, expected: int, *, trace: bool) -> tuple[float, float, float]:
    """Publish ``part`` and run the worker's tasks; (plan s, deliver s, peak MiB or 0)."""
    from wagtail_series.contrib.followers import tasks
    from wagtail_series.contrib.followers.models import Delivery
    from wagtail_series.models import SeriesPart

    page = SeriesPart.objects.get(pk=part.pk)
    revision = page.save_revision()
    revision.publish()
    before = sink.count()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    notification = tasks.plan(page.pk, revision.pk)
    planned = time.perf_counter()
    if notification is None:
        raise WorkloadError(f"{page}: nothing planned")
    sent = tasks.deliver(notification.pk)
    done = time.perf_counter()
    peak = 0.0
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    received = sink.count() - before
    recorded = Delivery.objects.filter(notification=notification, status="sent").count()
    if not (sent == received == recorded == expected):
        raise WorkloadError(
            f"sent {sent}, the server received {received}, {recorded} recorded; not {expected}"
        )
    return planned - started, done - planned, peak


def worker(args: argparse.Namespace) -> int:
    sink = Sink()
    os.environ["DJANGO_EMAIL_HOST"] = "127.0.0.1"
    os.environ["DJANGO_EMAIL_PORT"] = str(sink.port)
    os.environ["BENCH_TASK_BACKEND"] = "django_tasks_db.DatabaseBackend"
    try:
        return run(args, sink)
    finally:
        sink.close()


def run(args: argparse.Namespace, sink: Sink) -> int:
    followers = args.sizes[0]
    client, seeded = start_worker(
        args,
        f"Followers, {args.worker}",
        f"; {followers} followers; SMTP server bench/smtp_sink.py on 127.0.0.1:{sink.port}; "
        "publish: in-process test Client, admin edit view, django-tasks-db (queued, not run)",
        lambda: seed(followers),
    )
    from django.contrib.auth import get_user_model
    from django.db import connection

    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")
    client.force_login(user)
    print("1. An editor's publish (ms), a part of a series with N followers vs none")
    ratio = bench_publish(client, seeded, args)
    print()
    print("2. The worker: plan and send one part's emails")
    plan_s, deliver_s, _ = send_part(seeded["followed"][1], sink, followers, trace=False)
    _, _, peak = send_part(seeded["followed"][2], sink, followers, trace=True)
    per_1000 = deliver_s / followers * 1000
    print_header(
        f"{'emails':>7}  {'plan s':>7}  {'send s':>7}  {'s per 1,000':>11}  "
        f"{'emails/s':>8}  {'peak MiB':>8}"
    )
    print(
        f"{followers:>7}  {plan_s:>7.2f}  {deliver_s:>7.2f}  {per_1000:>11.2f}  "
        f"{followers / deliver_s:>8.0f}  {peak:>8.1f}"
    )
    print()
    print(
        f"publish with {followers} followers / with none (median): {ratio:.2f} "
        f"({'unchanged' if ratio <= 1.2 else 'SLOWER'}); {connection.vendor}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(
        run_benchmark(
            __doc__,
            worker,
            __file__,
            "wagtail_series_followbench",
            sizes=SIZES,
            requests=20,
            warmup=2,
            quick=(6, 1),
            budget=60,
        )
    )
