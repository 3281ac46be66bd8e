"""Benchmark: a whole series from our GraphQL ``series`` query vs grapple's generic page query.

``make bench-graphql`` (and ``make bench``) runs this; it is not part of the test suite and
gates nothing. It uses the shared harness (``bench/harness.py``) and the REST benchmark's
seeding: the same series of 10, 50 and 300 parts (every fourth one forthcoming), the same
in-process Django test Client, alternating timings, medians and 95th percentiles. See
bench/README.md.

The queries go to the example site's ``/graphql/`` (SeriesGraphQLView, the same schema):

- ours: ``series(id:) { ... parts { id position label title status url firstPublishedAt
  page { ... on SeriesPart { intro } } } }``: every part in order, forthcoming ones as
  placeholders, numbered, with the same fields as the generic query and the part's intro;
- ours, TOC: the same without ``page``, with the teaser and expected date instead: what a table
  of contents needs;
- grapple's generic query for the same data: ``page(id:) { ... children(limit: <n>) { id title
  url firstPublishedAt ... on SeriesPart { intro } } }``, with grapple's MAX_PAGE_SIZE raised to
  the series length so nothing is cut (its default, 100, would cut silently). It can only list
  the published parts, unnumbered.

    .venv/bin/python bench/graphql_bench.py [--databases sqlite,postgres] [--requests 200]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_bench import SIZES, seed  # noqa: E402  (the same seeded series)
from bench.harness import (  # noqa: E402  (the shared harness)
    FORTHCOMING_EVERY,
    Timing,
    WorkloadError,
    count_queries,
    expect,
    run_benchmark,
    start_worker,
    time_alternating,
)

OURS = """
query Ours($id: ID) {
  series(id: $id) {
    id title description partsTotal partsTruncated
    parts {
      id position label title status url firstPublishedAt
      page { ... on SeriesPart { intro } }
    }
  }
}
"""

TOC = """
query Toc($id: ID) {
  series(id: $id) {
    id title description partsTotal partsTruncated
    parts { id position label title status url teaser expectedDate firstPublishedAt }
  }
}
"""

GENERIC = """
query Generic($id: ID, $limit: PositiveInt) {
  page(id: $id) {
    id title
    ... on SeriesPage { description }
    children(limit: $limit) { id title url firstPublishedAt ... on SeriesPart { intro } }
  }
}
"""


def graphql(client: Any, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps({"query": query, "variables": variables})
    response = expect(
        client.post("/graphql/", body, content_type="application/json"), 200, "/graphql/"
    )
    result = response.json()
    if result.get("errors"):
        raise WorkloadError(f"/graphql/: {result['errors']}")
    return result["data"]


def bench_series(client: Any, series: Any, size: int, args: argparse.Namespace) -> list[float]:
    """Time ours and ours-TOC against grapple's generic query for one series; print a row;
    return the median ratios."""
    published = size - size // FORTHCOMING_EVERY

    def ours() -> None:
        data = graphql(client, OURS, {"id": series.pk})["series"]
        if len(data["parts"]) != size or data["partsTruncated"]:
            raise WorkloadError(f"ours: {len(data['parts'])} parts, not {size}")
        if sum(1 for part in data["parts"] if part["page"]) != published:
            raise WorkloadError("ours: not every published part has its page")

    def toc() -> None:
        data = graphql(client, TOC, {"id": series.pk})["series"]
        if len(data["parts"]) != size or data["partsTruncated"]:
            raise WorkloadError(f"toc: {len(data['parts'])} parts, not {size}")

    def generic() -> None:
        data = graphql(client, GENERIC, {"id": series.pk, "limit": size})["page"]
        # grapple lists live, public children only: the forthcoming parts cannot be had at all.
        if len(data["children"]) != published:
            raise WorkloadError(f"generic: {len(data['children'])} children, not {published}")

    sides = {"ours": ours, "toc": toc, "generic": generic}
    seconds = time_alternating(sides, warmup=args.warmup, repeat=args.requests)
    timings = {
        name: Timing(name, seconds[name], count_queries(call)) for name, call in sides.items()
    }
    base = timings["generic"]
    cells = []
    for name in ("ours", "toc", "generic"):
        timing = timings[name]
        cells.append(f"{timing.median_ms:>8.2f} {timing.p95_ms:>7.2f} {timing.queries:>2}")
    ratios = [timings[name].median_ms / base.median_ms for name in ("ours", "toc")]
    ratios_p95 = [timings[name].p95_ms / base.p95_ms for name in ("ours", "toc")]
    print(
        f"{size:>5}  {'   '.join(cells)}   "
        f"{ratios[0]:>5.2f} {ratios_p95[0]:>5.2f}   {ratios[1]:>5.2f} {ratios_p95[1]:>5.2f}  "
        f"{f'ours {size}, generic {published}':>20}"
    )
    return ratios


def worker(args: argparse.Namespace) -> int:
    client, series_by_size = start_worker(
        args,
        f"GraphQL, {args.worker}",
        f", wagtail-grapple {_version('wagtail-grapple')}; in-process Django test Client, "
        "POST /graphql/",
        lambda: seed(args.sizes),
    )
    from django.conf import settings
    from django.test import override_settings

    print("Times in ms (median, p95) and queries per request; ratios to the generic query.")
    header = (
        f"{'parts':>5}  {'ours':>8} {'p95':>7} {'q':>2}   {'ours TOC':>8} {'p95':>7} {'q':>2}   "
        f"{'generic':>8} {'p95':>7} {'q':>2}   {'ours/gen':>11}   {'TOC/gen':>11}  "
        f"{'parts in answers':>20}"
    )
    print(header)
    print("-" * len(header))
    # grapple cuts any list at MAX_PAGE_SIZE (default 100) whatever `limit` asks: raise it.
    grapple_settings = {**getattr(settings, "GRAPPLE", {}), "MAX_PAGE_SIZE": max(args.sizes)}
    with override_settings(GRAPPLE=grapple_settings):
        ratios = [
            bench_series(client, series, size, args) for size, series in series_by_size.items()
        ]
    print()
    for size, (ours, toc) in zip(series_by_size, ratios, strict=True):
        for label, ratio in (("ours", ours), ("ours TOC", toc)):
            verdict = "meets" if ratio <= 1 else "MISSES"
            print(
                f"target {label} <= grapple's generic query median, {size:>3} parts: "
                f"{ratio:.2f} ({verdict})"
            )
    return 0


def _version(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)


if __name__ == "__main__":
    sys.exit(run_benchmark(__doc__, worker, __file__, "wagtail_series_gqlbench", sizes=SIZES))
