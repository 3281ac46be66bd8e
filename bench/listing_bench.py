"""Benchmark: the series listings (REST and GraphQL) vs the stock pages listing, by site size.

``make bench`` runs this; it is not part of the test suite and gates nothing. See bench/README.md.

For each database a worker process migrates, loads the demo and adds series until the site has
10, then 100, then 1,000 live series (each added one with 3 parts, the third announced as
forthcoming; written as rows). At each size it times, in process with Django's test Client
(anonymous), one page of 100 series:

- ours, REST: ``GET /api/v2/series/?limit=100`` (the default order, newest part first);
- ours, GraphQL: ``seriesList(limit: 100) { id title slug url firstPublishedAt }``;
- stock: ``GET /api/v2/pages/?type=wagtail_series.SeriesPage&limit=100``.

The three alternate. Printed per size: median, p95, queries, ratios to stock, then each side's
growth from 100 to 1,000 series (median at 1,000 / median at 100). Checked as it runs: status
codes, the number of items, and (once per size) that ours come newest part first.

    .venv/bin/python bench/listing_bench.py [--databases sqlite,postgres] [--quick]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402  (the shared harness)
    Timing,
    WorkloadError,
    add_series,
    count_queries,
    expect,
    prepare_site,
    print_header,
    run_benchmark,
    start_worker,
    time_alternating,
)

SIZES = (10, 100, 1000)
LIMIT = 100
PARTS_PER_SERIES = 3
REST_URL = f"/api/v2/series/?limit={LIMIT}"
STOCK_URL = f"/api/v2/pages/?type=wagtail_series.SeriesPage&limit={LIMIT}"
GRAPHQL = f"{{ seriesList(limit: {LIMIT}) {{ id title slug url firstPublishedAt }} }}"
TARGET_STOCK = 1.5  # issue 12: at most 1.5 x the stock listing at 1,000 series
TARGET_GROWTH = 1.2  # and at most 1.2 x their own cost at 100 series


def live_series_count() -> int:
    from wagtail_series.models import SeriesPage

    return SeriesPage.objects.live().count()


def grow_to(home: Any, total: int) -> int:
    """Add series (as rows) until the site has ``total`` live ones; return how many were added."""
    import datetime as dt

    from django.utils import timezone

    from wagtail_series import propagation

    existing = live_series_count()
    now = timezone.now()
    added = []
    for number in range(existing + 1, total + 1):
        # Distinct newest-part dates, so that the default order is one order.
        series = add_series(
            home,
            PARTS_PER_SERIES,
            f"listing-{number}",
            title=f"Listing {number}",
            publish_revision=False,
            forthcoming_every=PARTS_PER_SERIES,
            published_until=now - dt.timedelta(hours=number),
        )
        added.append(series.pk)
    # Written as rows, behind Wagtail's signals: say so, as any direct write must (this stores
    # the listing order's date, and bumps versions), once for all of them.
    propagation.series_changed(added, event="saved")
    if live_series_count() != total:
        raise WorkloadError(f"{live_series_count()} live series, not {total}")
    analyze()
    return max(total - existing, 0)


def analyze() -> None:
    """On PostgreSQL, what autovacuum does on a live site after such growth: without statistics
    the planner takes the freshly written tables for nearly empty, and reads them whole (for both
    sides: the stock listing grew 1.4x from 100 to 1,000 series that way). SQLite keeps no
    statistics unless asked, and Django never asks."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def newest_part_dates(ids: list[int]) -> list[Any]:
    """Untimed, from the page tree: each series' newest live part's first publication date."""
    from wagtail.models import Page

    dates = []
    for series in Page.objects.filter(pk__in=ids).in_bulk().values():
        newest = series.get_children().live().order_by("-first_published_at").first()
        dates.append((series.pk, newest.first_published_at if newest else None))
    by_id = dict(dates)
    return [by_id[pk] for pk in ids]


def check_order(ids: list[int], what: str) -> None:
    dates = newest_part_dates(ids)
    known = [date for date in dates if date is not None]
    if dates[: len(known)] != known or known != sorted(known, reverse=True):
        raise WorkloadError(f"{what}: not newest part first")


