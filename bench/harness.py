"""What every benchmark in bench/ shares: the command line, one worker process per database,
seeding, interleaved timing, medians and 95th percentiles.

A benchmark script calls ``run_benchmark(__doc__, worker, __file__, prefix, ...)``. In the
parent process that runs the script again as a worker for each database (a temporary SQLite
file; a throwaway PostgreSQL database, dropped afterwards), forwarding its own arguments; in a
worker (``--worker <database>``) it calls ``worker(args)``, which sets Django up
(``start_worker``), seeds, times and prints. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# Every FORTHCOMING_EVERY-th seeded part is announced as forthcoming; the others are live.
FORTHCOMING_EVERY = 4


class WorkloadError(AssertionError):
    """A response was not what the benchmark meant to time."""


# --- The parent process: one worker per database ---------------------------------------------


def run_worker(database: str, url: str, script: str) -> int:
    """Run ``script`` with the parent's arguments plus ``--worker <database>``, on ``url``."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, script, *sys.argv[1:], "--worker", database]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def with_postgres(script: str, prefix: str) -> int:
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
            return run_worker("postgres", url, script)
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def sizes_argument(value: str) -> tuple[int, ...]:
    return tuple(int(n) for n in value.split(","))


def run_benchmark(
    doc: str,
    worker: Callable[[argparse.Namespace], int],
    script: str,
    prefix: str,
    *,
    sizes: Sequence[int],
    requests: int = 200,
    warmup: int = 20,
    quick: tuple[int, int] = (40, 5),
    budget: float | None = None,
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
) -> int:
    """The command line of a benchmark script: a worker per database, or (--worker) be one.

    ``prefix`` names its throwaway databases and temporary folders. ``requests`` and ``warmup``
    are the defaults of ``--requests`` and ``--warmup``; ``quick`` replaces them under
    ``--quick`` (unless given explicitly). ``budget`` is the default of ``--budget``: the
    seconds after which one figure stops early (see ``time_alternating``). ``add_arguments``
    adds the script's own options.
    """
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument(
        "--requests", type=int, help=f"timed samples per figure (default {requests})"
    )
    parser.add_argument("--warmup", type=int, help=f"untimed rounds first (default {warmup})")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"fewer samples: {quick[0]} timed after {quick[1]} warm-up rounds",
    )
    parser.add_argument(
        "--sizes",
        type=sizes_argument,
        default=tuple(sizes),
        help=f"sizes, comma-separated (default {','.join(map(str, sizes))})",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=budget,
        help="seconds after which a figure stops early, with fewer samples "
        f"(default {budget or 'none'})",
    )
    if add_arguments:
        add_arguments(parser)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    default_requests, default_warmup = quick if args.quick else (requests, warmup)
    args.requests = default_requests if args.requests is None else args.requests
    args.warmup = default_warmup if args.warmup is None else args.warmup
    if args.worker:
        return worker(args)

    failures = 0
    for database in args.databases.split(","):
        if database == "sqlite":
            with TemporaryDirectory(prefix=prefix.replace("_", "-") + "-") as tmp:
                url = f"sqlite:///{tmp}/bench.sqlite3"
                failures += run_worker("sqlite", url, script) != 0
        elif database == "postgres":
            failures += with_postgres(script, prefix) != 0
        else:
            parser.error(f"unknown database {database!r}")
    return 1 if failures else 0


# --- The worker: set up, seed, time, print ------------------------------------------------------


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


def ratios(ours: Timing, stock: Timing) -> tuple[float, float]:
    """ours / stock, for the medians and for the 95th percentiles."""
    return ours.median_ms / stock.median_ms, ours.p95_ms / stock.p95_ms


