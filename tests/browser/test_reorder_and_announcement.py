"""Reordering parts, the announcement at a forthcoming part's URL and axe-core, in a real browser
(issue 14, round 2).

On the example site served for real (its demo series "Memories": Magnetic Rose published, Stink
Bomb and Cannon Fodder announced): the editor reorders the parts from the Series area with the
keyboard ("Move down", and the drag handle's arrow keys and Enter) and by dragging the handle; the
numbers follow; an anonymous reader opens Stink Bomb's URL and gets its announcement. axe-core
finds no serious or critical violation on the public pages and the Series admin views, and the
reorder view works at 390 px. Skipped without Chromium and playwright, except in CI.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from tests.browser import axe
from tests.browser.test_editor_story import (  # noqa: F401 (fixtures)
    ARTIFACTS,
    browser,
    story_site,
)
from tests.browser.test_narrow_admin import PHONE, assert_every_column_reachable, log_in

SERIES = "Memories"
SHOTS = ARTIFACTS.parent / "reorder-and-announcement"
# Screenshot name -> file name in docs/images (make docs-screenshots).
DOCS_SCREENSHOTS = {
    "reorder-parts.png": "reorder-parts.png",
    "announcement.png": "forthcoming-part-announcement.png",
}


def shoot(page: Any, name: str) -> None:
    import os
    import shutil

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))
    if os.environ.get("WAGTAIL_SERIES_DOCS_SCREENSHOTS") == "1" and name in DOCS_SCREENSHOTS:
        docs = ARTIFACTS.parents[1] / "docs" / "images"
        docs.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHOTS / name, docs / DOCS_SCREENSHOTS[name])


AXE_RESULTS: dict[str, list[dict[str, Any]]] = {}


def assert_no_serious_violation(page: Any) -> None:
    """axe-core on the whole page; every violation found (minor and moderate ones too) is kept
    in test-artifacts/reorder-and-announcement/axe.json."""
    path = page.url.split("//", 1)[1].split("/", 1)[1]
    AXE_RESULTS[f"/{path}"] = axe.assert_no_serious_violation(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "axe.json").write_text(json.dumps(AXE_RESULTS, indent=1))


def rows(page: Any) -> list[tuple[str, str]]:
    """(number, title) of each row of the reorder view, as shown."""
    return [
        (
            row.locator("[data-series-number]").inner_text().strip(),
            row.locator(".title-wrapper").inner_text().strip(),
        )
        for row in page.locator("[data-series-reorder] tbody tr").all()
    ]


def titles(page: Any) -> list[str]:
    return [title for _, title in rows(page)]


def numbers_follow_the_order(page: Any) -> None:
    """Every part of the demo is visible to readers: numbered 1, 2, 3 in the order shown."""
    assert [number for number, _ in rows(page)] == ["Part 1", "Part 2", "Part 3"], rows(page)


def row(page: Any, title: str) -> Any:
    return page.locator("[data-series-reorder] tbody tr", has_text=title)


def test_reorder_announce_and_axe(story_site: Any, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    base = story_site.base_url
    desktop = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=base)
    phone = browser.new_context(viewport=PHONE, base_url=base)
    anonymous = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=base)
    for context in (desktop, phone, anonymous):
        context.set_default_timeout(20_000)
    reader = anonymous.new_page()
    try:
        # --- The public pages: series, part, and the announcement at a forthcoming URL -------
        reader.goto("/memories/")
        assert_no_serious_violation(reader)
        reader.goto("/memories/magnetic-rose/")
        assert_no_serious_violation(reader)
        response = reader.goto("/memories/stink-bomb/")
        assert response is not None and response.status == 200
        assert response.headers.get("x-robots-tag") == "noindex"
        expect(reader.locator('meta[name="robots"]')).to_have_attribute("content", "noindex")
        expect(reader.locator("h1")).to_have_text("Stink Bomb")
        expect(reader.locator(".series-announcement__status")).to_contain_text("coming soon")
        current = reader.locator(".series-toc__entry--current")
        expect(current).to_contain_text("Stink Bomb")
        expect(reader.locator(".series-toc__heading a")).to_have_attribute("href", "/memories/")
        shoot(reader, "announcement.png")
        assert_no_serious_violation(reader)
        # On the series page, the table of contents' heading is not a link to the page itself.
        reader.goto("/memories/")
        expect(reader.locator(".series-toc__heading a")).to_have_count(0)

        # --- The Series admin views ------------------------------------------------------------
        page = log_in(desktop, base)
        page.goto("/admin/wagtail_series/seriespage/")
        assert_no_serious_violation(page)
        page.goto("/admin/series/forthcoming-parts/")
        assert_no_serious_violation(page)
        page.goto("/admin/wagtail_series/seriespage/")
        series_row = page.locator("table.listing tbody tr", has_text=SERIES).first
        series_row.hover()
        series_row.get_by_role("link", name="Announce several parts").click()
        page.wait_for_load_state()
        assert_no_serious_violation(page)

        page.goto("/admin/wagtail_series/seriespage/")
        series_row = page.locator("table.listing tbody tr", has_text=SERIES).first
        series_row.hover()
        series_row.get_by_role("link", name="Reorder parts").click()
        page.wait_for_selector("[data-series-reorder]")
        before = titles(page)
        assert len(before) == 3, before
        numbers_follow_the_order(page)
        shoot(page, "reorder-parts.png")
        assert_no_serious_violation(page)

        # Keyboard, without JavaScript's help: Tab to "Move down" on the first row, press Enter.
        first, second, third = before
        row(page, first).get_by_role("button", name="Move down").focus()
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        expect(page.locator(".messages")).to_contain_text(f"“{first}” moved")
        assert titles(page) == [second, first, third]
        numbers_follow_the_order(page)

        # Keyboard, with Wagtail's drag handle: arrow up, then Enter saves the move.
        handle = row(page, third).locator("[data-w-orderable-target=handle]")
        handle.focus()
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")
        expect(page.locator(".messages")).to_contain_text(f"Moved: “{third}”")
        page.wait_for_load_state("networkidle")
        assert titles(page) == [second, third, first]
        numbers_follow_the_order(page)
        page.reload()
        assert titles(page) == [second, third, first]  # saved, not only shown

        # Drag and drop, with the mouse: the last part onto the first place.
        handle = row(page, first).locator("[data-w-orderable-target=handle]")
        target = row(page, second)
        box, goal = handle.bounding_box(), target.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(goal["x"] + 40, goal["y"] + 2, steps=20)
        page.mouse.move(goal["x"] + 40, goal["y"] + 1, steps=5)
        page.mouse.up()
        expect(page.locator(".messages")).to_contain_text(f"Moved: “{first}”")
        page.wait_for_load_state("networkidle")
        # Dropped near the top of the first row: first, or just after it (where a drop lands at
        # a row's edge depends on the pointer's last pixels), but no longer last; and saved.
        dragged = titles(page)
        assert dragged in ([first, second, third], [second, first, third]), dragged
        page.reload()
        assert titles(page) == dragged
        numbers_follow_the_order(page)

        # The reader sees the new order.
        reader.goto("/memories/")
        toc = [t.strip() for t in reader.locator(".series-toc__title").all_inner_texts()]
        assert toc == dragged

        # The explorer lists the series in series order, by default.
        page.goto("/admin/wagtail_series/seriespage/")
        series_row = page.locator("table.listing tbody tr", has_text=SERIES).first
        series_row.hover()
        series_row.get_by_role("link", name="Edit").click()
        series_id = page.url.split("/admin/pages/")[1].split("/")[0]
        page.goto(f"/admin/pages/{series_id}/")
        listed = page.locator("table.listing tbody tr .title-wrapper a").all_inner_texts()
        assert [t.strip() for t in listed][:3] == dragged

        # --- The reorder view on a phone ----------------------------------------------------
        small = log_in(phone, base)
        small.goto(f"/admin/series/{series_id}/reorder/")
        assert_every_column_reachable(
            small, "[data-series-reorder]", ".series-reorder-form .series-table-scroll"
        )
        assert_no_serious_violation(small)
    except Exception:
        with contextlib.suppress(Exception):  # the test's own error matters more
            shoot(reader, "failure-reader.png")
        raise
    finally:
        desktop.close()
        phone.close()
        anonymous.close()
