"""Tree-path conditions: the pages directly under many series, as one SQL condition.

``children_of(series_list)`` is treebeard's ``get_children()`` condition for every series,
``Q(path__range=<its children's path interval>, depth=s.depth + 1) | ...``, with the same SQL
and parameters. A range of paths is what the tree's path index answers on every database
(``path__startswith`` is a ``LIKE``, which SQLite answers by reading every page, once per series).
Django builds and compiles each child of such a ``Q`` on its own (resolving its field, its joins,
its lookups): for a listing page of 100 series, read for its parts and for their view
restrictions, that was about a fifth of the request. Here the two lookups are built and compiled
once, for the first series, and their SQL is repeated with every series' parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import BooleanField, Expression, F, Q
from django.db.models.lookups import Exact, Range
from django.db.models.sql.where import AND, WhereNode

from ..models import SeriesPage

__all__ = ["children_of"]


def children_of(series_list: Iterable[SeriesPage], prefix: str = "") -> Q | _ChildrenOf:
    """A filter for the pages directly under any of ``series_list``; ``prefix`` reaches the
    page through a relation (``"page__"``: view restrictions on those pages)."""
    parents = sorted({(series.path, series.depth) for series in series_list})
    if len(parents) < 2:
        children = Q()
        for path, depth in parents:
            children |= Q(**{f"{prefix}path__range": _interval(path), f"{prefix}depth": depth + 1})
        return children
    return _ChildrenOf(parents, prefix)


def _interval(path: str) -> tuple[str, str]:
    """The paths of every possible child of the page at ``path`` (treebeard's)."""
    return SeriesPage._get_children_path_interval(path)


class _ChildrenOf(Expression):
    """``children_of`` for two series or more: the first one's condition, compiled by Django, with
    every series' parameters."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, parents: list[tuple[str, int]], prefix: str) -> None:
        super().__init__()
        self.parents = parents
        self.prefix = prefix
        self.path: Any = None
        self.depth: Any = None

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> _ChildrenOf:
        resolved = self.copy()
        resolved.path = F(f"{self.prefix}path").resolve_expression(
            query, allow_joins, reuse, summarize
        )
        resolved.depth = F(f"{self.prefix}depth").resolve_expression(
            query, allow_joins, reuse, summarize
        )
        return resolved

    def get_source_expressions(self) -> list[Any]:
        return [self.path, self.depth]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.path, self.depth = exprs

    def _condition(self, path: str, depth: int) -> WhereNode:
        # In the order a Q of both lookups takes (its keyword arguments, sorted).
        lookups: list[Any] = [Exact(self.depth, depth + 1), Range(self.path, _interval(path))]
        return WhereNode(lookups, AND)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[str | int, ...]]:
        first_sql, first_params = compiler.compile(self._condition(*self.parents[0]))
        params: list[list[str | int]] = [
            [depth + 1, *_interval(path)] for path, depth in self.parents
        ]
        if list(first_params) != params[0]:
            # A backend that prepares these parameters otherwise: each condition compiled whole.
            compiled = [compiler.compile(self._condition(*parent)) for parent in self.parents]
            return (
                "(" + " OR ".join(sql for sql, _ in compiled) + ")",
                tuple(param for _, part in compiled for param in part),
            )
        return (
            "(" + " OR ".join([first_sql] * len(params)) + ")",
            tuple(param for pair in params for param in pair),
        )
