"""Validation rules that bound what one GraphQL query may ask: nesting depth and aliases.

Without them a query can nest `children { children { ... } }` or repeat an expensive field under
a thousand aliases, and grapple's stock view accepts either. Both limits are measured per
operation with its fragments spread in (a fragment counts each time it is spread), and reported as
one clear error before anything runs. Unknown fragments and fragment cycles are left to
graphql-core's own rules, which report them; measuring just skips them.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, ValidationRule
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})


def query_limits_rule(max_depth: int, max_aliases: int) -> type[ValidationRule]:
    """A rule refusing operations nested more than ``max_depth`` fields deep, or using more than
    ``max_aliases`` aliases. ``{ series { title } }`` is 2 deep.

    Within introspection, the ``ofType`` chain (one object per level, as in the standard
    introspection query) doesn't count; everything else does.
    """

    class QueryLimitsRule(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args: Any) -> None:
            fragments = {
                d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)
            }
            for definition in node.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                what = f"Operation {definition.name.value!r}" if definition.name else "The query"
                depth, aliases = _Measure(fragments, max_depth).selection_set(
                    definition.selection_set, 0, False
                )
                if depth > max_depth:
                    self.report_error(
                        GraphQLError(
                            f"{what} is nested more than {max_depth} fields deep; the limit is "
                            f"{max_depth}. Ask for less nested data or split the query.",
                            definition,
                        )
                    )
                if aliases > max_aliases:
                    self.report_error(
                        GraphQLError(
                            f"{what} uses {aliases} aliases; the limit is {max_aliases}.",
                            definition,
                        )
                    )

    return QueryLimitsRule


class _Measure:
    """Depth and alias count of a selection set, fragments spread in."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode], max_depth: int) -> None:
        self.fragments = fragments
        # Deeper than this is already refused: stop there, so a query nested thousands of levels
        # deep costs no more to measure than one just past the limit.
        self.cutoff = max_depth + 1
        self.active: set[str] = set()
        # A fragment spread many times (or fragments spreading each other twice over, 2**n times)
        # is measured once per level it is spread at.
        self.memo: dict[tuple[str, int, bool], tuple[int, int]] = {}

    def selection_set(
        self, selection_set: SelectionSetNode | None, level: int, introspection: bool
    ) -> tuple[int, int]:
        depth = aliases = 0
        if selection_set is None or level >= self.cutoff:
            return depth, aliases
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                inside = introspection or name in INTROSPECTION_ROOTS
                step = 0 if inside and name == "ofType" else 1
                below, below_aliases = self.selection_set(
                    selection.selection_set, level + step, inside
                )
                depth = max(depth, step + below)
                aliases += below_aliases + (1 if selection.alias else 0)
            elif isinstance(selection, InlineFragmentNode):
                below, below_aliases = self.selection_set(
                    selection.selection_set, level, introspection
                )
                depth, aliases = max(depth, below), aliases + below_aliases
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in self.active:
                    continue  # unknown or cyclic: reported by graphql-core's own rules
                key = (name, level, introspection)
                if key not in self.memo:
                    self.active.add(name)
                    self.memo[key] = self.selection_set(
                        fragment.selection_set, level, introspection
                    )
                    self.active.discard(name)
                below, below_aliases = self.memo[key]
                depth, aliases = max(depth, below), aliases + below_aliases
        return depth, aliases
