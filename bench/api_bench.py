"""Benchmark: a whole series from the series endpoint vs the stock Wagtail API v2 requests.

``make bench`` runs this; it is not part of the test suite and gates nothing. See bench/README.md.

For each database (a temporary SQLite file; a throwaway PostgreSQL database created on
127.0.0.1:5432 and dropped afterwards) a worker process migrates, seeds series of 10, 50 and 300
parts (every fourth one announced as forthcoming, the others published) and times, in process
with Django's test Client (the full middleware stack, no HTTP server or network):

- ours: ``GET /api/v2/series/<id>/``;
- the stock pair a frontend needs for the same series: ``GET /api/v2/pages/<id>/`` then
  ``GET /api/v2/pages/?child_of=<id>&type=wagtail_series.SeriesPart&fields=title,intro&limit=<n>``;
- a conditional ``GET /api/v2/series/<id>/`` answered 304, vs a view returning "ok".

The requests alternate (ours, stock, ours, ...) so that drift affects both sides alike. Medians,
95th percentiles, ratios and queries per request are printed. The workload is checked as it runs:
status codes, and the number of parts each response carries.

    .venv/bin/python bench/api_bench.py [--databases sqlite,postgres] [--requests 200]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10, 50, 300)
FORTHCOMING_EVERY = 4
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"
STOCK_FIELDS = "title,intro"


class WorkloadError(AssertionError):
    """A response was not what the benchmark meant to time."""


# --- The parent process: one worker per database ---------------------------------------------


def run_worker(database: str, url: str, args: argparse.Namespace, script: str) -> int:
    """Run ``script --worker <database>`` in a process of its own, on the database at ``url``."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [
        *(sys.executable, script, "--worker", database),
        *("--requests", str(args.requests), "--warmup", str(args.warmup)),
        *("--sizes", ",".join(map(str, args.sizes))),
    ]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def with_postgres(args: argparse.Namespace, script: str, prefix: str) -> int:
    """Create a throwaway database, run the worker on it, drop it whatever happens."""
    import psycopg
    from psycopg import sql

    admin_url = os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL)
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        print(f"PostgreSQL is unreachable at {admin_url}: {error}", file=sys.stderr)
        return 1
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            url = admin_url.rsplit("/", 1)[0] + "/" + name
            return run_worker("postgres", url, args, script)
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def run_benchmark(
    doc: str, worker: Callable[[argparse.Namespace], int], script: str, prefix: str
) -> int:
    """The command line of a benchmark script: a worker per database, or (--worker) be one.

    ``prefix`` names its throwaway databases and temporary folders.
    """
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per figure")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    parser.add_argument(
        "--sizes",
        type=lambda value: tuple(int(n) for n in value.split(",")),
        default=SIZES,
        help="series lengths, comma-separated (default 10,50,300)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    failures = 0
    for database in args.databases.split(","):
        if database == "sqlite":
            with TemporaryDirectory(prefix=prefix.replace("_", "-") + "-") as tmp:
                url = f"sqlite:///{tmp}/bench.sqlite3"
                failures += run_worker("sqlite", url, args, script) != 0
        elif database == "postgres":
            failures += with_postgres(args, script, prefix) != 0
        else:
            parser.error(f"unknown database {database!r}")
    return 1 if failures else 0


# --- The worker: seed, time, print --------------------------------------------------------------


@dataclass
class Timing:
    label: str
    seconds: list[float]
    queries: int

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.seconds, n=20, method="inclusive")[18] * 1000


