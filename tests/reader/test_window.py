"""toc_window: which entries a part page's table of contents shows in a long series."""

from __future__ import annotations

import pytest

from wagtail_series.models import SeriesPage
from wagtail_series.reader import EntryStatus, Gap, SeriesEntry, SeriesOutline, toc_window

pytestmark = pytest.mark.django_db  # (a page instance looks its default locale up)

WINDOW = {"first": 3, "around": 2, "last": 1, "forthcoming": 2}


def outline(count: int, forthcoming: set[int] = frozenset()) -> SeriesOutline:
    """``count`` entries, ids 100 + position; the positions in ``forthcoming`` forthcoming."""
    return SeriesOutline(
        series=SeriesPage(title="Long", part_label="Part"),
        url="/long/",
        entries=tuple(
            SeriesEntry(
                page_id=100 + n,
                position=n,
                label=f"Part {n}",
                title=f"Title {n}",
                status=EntryStatus.FORTHCOMING if n in forthcoming else EntryStatus.PUBLISHED,
                url=None if n in forthcoming else f"/long/{n}/",
                teaser="",
                expected_date=None,
                scheduled_at=None,
                first_published_at=None,
                last_published_at=None,
            )
            for n in range(1, count + 1)
        ),
    )


def shown(window) -> list[int | str]:
    """Positions shown, a gap as "...(first-last)"."""
    return [
        f"...({item.first_position}-{item.last_position})" if item.is_gap else item.position
        for item in window
    ]


def test_a_series_no_longer_than_the_window_is_shown_whole():
    series = outline(11)
    assert toc_window(series, 106, **WINDOW) == series.entries
    assert toc_window(outline(0), None, **WINDOW) == ()


def test_a_long_series_shows_first_around_forthcoming_and_last_with_gaps():
    series = outline(2000, forthcoming={1998, 1999, 2000})
    window = toc_window(series, 100 + 1000, **WINDOW)
    assert shown(window[:9]) == [1, 2, 3, "...(4-997)", 998, 999, 1000, 1001, 1002]
    assert shown(window[9:]) == ["...(1003-1997)", 1998, 1999, 2000]
    gap = window[3]
    assert isinstance(gap, Gap) and gap.count == 994


def test_forthcoming_means_the_next_announced_parts_after_the_current_one():
    series = outline(100, forthcoming={20, 40, 60, 80})
    assert shown(toc_window(series, 100 + 30, **WINDOW)) == [
        1, 2, 3, "...(4-27)", 28, 29, 30, 31, 32, "...(33-39)", 40, "...(41-59)", 60,
        "...(61-99)", 100,
    ]  # fmt: skip


def test_the_ends_overlap_the_current_part_without_repeating_it():
    series = outline(50)
    assert shown(toc_window(series, 100 + 2, **WINDOW)) == [1, 2, 3, 4, "...(5-49)", 50]
    assert shown(toc_window(series, 100 + 50, **WINDOW)) == [1, 2, 3, "...(4-47)", 48, 49, 50]


def test_a_lone_left_out_entry_is_shown_rather_than_an_ellipsis():
    series = outline(20)
    # first 1-3, around 5: 3-7; position 4 alone between them would be a gap of one.
    assert shown(toc_window(series, 100 + 6, **WINDOW)) == [1, 2, 3, 4, 5, 6, 7, 8, "...(9-19)", 20]


def test_without_a_current_part_the_window_has_the_ends_and_the_first_forthcoming():
    series = outline(30, forthcoming={10, 11, 12})
    assert shown(toc_window(series, None, **WINDOW)) == [
        1,
        2,
        3,
        "...(4-9)",
        10,
        11,
        "...(12-29)",
        30,
    ]
    # A page id that is no entry (e.g. the series page) is the same as none.
    assert toc_window(series, 1, **WINDOW) == toc_window(series, None, **WINDOW)


def test_a_zero_window_keeps_only_the_current_part():
    series = outline(10)
    window = toc_window(series, 105, first=0, around=0, last=0, forthcoming=0)
    assert shown(window) == ["...(1-4)", 5, "...(6-10)"]


@pytest.mark.parametrize("bad", [-1, 1.5, "2", None, True])
def test_a_window_that_is_not_whole_numbers_is_refused(bad):
    with pytest.raises(ValueError, match="around must be a whole number"):
        toc_window(outline(5), None, **{**WINDOW, "around": bad})
