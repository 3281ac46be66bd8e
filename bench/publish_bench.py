"""Benchmark: what an editor's publish costs, a part of a series vs a plain Wagtail page.

``make bench`` runs this; it is not part of the test suite and gates nothing. See bench/README.md.

For each database a worker process starts a local HTTP receiver (bench/receiver.py, its own
process), configures Wagtail's frontend cache (``HTTPBackend``) and one wagtail-series webhook to
point at it, migrates, seeds and times, in process with Django's test Client logged in as a
superuser, the POST of Wagtail's admin edit view with ``action-publish`` (the request, its
transaction and whatever runs before the response is back):

- ours: a never-published, announced part of a series of 10, 300 and 2,000 parts;
- stock: a never-published page of the example site's own page type (``HomePage``, a plain
  ``Page`` subclass with a rich text intro) under a plain page with as many children.

Each sample publishes a page that has never been published: between samples, untimed, the page
is put back as it was (not live, no first publication date). The sides alternate. Printed per
size: median, p95, ratio ours/stock, queries per publish, and the requests the receiver got per
publish (PURGE and webhook POST) and the tasks enqueued, for both sides.

``--tasks-backend db`` (default, the documented production setup: django-tasks-db's
``DatabaseBackend``) writes each task as a row in the request and runs none, as on a site whose
``db_worker`` runs them; ``immediate`` (what a site without ``TASKS`` gets) runs the background
work inline, in the request; ``dummy`` only enqueues it in memory. Both sides use the same one.

    .venv/bin/python bench/publish_bench.py [--databases sqlite,postgres] [--quick]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402  (the shared harness)
    Timing,
    WorkloadError,
    add_pages,
    add_series,
    expect,
    prepare_site,
    print_header,
    ratios,
    run_benchmark,
    start_worker,
    time_alternating,
)
from bench.receiver import Receiver  # noqa: E402

SIZES = (10, 300, 2000)
TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
FORM_ID = "page-edit-form"
TARGET = 1.2  # issue 12: ours at most 1.2 x the stock publish, at every size


@dataclass
class Side:
    """One page to publish again and again: its edit URL and the form a browser would post."""

    page_id: int
    url: str
    data: Any  # QueryDict
    published: int = 0


@dataclass
class Counts:
    queries: int
    purges: int
    webhooks: int
    tasks: Counter[str]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tasks-backend",
        choices=sorted(TASK_BACKENDS),
        default="db",
        help="db (default): django-tasks-db, tasks written as rows and not run, as in production"
        " with a worker; immediate: the work runs in the request (no TASKS setting); dummy: only"
        " enqueued in memory",
    )


def seed(sizes: tuple[int, ...]) -> dict[int, tuple[Any, Any]]:
    """Per size: (an announced, never-published part of a series of that size, a
    never-published HomePage under a plain page with as many children)."""
    import datetime as dt

    from django.utils import timezone
    from wagtail.models import Page

    from example_site.home.models import HomePage
    from wagtail_series.models import SeriesPart

    home = prepare_site()
    targets = {}
    for size in sizes:
        series = add_series(home, size, f"publish-{size}", title=f"Publish {size}")
        announced = list(SeriesPart.objects.child_of(series).filter(live=False).order_by("path"))
        part = announced[len(announced) // 2]
        if not part.announce_forthcoming or part.first_published_at:
            raise WorkloadError(f"{part}: not an announced, never-published part")

        parent = home.add_child(instance=Page(title=f"Stock {size}", slug=f"stock-{size}"))
        start = timezone.now() - dt.timedelta(days=size)
        children = []
        for number in range(1, size + 1):
            # As in the series: every fourth page a draft, never published; the others live.
            live = number % 4 != 0
            published = start + dt.timedelta(days=number) if live else None
            children.append(
                HomePage(
                    title=f"Page {number}",
                    slug=f"page-{number}",
                    intro=f"<p>The intro of page {number}.</p>",
                    live=live,
                    first_published_at=published,
                    last_published_at=published,
                )
            )
        add_pages(parent, children)
        drafts = [child for child in children if not child.live]
        targets[size] = (part, drafts[len(drafts) // 2])
    return targets


def publish_form(client: Any, page: Any) -> Side:
    """The edit form as the admin renders it for ``page``, with "Publish" pressed."""
    from django.urls import reverse
    from wagtail.fields import StreamField
    from wagtail.test.utils import WagtailTestUtils
    from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

    from wagtail_series.models import SeriesPartMixin

    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    html = expect(client.get(url), 200, url).content.decode()
    data = querydict_from_html(html, form_id=FORM_ID)
    # Browsers send "on" for a ticked checkbox without a value; querydict_from_html sends "".
    form = WagtailTestUtils.get_soup(html).find("form", attrs={"id": FORM_ID})
    for checkbox in form.find_all("input", type="checkbox", checked=True):
        if "value" not in checkbox.attrs and checkbox.attrs.get("name"):
            data[checkbox["name"]] = "on"
    # StreamFields are built by JavaScript: no inputs in the HTML. The seeded ones are empty.
    for field in type(page)._meta.get_fields():
        if isinstance(field, StreamField) and f"{field.name}-count" not in data:
            if len(getattr(page, field.name)):
                raise WorkloadError(f"{page}: {field.name} is not empty")
            data.update(nested_form_data({field.name: streamfield([])}))
    data["action-publish"] = "action-publish"
    if isinstance(page, SeriesPartMixin):
        # The seeded part is an announcement with no content yet: the editor confirms
        # publishing it, as the warning (EMPTY_PART_PUBLISH) asks.
        data["publish_empty"] = "on"
    return Side(page.pk, url, data)


def make_fresh(side: Side) -> None:
    """Untimed: check the last sample published the page, then make it never-published again."""
    from wagtail.models import Page

    page = Page.objects.select_related("latest_revision").get(pk=side.page_id)
    if side.published and not (page.live and page.first_published_at):
        raise WorkloadError(f"{page}: the admin's publish left it unpublished")
    Page.objects.filter(pk=side.page_id).update(
        live=False,
        has_unpublished_changes=True,
        first_published_at=None,
        last_published_at=None,
        live_revision=None,
    )
    # The queue as a worker keeps it: drained between samples (django-tasks-db's rows).
    _drain_task_queue()
    # What the form would say if the editor loaded it now (the latest revision).
    if page.latest_revision and "loaded_revision_id" in side.data:
        side.data["loaded_revision_id"] = str(page.latest_revision.pk)
        side.data["loaded_revision_created_at"] = page.latest_revision.created_at.isoformat()


def _drain_task_queue() -> None:
    from django.apps import apps

    if apps.is_installed("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()


def publish(client: Any, side: Side) -> None:
    response = client.post(side.url, side.data)
    if response.status_code != 302:
        errors = getattr(response, "context", None) and response.context.get("form")
        raise WorkloadError(
            f"{side.url}: {response.status_code}, not a redirect"
            f"{f': {errors.errors}' if errors else ''}"
        )
    side.published += 1


def count_publish(client: Any, side: Side, receiver: Receiver) -> Counts:
    """One more publish, untimed: its queries, receiver requests and enqueued tasks."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks.signals import task_enqueued

    tasks: Counter[str] = Counter()

    def enqueued(sender: Any, task_result: Any, **kwargs: Any) -> None:
        tasks[task_result.task.name] += 1

    make_fresh(side)
    before = receiver.counts()
    task_enqueued.connect(enqueued)
    try:
        with CaptureQueriesContext(connection) as queries:
            publish(client, side)
    finally:
        task_enqueued.disconnect(enqueued)
    sent = receiver.counts() - before
    make_fresh(side)
    return Counts(len(queries), sent["PURGE"], sent["POST"], tasks)


