"""The forthcoming-parts planner's data: the rows of the "Forthcoming parts" report
(``views.planner``) and of the dashboard panel (``dashboard``).

Rows come from ``reader.get_editor_outlines`` for the series given (callers pass the series the user
may work on, ``permissions.series_for_user``): every announced part that is not live yet, overdue
first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from .. import reader
from ..models import SeriesPage


@dataclass(frozen=True, slots=True)
class PlannerRow:
    """One forthcoming part, with its series: a row of the report and of the dashboard panel."""

    page_id: int
    title: str
    series_id: int
    series_title: str
    series_locale_id: int
    position: int | None
    label: str | None
    state: reader.PartState
    state_label: str
    private: bool
    expected_date: dt.date | None
    scheduled_at: dt.datetime | None
    due_date: dt.date | None
    overdue: bool

    @classmethod
    def from_entry(cls, entry: reader.EditorEntry, outline: reader.EditorOutline) -> PlannerRow:
        return cls(
            page_id=entry.page_id,
            title=entry.title,
            series_id=outline.series_id,
            series_title=outline.title,
            series_locale_id=outline.series.locale_id,
            position=entry.position,
            label=entry.label,
            state=entry.state,
            state_label=entry.state_label,
            private=entry.private,
            expected_date=entry.expected_date,
            scheduled_at=entry.scheduled_at,
            due_date=entry.due_date,
            overdue=entry.overdue,
        )

    # Every row is a forthcoming part: announced and not live.
    live = False
    announced = True

    @property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.page_id])

    @property
    def series_edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.series_id])


def planner_sort_key(row: PlannerRow) -> tuple[Any, ...]:
    """Overdue first; then by due date (undated last); then by series and position."""
    return (
        not row.overdue,
        row.due_date is None,
        row.due_date or dt.date.max,
        row.series_title.lower(),
        row.series_id,
        row.position or 0,
        row.page_id,
    )


def forthcoming_rows(
    series: Iterable[SeriesPage], request: Any = None, *, now: dt.datetime | None = None
) -> list[PlannerRow]:
    """The forthcoming parts of ``series``, overdue first. Constant number of queries."""
    outlines = reader.get_editor_outlines(series, request, now=now)
    rows = [
        PlannerRow.from_entry(entry, outline)
        for outline in outlines.values()
        for entry in outline.forthcoming
    ]
    rows.sort(key=planner_sort_key)
    return rows
