"""How big a whole-series REST and GraphQL detail response is, per 1,000 parts.

Not a timing: the figure docs/headless.md quotes ("size per 1,000 parts"). Seeds a series of
``--parts`` parts (default 1,000; every fourth one forthcoming, as the other benches) in a
temporary SQLite database and prints the size of ``GET /api/v2/series/<id>/`` and of the GraphQL
``series(id:)`` query with every entry field (bench/graphql_bench.py's TOC query), raw and gzipped.

    .venv/bin/python bench/detail_size.py [--parts 1000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=1000)
    args = parser.parse_args()
    handle, db = tempfile.mkstemp(suffix=".sqlite3")
    os.close(handle)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    try:
        import django

        django.setup()
        from django.test import Client

        from bench.graphql_bench import TOC
        from bench.harness import add_series, expect, prepare_site

        series = add_series(prepare_site(), args.parts, "sized", title="Sized")
        client = Client()
        rest = expect(client.get(f"/api/v2/series/{series.pk}/"), 200, "REST detail").content
        body = json.dumps({"query": TOC, "variables": {"id": series.pk}})
        graphql = expect(
            client.post("/graphql/", body, content_type="application/json"), 200, "/graphql/"
        ).content
        if len(json.loads(graphql)["data"]["series"]["parts"]) != args.parts:
            raise SystemExit("GraphQL: not every part")
        print(f"{args.parts} parts; KB per 1,000 parts (raw / gzip):")
        for name, content in (("REST detail", rest), ("GraphQL series(id:)", graphql)):
            per = 1000 / args.parts / 1024
            print(
                f"  {name:<20} {len(content) * per:7.0f} KB / "
                f"{len(gzip.compress(content)) * per:5.0f} KB"
            )
    finally:
        os.unlink(db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
