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
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402  (the shared harness)
    FORTHCOMING_EVERY,
    Timing,
    WorkloadError,
    add_series,
    count_queries,
    expect,
    prepare_site,
    run_benchmark,
    start_worker,
    time_alternating,
)

SIZES = (10, 50, 300)
STOCK_FIELDS = "title,intro"


def seed(sizes: tuple[int, ...]) -> dict[int, Any]:
    """One series per size under the demo's home page (every fourth part forthcoming)."""
    home = prepare_site()
    return {size: add_series(home, size, f"bench-{size}", title=f"Bench {size}") for size in sizes}


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


def worker(args: argparse.Namespace) -> int:
    client, series_by_size = start_worker(
        args, args.worker, "; in-process Django test Client", lambda: seed(args.sizes)
    )
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
    sys.exit(run_benchmark(__doc__, worker, __file__, "wagtail_series_bench", sizes=SIZES))