def bench_size(client: Any, size: int, args: argparse.Namespace) -> dict[str, Timing]:
    expected = min(size, LIMIT)

    def rest() -> list[int]:
        items = expect(client.get(REST_URL), 200, REST_URL).json()["items"]
        if len(items) != expected:
            raise WorkloadError(f"{REST_URL}: {len(items)} items, not {expected}")
        return [item["id"] for item in items]

    def graphql() -> list[int]:
        body = json.dumps({"query": GRAPHQL})
        response = client.post("/graphql/", body, content_type="application/json")
        result = expect(response, 200, "/graphql/").json()
        if result.get("errors") or len(result["data"]["seriesList"]) != expected:
            raise WorkloadError(f"seriesList: {str(result)[:300]}")
        return [int(item["id"]) for item in result["data"]["seriesList"]]

    def stock() -> None:
        items = expect(client.get(STOCK_URL), 200, STOCK_URL).json()["items"]
        if len(items) != expected:
            raise WorkloadError(f"{STOCK_URL}: {len(items)} items, not {expected}")

    check_order(rest(), REST_URL)
    check_order(graphql(), "seriesList")
    sides = {"rest": rest, "graphql": graphql, "stock": stock}
    seconds = time_alternating(sides, warmup=args.warmup, repeat=args.requests, budget=args.budget)
    timings = {
        name: Timing(name, seconds[name], count_queries(call)) for name, call in sides.items()
    }
    stock_timing = timings["stock"]
    cells = [
        f"{timings[name].median_ms:>8.2f} {timings[name].p95_ms:>7.2f} {timings[name].queries:>2}"
        for name in sides
    ]
    ratios = [
        f"{timings[name].median_ms / stock_timing.median_ms:>5.2f} "
        f"{timings[name].p95_ms / stock_timing.p95_ms:>5.2f}"
        for name in ("rest", "graphql")
    ]
    samples = len(seconds["stock"])
    print(f"{size:>6}  {'   '.join(cells)}   {'   '.join(ratios)}  {samples:>3}")
    return timings


def worker(args: argparse.Namespace) -> int:
    client, home = start_worker(
        args,
        f"Series listing, {args.worker}",
        "; in-process Django test Client, anonymous; one page of 100 series",
        prepare_site,
    )
    print(
        "Times in ms (median, p95) and queries per request; ratios to the stock listing; "
        "n: samples per side."
    )
    print_header(
        f"{'series':>6}  {'REST':>8} {'p95':>7} {'q':>2}   {'GraphQL':>8} {'p95':>7} {'q':>2}   "
        f"{'stock':>8} {'p95':>7} {'q':>2}   {'REST/stock':>11}   {'GQL/stock':>11}  {'n':>3}"
    )
    results = {}
    for size in sorted(args.sizes):
        started = time.perf_counter()
        added = grow_to(home, size)
        print(f"  ({added} series added in {time.perf_counter() - started:.0f} s)")
        results[size] = bench_size(client, size, args)
    print()
    sizes = sorted(results)
    if 100 in results and len(sizes) > 1:
        largest = sizes[-1]
        for name in ("rest", "graphql", "stock"):
            growth = results[largest][name].median_ms / results[100][name].median_ms
            print(f"growth {name:>7}, 100 -> {largest} series: {growth:.2f}x median")
    largest = sizes[-1]
    stock_median = results[largest]["stock"].median_ms
    for name, label in (("rest", "REST"), ("graphql", "GraphQL")):
        ratio = results[largest][name].median_ms / stock_median
        verdict = "meets" if ratio <= TARGET_STOCK else "MISSES"
        print(
            f"target {label} <= {TARGET_STOCK} x stock listing median at {largest} series: "
            f"{ratio:.2f} ({verdict})"
        )
        if 100 in results and largest != 100:
            growth = results[largest][name].median_ms / results[100][name].median_ms
            verdict = "meets" if growth <= TARGET_GROWTH else "MISSES"
            print(
                f"target {label} at {largest} <= {TARGET_GROWTH} x itself at 100 series: "
                f"{growth:.2f} ({verdict})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(
        run_benchmark(
            __doc__,
            worker,
            __file__,
            "wagtail_series_listbench",
            sizes=SIZES,
            requests=100,
            warmup=10,
            quick=(20, 3),
            budget=60,
        )
    )
