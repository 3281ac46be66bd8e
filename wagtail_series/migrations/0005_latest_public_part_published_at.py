"""The listings' default order as a stored, indexed column, filled for the existing series.

``latest_public_part_published_at`` is kept right by propagation from now on; ``fill`` computes
it once for every series with the reader's rule (``reader.latest_public_part_dates``, the one
home of it), reading only the tree columns it has always read.
"""

from django.db import migrations, models

import wagtail_series.models.indexes
from wagtail_series.compat import page_parent_link_name

# Series per query and per UPDATE.
BATCH = 500


def fill_latest_public_part_published_at(apps, schema_editor):
    from wagtail_series.reader import latest_public_part_dates

    SeriesPage = apps.get_model("wagtail_series", "SeriesPage")
    manager = SeriesPage._base_manager.using(schema_editor.connection.alias)
    ids = list(manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        dates = latest_public_part_dates(ids[start : start + BATCH])
        pages = [
            SeriesPage(pk=pk, latest_public_part_published_at=value) for pk, value in dates.items()
        ]
        manager.bulk_update(pages, ["latest_public_part_published_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_series", "0004_webhook_delivery_claim"),
    ]

    operations = [
        migrations.AddField(
            model_name="seriespage",
            name="latest_public_part_published_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="latest public part published at",
            ),
        ),
        migrations.AddIndex(
            model_name="seriespage",
            index=wagtail_series.models.indexes.NullsLastIndex(
                fields=["-latest_public_part_published_at", page_parent_link_name()],
                name="wagtail_series_latest_part",
            ),
        ),
        migrations.RunPython(fill_latest_public_part_published_at, migrations.RunPython.noop),
    ]
