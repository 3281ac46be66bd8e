"""Faster announcing and the admin on a phone, in a real browser (issue 14).

On the example site served for real: the editor announces two parts at once (one of them overdue)
and uses "Save and add another"; then, at 390x844 (a phone), every column header of the Series
index, the forthcoming-parts report and a series' Parts panel is reachable (no container that
hides overflow cuts it off: only containers that scroll sideways may hold it out of view), and
the overdue flag can be scrolled into view. Skipped without Chromium and playwright, except in CI.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.browser.test_editor_story import browser, story_site  # noqa: F401 (fixtures)

PHONE = {"width": 390, "height": 844}

# For each th (or element) given: the ancestors that clip it, i.e. hide overflow and hold it
# (even partly) outside their box. An ancestor that scrolls (overflow-x auto/scroll) makes it
# reachable: from there up, only that container's own box must fit.
CLIPPED_BY = """
(elements) => elements.map((el) => {
    let box = el.getBoundingClientRect();
    const clipping = [];
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        const overflow = getComputedStyle(up).overflowX;
        if (overflow === "auto" || overflow === "scroll") {
            // Scrolled to from here: what must fit further up is this container's box.
            box = up.getBoundingClientRect();
            continue;
        }
        if (overflow !== "hidden" && overflow !== "clip") continue;
        const outer = up.getBoundingClientRect();
        if (box.left < outer.left - 1 || box.right > outer.right + 1) {
            clipping.push(`${up.tagName}.${up.className}`);
        }
    }
    const chain = [];
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        const style = getComputedStyle(up);
        const width = Math.round(up.getBoundingClientRect().width);
        chain.push(`${up.tagName}.${up.className} ${width} ${style.overflowX}`);
    }
    return {text: el.textContent.trim(), clipping, chain: clipping.length ? chain : []};
})
"""

# After scrolling it into view: the element is on screen and not covered.
ON_SCREEN = """
(el) => {
    const box = el.getBoundingClientRect();
    const x = box.left + Math.min(box.width / 2, 10), y = box.top + box.height / 2;
    if (x < 0 || x > window.innerWidth || y < 0 || y > window.innerHeight) return false;
    const hit = document.elementFromPoint(x, y);
    return !!hit && (el.contains(hit) || hit.contains(el));
}
"""

SCROLLS = """
(el) => {
    const overflow = getComputedStyle(el).overflowX;
    return {overflow, scrolls: el.scrollWidth > el.clientWidth};
}
"""


def log_in(context: Any, base: str) -> Any:
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "changeme")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/admin/")
    return page


def assert_every_column_reachable(page: Any, table: str, container: str) -> None:
    headers = page.locator(f"{table} thead th")
    assert headers.count() >= 4
    for header in headers.evaluate_all(CLIPPED_BY):
        assert not header["clipping"], header
    scroll = page.locator(container).first.evaluate(SCROLLS)
    assert scroll["overflow"] in {"auto", "scroll"}, scroll
    for i in range(headers.count()):
        header = headers.nth(i)
        header.scroll_into_view_if_needed()
        assert header.evaluate(ON_SCREEN), header.text_content()


def test_announcing_and_the_admin_on_a_phone(story_site: Any, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    base = story_site.base_url
    desktop = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=base)
    phone = browser.new_context(viewport=PHONE, base_url=base)
    for context in (desktop, phone):
        context.set_default_timeout(20_000)
    try:
        page = log_in(desktop, base)
        page.goto("/admin/wagtail_series/seriespage/")
        row = page.locator("table.listing tbody tr").first
        series_title = row.locator("td.field-title .title-wrapper, td.field-title").first
        series_name = series_title.inner_text().splitlines()[0].strip()
        row.hover()
        row.get_by_role("link", name="Announce several parts").click()

        # Two parts in one go, the first one overdue; the third row left blank.
        late = dt.date.today() - dt.timedelta(days=5)
        page.fill("#id_form-0-title", "Late announcement")
        page.fill("#id_form-0-expected_date", late.isoformat())
        page.keyboard.press("Escape")  # close the date picker
        page.fill("#id_form-1-title", "Second announcement")
        page.fill("#id_form-1-teaser", "Soon.")
        page.get_by_role("button", name="Add rows").click()
        expect(page.locator("#id_form-5-title")).to_be_visible()
        expect(page.locator("#id_form-0-title")).to_have_value("Late announcement")
        page.get_by_role("button", name="Announce these parts").click()
        page.wait_for_url(f"{base}/admin/wagtail_series/seriespage/")
        expect(page.locator(".messages")).to_contain_text("2 forthcoming parts added")

        # "Save and add another": back to an empty form for the same series.
        row = page.locator("table.listing tbody tr", has_text=series_name).first
        row.hover()
        row.get_by_role("link", name="Add forthcoming part").click()
        page.fill("#id_title", "Third announcement")
        page.get_by_role("button", name="Save and add another").click()
        page.wait_for_load_state()
        expect(page.locator(".messages")).to_contain_text("Third announcement")
        expect(page.locator("#id_title")).to_have_value("")
        series_id = page.url.split("/admin/series/")[1].split("/")[0]

        # On a phone.
        page = log_in(phone, base)
        page.goto("/admin/wagtail_series/seriespage/")
        assert_every_column_reachable(page, ".result-list table.listing", ".result-list")
        flag = page.locator(".series-overdue").first
        flag.scroll_into_view_if_needed()
        expect(flag).to_be_visible()
        assert flag.evaluate(ON_SCREEN)
        (clip,) = page.locator(".series-overdue").first.evaluate_all(CLIPPED_BY)
        assert not clip["clipping"], clip

        page.goto("/admin/series/forthcoming-parts/")
        table = ".series-report-table table"
        assert_every_column_reachable(page, table, ".series-report-table")
        # Titles keep a readable width (not one or two letters per line).
        widths = page.locator(f"{table} td.title").evaluate_all(
            "(cells) => cells.map((c) => c.getBoundingClientRect().width)"
        )
        assert widths and min(widths) >= 150, widths
        overdue = page.locator(f"{table} tbody tr", has_text="Late announcement")
        flag = overdue.locator("td").last
        flag.scroll_into_view_if_needed()
        assert flag.evaluate(ON_SCREEN)
        expect(flag).to_contain_text("Overdue")

        page.goto(f"/admin/pages/{series_id}/edit/")
        panel = page.locator("[data-series-contents]")
        panel.scroll_into_view_if_needed()
        assert_every_column_reachable(
            page, "[data-series-contents] table", "[data-series-contents] .series-table-scroll"
        )
        flag = page.locator("[data-series-contents] .series-part-state__overdue").first
        flag.scroll_into_view_if_needed()
        assert flag.evaluate(ON_SCREEN)
    finally:
        desktop.close()
        phone.close()
