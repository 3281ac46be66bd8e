"""Fuzz the running example site's API with schemathesis, against the served OpenAPI document.

``make fuzz-api`` runs this. In a temporary directory it migrates a fresh SQLite database, loads
the demo plus a generated 300-part series (``load_demo --extra-parts 300``, twice: the second run
must add nothing), starts ``runserver --noreload`` on a free port on 127.0.0.1, checks that the
workload is there (both series, 300 parts, published and forthcoming), then runs schemathesis
against ``/api/openapi/series.json``: coverage, fuzzing and stateful phases (the document's
links lead from the listing to a series, its parts and back), positive and negative data, with
these checks: no 5xx, responses, status codes, content types and headers as documented.

It fails (exit 1) on any schemathesis failure, on any 5xx in the server's log, or when the log
shows that the requests did not reach real series. Traffic goes to 127.0.0.1 only and is bounded
by ``--max-examples`` (per operation and phase) and ``--timeout``.

    .venv/bin/python scripts/fuzz_api.py [--max-examples 100] [--seed 20261121]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: tests.example_site_runner is under the root

from tests.example_site_runner import (  # noqa: E402
    ExampleSiteError,
    manage,
    runserver,
    sqlite_site,
)

SCHEMA_PATH = "/api/openapi/series.json"
API = "/api/v2"
CHECKS = ",".join(
    [
        "not_a_server_error",
        "response_schema_conformance",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
    ]
)
# runserver's access log: "GET /api/v2/series/8/ HTTP/1.1" 200 1234
LOG_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[0-9.]+" (?P<status>[0-9]{3}) ')


def log(message: str) -> None:
    print(f"fuzz-api: {message}", flush=True)


def fail(message: str) -> None:
    log(f"FAILED: {message}")
    sys.exit(1)


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def check_workload(base_url: str, extra_parts: int) -> None:
    """The server serves the demo and the generated series, as the fuzzer is about to see it."""
    listing = get_json(f"{base_url}{API}/series/")
    by_slug = {item["slug"]: item for item in listing["items"]}
    # The demo's series (Memories, and Best of Otomo's linked parts) and the generated one.
    if set(by_slug) != {"memories", "best-of-otomo", "big-series"}:
        fail(f"the listing has {sorted(by_slug)}, not the demo's three series")
    big = get_json(by_slug["big-series"]["meta"]["detail_url"])
    statuses = Counter(part["status"] for part in big["parts"])
    if len(big["parts"]) != extra_parts or not (statuses["published"] and statuses["forthcoming"]):
        fail(f"Big series: {len(big['parts'])} parts ({dict(statuses)}), expected {extra_parts}")
    log(f"workload: 2 series; Big series has {len(big['parts'])} parts ({dict(statuses)})")


def summarise_log(server_log: Path) -> Counter:
    """(operation, status) counts from runserver's access log."""
    counts: Counter = Counter()
    for line in server_log.read_text(errors="replace").splitlines():
        match = LOG_LINE.search(line)
        if not match or not match["path"].startswith(API + "/"):
            continue
        path = match["path"].split("?")[0].removeprefix(API)
        if path == "/series/":
            operation = "series listing"
        elif path == "/series/find/":
            operation = "series find"
        elif path.startswith("/series/"):
            operation = "series detail"
        elif path.startswith("/pages/"):
            operation = "pages detail"
        else:
            operation = path
        counts[(operation, int(match["status"]))] += 1
    return counts


def check_log(counts: Counter) -> None:
    for (operation, status), count in sorted(counts.items()):
        log(f"  {operation:<15} {status}  x{count}")
    server_errors = {key: n for key, n in counts.items() if key[1] >= 500}
    if server_errors:
        fail(f"server errors in runserver's log: {server_errors}")
    # The fuzzer must have reached real series and parts, not only bad input.
    expected = [
        ("series listing", 200),
        ("series listing", 400),
        ("series detail", 200),
        ("series detail", 400),
        ("series detail", 404),
        ("series find", 302),
        ("pages detail", 200),
    ]
    missing = [key for key in expected if not counts[key]]
    if missing:
        fail(f"the fuzzer never got these responses: {missing}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=100, help="per operation and phase")
    parser.add_argument("--seed", type=int, default=20261121, help="schemathesis' random seed")
    parser.add_argument("--extra-parts", type=int, default=300, help="parts of 'Big series'")
    parser.add_argument(
        "--timeout", type=int, default=900, help="seconds after which schemathesis is stopped"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    schemathesis = Path(sys.executable).with_name("schemathesis")
    if not schemathesis.exists():
        found = shutil.which("schemathesis")
        if found is None:
            fail('schemathesis is not installed (pip install -e ".[dev]")')
        schemathesis = Path(found)

    tmp = Path(tempfile.mkdtemp(prefix="wagtail-series-fuzz-"))
    # Debug on (as everywhere the example site runs in a subprocess): a 500's traceback lands in
    # the server log printed below.
    port, base_url, env = sqlite_site(tmp)
    started = time.monotonic()
    log(f"database and media in {tmp}")
    manage(env, "migrate", "--noinput", timeout=300)
    manage(env, "load_demo", "--extra-parts", str(args.extra_parts), timeout=300)
    second = manage(env, "load_demo", "--extra-parts", str(args.extra_parts), timeout=300)
    if "generated parts added" in second or "created" in second.split("\n\n")[0]:
        fail(f"load_demo --extra-parts is not idempotent:\n{second}")
    log(f"demo loaded in {time.monotonic() - started:.0f} s")

    server_log = tmp / "runserver.log"
    # runserver with its system checks (the tests' servers skip them).
    with runserver(env, port, server_log, ready_path=SCHEMA_PATH, skip_checks=False, timeout=60):
        check_workload(base_url, args.extra_parts)
        command = [
            str(schemathesis),
            "run",
            base_url + SCHEMA_PATH,
            "--checks",
            CHECKS,
            "--max-examples",
            str(args.max_examples),
            "--seed",
            str(args.seed),
            "--request-timeout",
            "20",
            "--generation-database",
            "none",
            "--no-color",
        ]
        log(" ".join(command))
        # Its own working directory: schemathesis and hypothesis leave caches in the cwd.
        try:
            returncode = subprocess.run(command, cwd=tmp, env=env, timeout=args.timeout).returncode
        except subprocess.TimeoutExpired:
            returncode = None

    log("responses seen by the server:")
    counts = summarise_log(server_log)
    if returncode != 0:
        tail = "\n".join(server_log.read_text(errors="replace").splitlines()[-80:])
        log(f"runserver log (last lines):\n{tail}")
        if returncode is None:
            fail(f"schemathesis did not finish in {args.timeout} s")
        fail(f"schemathesis exited with {returncode}")
    check_log(counts)
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    log(f"passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ExampleSiteError as error:  # manage.py or runserver failed: the message has its output
        fail(str(error))
