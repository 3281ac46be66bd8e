from django.db import migrations, models
from django.db.models import F


def mark_existing_versions_propagated(apps, schema_editor):
    # Changes made before this migration were propagated (or are beyond knowing): recovery
    # starts from now.
    SeriesVersion = apps.get_model("wagtail_series", "SeriesVersion")
    SeriesVersion.objects.using(schema_editor.connection.alias).update(
        propagated_version=F("version")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_series", "0005_latest_public_part_published_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="seriesversion",
            name="propagated_version",
            field=models.PositiveBigIntegerField(default=0, verbose_name="propagated version"),
        ),
        migrations.AddField(
            model_name="seriesversion",
            name="recovered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="recovered at"),
        ),
        migrations.RunPython(mark_existing_versions_propagated, migrations.RunPython.noop),
    ]