def prepare_site() -> Any:
    """Migrate the example site's schema, load its demo content; return its home page."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0)
    from example_site.home.models import HomePage

    return HomePage.objects.get()


def add_pages(parent: Any, pages: Sequence[Any]) -> list[Any]:
    """Append ``pages`` (unsaved, specific, one model) as the last children of ``parent``.

    Written as rows: one bulk insert of the base page rows, then one insert per specific row,
    with the tree's paths, depths and URL paths filled in as ``add_child`` would. No save
    signals run (no search or reference index entries): thousands of pages take seconds.
    """
    from django.db import transaction

    if not pages:
        return []
    model = type(pages[0])
    base = model._meta.pk.related_model  # the page model the specific rows point at
    if base is None or model._meta.get_parent_list() != [base]:
        raise TypeError(f"{model.__name__} must inherit from the page model directly")
    from django.contrib.contenttypes.models import ContentType

    parent = base.objects.get(pk=parent.pk)
    content_type = ContentType.objects.get_for_model(model)
    base_fields = [f.attname for f in base._meta.concrete_fields if not f.primary_key]
    rows = []
    for offset, page in enumerate(pages, start=parent.numchild + 1):
        page.path = base._get_path(parent.path, parent.depth + 1, offset)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.locale_id = parent.locale_id
        page.content_type = content_type
        rows.append(base(**{name: getattr(page, name) for name in base_fields}))
    with transaction.atomic():
        base.objects.bulk_create(rows)
        for page, row in zip(pages, rows, strict=True):
            page.pk = page.page_ptr_id = row.pk
            page.save_base(raw=True, force_insert=True)
        base.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(pages))
    return list(pages)


def add_series(
    parent: Any,
    size: int,
    slug: str,
    *,
    title: str | None = None,
    publish_revision: bool = True,
    forthcoming_every: int = FORTHCOMING_EVERY,
    published_until: dt.datetime | None = None,
) -> Any:
    """A live series of ``size`` parts under ``parent``; parts written as rows (``add_pages``).

    Every ``forthcoming_every``-th part is announced as forthcoming (never published), the
    others are live, one a day up to ``published_until`` (default: now). With
    ``publish_revision`` the series page itself is published through a revision, as an editor
    does; without, it is written as a live row too (for seeding many series).
    """
    from django.utils import timezone

    from wagtail_series.models import SeriesPage, SeriesPart

    now = timezone.now()
    published_until = published_until or now
    start = published_until - dt.timedelta(days=size)
    series = SeriesPage(
        title=title or f"Bench {slug}",
        slug=slug,
        description=f"<p>A series of {size} parts.</p>",
        planned_parts=size,
        live=not publish_revision,
        first_published_at=None if publish_revision else start,
        last_published_at=None if publish_revision else published_until,
    )
    if publish_revision:
        parent.add_child(instance=series)
        series.save_revision().publish()
    else:
        add_pages(parent, [series])
    series = SeriesPage.objects.get(pk=series.pk)
    parts = []
    for number in range(1, size + 1):
        if number % forthcoming_every == 0:
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
        parts.append(part)
    add_pages(series, parts)
    return series


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
    requests: dict[str, Callable[[], Any]],
    *,
    warmup: int,
    repeat: int,
    between: Callable[[str], Any] | None = None,
    budget: float | None = None,
    min_repeat: int = 6,
) -> dict[str, list[float]]:
    """Time each callable ``repeat`` times, taking turns, after ``warmup`` untimed rounds.

    ``between(label)``, if given, runs untimed before each call of ``requests[label]`` (to
    prepare a fresh sample, say). ``budget``: seconds after which to stop early, keeping at
    least one warm-up round and ``min_repeat`` timed rounds (an even number of rounds, so each
    side goes first as often): slow figures stay bounded, the number of samples says so.
    """
    started = time.perf_counter()

    def over(fraction: float = 1.0) -> bool:
        return budget is not None and time.perf_counter() - started > budget * fraction

    for round_ in range(warmup):
        if round_ and over(0.25):
            break
        for label, request in requests.items():
            if between:
                between(label)
            request()
    seconds: dict[str, list[float]] = {label: [] for label in requests}
    labels = list(requests)
    for round_ in range(repeat):
        if round_ >= min_repeat and round_ % 2 == 0 and over():
            break
        # Alternate which side goes first, so neither always runs on a warmer cache.
        for label in labels if round_ % 2 == 0 else reversed(labels):
            if between:
                between(label)
            start = time.perf_counter()
            requests[label]()
            seconds[label].append(time.perf_counter() - start)
    return seconds


def database_label() -> str:
    """The worker's database and its server version, for the figures' heading."""
    from django.db import connection

    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.server_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    return f"SQLite {connection.Database.sqlite_version} (temporary file)"


def start_worker(
    args: argparse.Namespace, title: str, setup: str, seed: Callable[[], Any]
) -> tuple[Any, Any]:
    """Set Django up, run ``seed()`` and print the run's heading: what ran it and how.

    ``title`` opens the heading; ``setup`` says what else ran and how requests were made.
    Returns a test ``Client`` and what ``seed`` returned.
    """
    import django

    django.setup()
    import wagtail
    from django.test import Client

    started = time.perf_counter()
    seeded = seed()
    seeded_in = time.perf_counter() - started
    print()
    print(f"== {title}: {database_label()} ==")
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"Wagtail {wagtail.__version__}{setup}; {args.requests} timed samples per figure after "
        f"{args.warmup} warm-up rounds; seeded in {seeded_in:.0f} s"
    )
    print()
    return Client(), seeded


def print_header(header: str) -> None:
    print(header)
    print("-" * len(header))