def bench_size(
    client: Any, size: int, pages: tuple[Any, Any], args: argparse.Namespace, receiver: Receiver
) -> float:
    sides = {"ours": publish_form(client, pages[0]), "stock": publish_form(client, pages[1])}
    seconds = time_alternating(
        {label: (lambda side=side: publish(client, side)) for label, side in sides.items()},
        warmup=args.warmup,
        repeat=args.requests,
        between=lambda label: make_fresh(sides[label]),
        budget=args.budget,
    )
    counts = {label: count_publish(client, side, receiver) for label, side in sides.items()}
    ours = Timing("ours", seconds["ours"], counts["ours"].queries)
    stock = Timing("stock", seconds["stock"], counts["stock"].queries)
    ratio, ratio_p95 = ratios(ours, stock)
    print(
        f"{size:>5}  {ours.median_ms:>8.1f} {ours.p95_ms:>8.1f} {ours.queries:>4}  "
        f"{stock.median_ms:>8.1f} {stock.p95_ms:>8.1f} {stock.queries:>4}  "
        f"{ratio:>6.2f} {ratio_p95:>5.2f}  "
        f"{counts['ours'].purges:>6} {counts['stock'].purges:>5}  "
        f"{counts['ours'].webhooks:>4} {counts['stock'].webhooks:>5}  "
        f"{sum(counts['ours'].tasks.values()):>4} {sum(counts['stock'].tasks.values()):>5}  "
        f"{len(seconds['ours']):>3}"
    )
    return ratio


def describe_tasks() -> str:
    from django.conf import settings

    backend = getattr(settings, "TASKS", {}).get("default", {}).get("BACKEND")
    return f"TASKS['default'] = {backend or 'unset (django-tasks ImmediateBackend)'}"


def worker(args: argparse.Namespace) -> int:
    receiver = Receiver()
    # Read by bench/settings.py, before Django starts.
    os.environ["BENCH_RECEIVER_URL"] = receiver.url
    os.environ["BENCH_TASK_BACKEND"] = TASK_BACKENDS[args.tasks_backend]
    try:
        return run(args, receiver)
    finally:
        receiver.close()


def run(args: argparse.Namespace, receiver: Receiver) -> int:
    client, targets = start_worker(
        args,
        f"Publish, {args.worker}, tasks backend {args.tasks_backend}",
        "; in-process Django test Client, POST to the admin's edit view with action-publish "
        f"as a superuser; frontend cache HTTPBackend and one webhook at {receiver.url}",
        lambda: seed(args.sizes),
    )
    from django.contrib.auth import get_user_model

    print(describe_tasks())
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")
    client.force_login(user)
    print(
        "Times in ms; q: queries per publish; requests to the receiver and tasks enqueued "
        "per publish."
    )
    print_header(
        f"{'size':>5}  {'ours':>8} {'p95':>8} {'q':>4}  {'stock':>8} {'p95':>8} {'q':>4}  "
        f"{'ratio':>6} {'p95':>5}  {'PURGE':>6} {'stock':>5}  {'POST':>4} {'stock':>5}  "
        f"{'task':>4} {'stock':>5}  {'n':>3}"
    )
    results = {
        size: bench_size(client, size, pages, args, receiver) for size, pages in targets.items()
    }
    print()
    for size, ratio in results.items():
        verdict = "meets" if ratio <= TARGET else "MISSES"
        print(
            f"target ours <= {TARGET} x stock publish median, {size:>4} parts: "
            f"{ratio:.2f} ({verdict})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(
        run_benchmark(
            __doc__,
            worker,
            __file__,
            "wagtail_series_pubbench",
            sizes=SIZES,
            requests=20,
            warmup=2,
            quick=(6, 1),
            budget=60,
            add_arguments=add_arguments,
        )
    )
