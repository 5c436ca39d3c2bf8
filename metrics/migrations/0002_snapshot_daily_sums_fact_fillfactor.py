"""The snapshot keeps its daily sums; room on every page of the fact tables for a new
version of each of its rows.

A corrected re-import updates rows in place; none of the updated columns is indexed, so
with free space on the page PostgreSQL makes each update a HOT update: no new entry in
either index (measured in docs/benchmarks.md). PostgreSQL only; the state of the models
does not change.
"""

from django.db import migrations, models

FACT_TABLES = ("metrics_campaignmetric", "metrics_usagemetric")
FILLFACTOR = 50


def set_fillfactor(apps, schema_editor, value=FILLFACTOR):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in FACT_TABLES:
        schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {int(value)})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in FACT_TABLES:
        schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="dashboardsnapshot",
            name="daily_sums",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(set_fillfactor, reset_fillfactor),
    ]
