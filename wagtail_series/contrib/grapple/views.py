"""``SeriesGraphQLView``: the site's grapple schema served with limits.

Mount it instead of grapple's own view (``grapple.urls``), which has no depth or alias limit::

    path("graphql/", include("wagtail_series.contrib.grapple.urls")),

It is graphene-django's ``GraphQLView`` with:

- graphql-core's standard validation rules plus a depth and an alias limit
  (``GRAPHQL_MAX_DEPTH``, ``GRAPHQL_MAX_ALIASES``), and introspection refused when
  ``GRAPHQL_INTROSPECTION`` is off, all read from ``WAGTAIL_SERIES`` on every request;
- a middleware that nulls grapple's ``parent`` field when the request may not see the parent
  (grapple returns it whatever its state, drafts and private pages included), and refuses an
  ``order`` on grapple's lists that isn't a plain field name (grapple hands it to the ORM, so
  ``owner__password`` would sort pages by a password hash);
- errors that never show internals: an exception from a resolver (such as Django's list of every
  model field when grapple's ``order`` names an unknown one) becomes a plain message, and a
  failure anywhere else is a 400, never a 500. With introspection off, "Did you mean ...?"
  suggestions, which would reveal the schema, are dropped.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.http import HttpRequest
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, GraphQLError, NoSchemaIntrospectionCustomRule, specified_rules

from ...compat import get_page_model
from ...conf import series_settings
from .loaders import get_loader
from .validation import query_limits_rule

logger = logging.getLogger(__name__)

INTERNAL_ERROR = "This field could not be resolved with the arguments given."
_SUGGESTION = re.compile(r" Did you mean .*\?$")


def default_schema() -> Any:
    """GRAPHENE["SCHEMA"] when the site sets it, else grapple's schema."""
    if graphene_settings.SCHEMA is not None:
        return graphene_settings.SCHEMA
    from grapple.schema import schema

    return schema


def limit_rules() -> tuple[type, ...]:
    """graphql-core's standard rules, the limits, and no introspection if it is switched off."""
    rules: list[type] = [
        *specified_rules,
        query_limits_rule(series_settings.GRAPHQL_MAX_DEPTH, series_settings.GRAPHQL_MAX_ALIASES),
    ]
    if not series_settings.GRAPHQL_INTROSPECTION:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)


# A field of the listed objects, ascending or descending: never a relation (owner__password), "?".
_ORDER_TERM = re.compile(r"-?[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*")
# Fields of this app whose `order` is checked against an allow-list of their own.
_OWN_ORDERED_FIELDS = frozenset({"seriesList"})


class GrappleGuardMiddleware:
    """Close two holes in grapple's own fields: ``parent`` returns any parent, drafts and private
    pages included (null it when the request may not see it); ``order`` goes straight to the ORM,
    so ``order: "owner__password"`` sorts pages by their owner's password hash (allow only the
    listed objects' own fields)."""

    def resolve(self, next_: Any, root: Any, info: Any, **kwargs: Any) -> Any:
        order = kwargs.get("order")
        if isinstance(order, str) and info.field_name not in _OWN_ORDERED_FIELDS:
            for term in order.split(","):
                if not _ORDER_TERM.fullmatch(term.strip()):
                    raise GraphQLError(
                        f"order must name fields of the listed objects, each optionally with "
                        f'"-", e.g. "-first_published_at"; {term.strip()[:100]!r} is not one.'
                    )
        result = next_(root, info, **kwargs)
        if (
            info.field_name == "parent"
            and isinstance(result, get_page_model())
            and not get_loader(info).may_see(result)
        ):
            return None
        return result


class SeriesGraphQLView(GraphQLView):
    """graphene-django's GraphQLView for the site's grapple schema, with limits (see module)."""

    def __init__(self, schema: Any = None, validation_rules: Any = None, **kwargs: Any) -> None:
        super().__init__(
            schema=schema or self.schema or default_schema(),
            # As a view instance serves one request, the settings are read for each request.
            validation_rules=validation_rules or limit_rules(),
            **kwargs,
        )

    def get_middleware(self, request: HttpRequest) -> list[Any]:
        return [*(super().get_middleware(request) or []), GrappleGuardMiddleware()]

    def execute_graphql_request(self, *args: Any, **kwargs: Any) -> ExecutionResult | None:
        try:
            return super().execute_graphql_request(*args, **kwargs)
        except HttpError:
            raise
        except Exception:
            # graphene-django runs validation outside its own try: nothing here may be a 500.
            logger.exception("GraphQL request failed")
            return ExecutionResult(errors=[GraphQLError("This query could not be processed.")])

    @staticmethod
    def format_error(error: Any) -> dict[str, Any]:
        if isinstance(error, GraphQLError):
            original = error.original_error
            if original is not None and not isinstance(original, GraphQLError):
                logger.error("GraphQL resolver error", exc_info=original)
                error = GraphQLError(
                    INTERNAL_ERROR, error.nodes, error.source, error.positions, error.path
                )
            formatted = error.formatted
            if not series_settings.GRAPHQL_INTROSPECTION:
                formatted["message"] = _SUGGESTION.sub("", formatted["message"])
            return formatted
        return {"message": str(error)}