def seed(sizes: tuple[int, ...]) -> dict[int, Any]:
    """One series per size under the demo's home page; parts written as rows (fast)."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from wagtail_series.models import SeriesPage, SeriesPart

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0)
    from example_site.home.models import HomePage

    home = HomePage.objects.get()
    series_by_size = {}
    for size in sizes:
        series = SeriesPage(
            title=f"Bench {size}",
            slug=f"bench-{size}",
            description=f"<p>A series of {size} parts.</p>",
            planned_parts=size,
            live=False,
        )
        home.add_child(instance=series)
        series.save_revision().publish()
        series = SeriesPage.objects.get(pk=series.pk)
        start = timezone.now() - dt.timedelta(days=size)
        for number in range(1, size + 1):
            if number % FORTHCOMING_EVERY == 0:
                part = SeriesPart(
                    title=f"Part {number}",
                    slug=f"part-{number}",
                    forthcoming_teaser=f"Part {number} is coming.",
                    expected_date=timezone.localdate() + dt.timedelta(days=number),
                    live=False,
                )
            else:
                published = start + dt.timedelta(days=number)
                part = SeriesPart(
                    title=f"Part {number}",
                    slug=f"part-{number}",
                    intro=f"The intro of part {number}.",
                    live=True,
                    first_published_at=published,
                    last_published_at=published,
                )
            series.add_child(instance=part)
        series_by_size[size] = series
    return series_by_size


def expect(response: Any, status: int, what: str) -> Any:
    if response.status_code != status:
        raise WorkloadError(
            f"{what}: {response.status_code}, not {status}: {response.content[:300]!r}"
        )
    return response


def count_queries(request: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        request()
    return len(queries)


def time_alternating(
    requests: dict[str, Callable[[], Any]], *, warmup: int, repeat: int
) -> dict[str, list[float]]:
    """Time each callable ``repeat`` times, taking turns, after ``warmup`` untimed rounds."""
    for _ in range(warmup):
        for request in requests.values():
            request()
    seconds: dict[str, list[float]] = {label: [] for label in requests}
    labels = list(requests)
    for round_ in range(repeat):
        # Alternate which side goes first, so neither always runs on a warmer cache.
        for label in labels if round_ % 2 == 0 else reversed(labels):
            start = time.perf_counter()
            requests[label]()
            seconds[label].append(time.perf_counter() - start)
    return seconds


def bench_series(client: Any, series: Any, size: int, args: argparse.Namespace) -> float:
    """Time ours against the stock pair for one series; print a row; return the median ratio."""
    forthcoming = size // FORTHCOMING_EVERY
    published = size - forthcoming
    detail_url = f"/api/v2/series/{series.pk}/"
    page_url = f"/api/v2/pages/{series.pk}/"
    listing_url = (
        f"/api/v2/pages/?child_of={series.pk}&type=wagtail_series.SeriesPart"
        f"&fields={STOCK_FIELDS}&limit={size}"
    )

    def ours() -> None:
        data = expect(client.get(detail_url), 200, detail_url).json()
        if len(data["parts"]) != size or data["meta"]["parts_truncated"]:
            raise WorkloadError(f"{detail_url}: {len(data['parts'])} parts, not {size}")

    def stock_page() -> None:
        expect(client.get(page_url), 200, page_url)

    def stock_listing() -> None:
        items = expect(client.get(listing_url), 200, listing_url).json()["items"]
        # Stock API v2 lists live pages only: the forthcoming parts cannot be had at all.
        if len(items) != published:
            raise WorkloadError(f"{listing_url}: {len(items)} items, not {published}")

    def stock() -> None:
        stock_page()
        stock_listing()

    seconds = time_alternating(
        {"ours": ours, "stock": stock}, warmup=args.warmup, repeat=args.requests
    )
    # Counted warm, as timed: the site's root paths and content types are cached by then.
    queries_ours = count_queries(ours)
    queries_page, queries_listing = count_queries(stock_page), count_queries(stock_listing)
    ours_timing = Timing("ours", seconds["ours"], queries_ours)
    stock_timing = Timing("stock", seconds["stock"], queries_page + queries_listing)
    ratio = ours_timing.median_ms / stock_timing.median_ms
    ratio_p95 = ours_timing.p95_ms / stock_timing.p95_ms
    print(
        f"{size:>5}  {ours_timing.median_ms:>8.2f} ms {ours_timing.p95_ms:>7.2f} "
        f"{queries_ours:>2}  {stock_timing.median_ms:>14.2f} ms {stock_timing.p95_ms:>7.2f} "
        f"{queries_page:>1}+{queries_listing:<2}  {ratio:>17.2f} {ratio_p95:>5.2f}  "
        f"{f'ours {size}, stock {published}':>18}"
    )
    return ratio


def database_label() -> str:
    """The worker's database and its server version, for the figures' heading."""
    from django.db import connection

    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.server_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    return f"SQLite {connection.Database.sqlite_version} (temporary file)"


def start_worker(args: argparse.Namespace, title: str, setup: str) -> tuple[Any, dict[int, Any]]:
    """Set Django up, seed the series and print the run's heading: what ran it and how.

    ``title`` opens the heading; ``setup`` says what else ran and how requests were made.
    Returns a test ``Client`` and the seeded series by size.
    """
    import django

    django.setup()
    import wagtail
    from django.test import Client

    started = time.perf_counter()
    series_by_size = seed(args.sizes)
    seeded_in = time.perf_counter() - started
    print()
    print(f"== {title}: {database_label()} ==")
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"Wagtail {wagtail.__version__}{setup}; {args.requests} timed requests per figure after "
        f"{args.warmup} warm-up rounds; seeded in {seeded_in:.0f} s"
    )
    print()
    return Client(), series_by_size


def worker(args: argparse.Namespace) -> int:
    client, series_by_size = start_worker(args, args.worker, "; in-process Django test Client")
    header = (
        f"{'parts':>5}  {'ours median':>11} {'p95':>7} {'q':>2}  "
        f"{'stock pair median':>17} {'p95':>7} {'q':>4}  {'ours/stock median':>17} {'p95':>5}  "
        f"{'parts in responses':>18}"
    )
    print(header)
    print("-" * len(header))

    ratios = [bench_series(client, series, size, args) for size, series in series_by_size.items()]

    # 304: a conditional request for the longest series vs the trivial view.
    longest = series_by_size[max(series_by_size)]
    detail_url = f"/api/v2/series/{longest.pk}/"
    etag = expect(client.get(detail_url), 200, detail_url)["ETag"]

    def not_modified() -> None:
        response = expect(client.get(detail_url, HTTP_IF_NONE_MATCH=etag), 304, detail_url)
        if response.content:
            raise WorkloadError("a 304 with a body")

    def trivial() -> None:
        expect(client.get("/bench/trivial/"), 200, "/bench/trivial/")

    seconds = time_alternating(
        {"304": not_modified, "trivial": trivial}, warmup=args.warmup, repeat=args.requests
    )
    queries_304 = count_queries(not_modified)
    queries_trivial = count_queries(trivial)
    timing_304 = Timing("304", seconds["304"], queries_304)
    timing_trivial = Timing("trivial", seconds["trivial"], queries_trivial)
    ratio_304 = timing_304.median_ms / timing_trivial.median_ms
    print()
    print(
        f"304 for /api/v2/series/<{max(series_by_size)} parts>/ with If-None-Match: "
        f"median {timing_304.median_ms:.3f} ms, p95 {timing_304.p95_ms:.3f} ms, "
        f"{queries_304} queries"
    )
    print(
        f"trivial view (HttpResponse('ok')):                 "
        f"median {timing_trivial.median_ms:.3f} ms, p95 {timing_trivial.p95_ms:.3f} ms, "
        f"{queries_trivial} queries"
    )
    ratio_304_p95 = timing_304.p95_ms / timing_trivial.p95_ms
    print(f"304 / trivial view: {ratio_304:.2f}x median, {ratio_304_p95:.2f}x p95")
    print()
    for size, ratio in zip(series_by_size, ratios, strict=True):
        verdict = "meets" if ratio <= 0.5 else "MISSES"
        print(f"target ours <= 0.5 x stock pair median, {size:>3} parts: {ratio:.2f} ({verdict})")
    verdict = "meets" if ratio_304 <= 2 else "MISSES"
    print(f"target 304 <= 2 x trivial view median: {ratio_304:.2f} ({verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(run_benchmark(__doc__, worker, __file__, "wagtail_series_bench"))
