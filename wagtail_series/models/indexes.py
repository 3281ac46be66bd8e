"""An index that orders NULLs last in its descending columns, as the listings' ORDER BY does."""

from __future__ import annotations

import copy
from typing import Any

from django.db import models

__all__ = ["NullsLastIndex"]


class NullsLastIndex(models.Index):
    """``models.Index`` whose descending columns put NULLs last (``DESC NULLS LAST``).

    Listings order ``F(name).desc(nulls_last=True)``; PostgreSQL only reads an index for that
    ORDER BY if the index says NULLS LAST too (its DESC default is NULLS FIRST). SQLite sorts
    NULL lowest, so its plain descending index already puts them last (and it accepts no NULLS
    clause in an index). Other databases get the plain index.
    """

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        index = self
        if schema_editor.connection.vendor == "postgresql" and not self.expressions:
            index = copy.copy(self)
            index.fields_orders = [
                (name, "DESC NULLS LAST" if order == "DESC" else order)
                for name, order in self.fields_orders
            ]
        return models.Index.create_sql(index, model, schema_editor, using=using, **kwargs)
