"""The migrations describe the models exactly. `make check` builds its test database from
the models (`--nomigrations`); `make test` builds it by running every migration, and this
test keeps the two the same database."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration(settings):
    settings.MIGRATION_MODULES = {}  # the project's own migrations, also under --nomigrations
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exit:
        pytest.fail(f"models have changes without a migration (makemigrations exited {exit.code})")


@pytest.fixture
def metrics_records(settings):
    """Sets this database's migration records of metrics (the project's own migrations
    loaded, also under --nomigrations); puts the real ones back after the test."""
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    settings.MIGRATION_MODULES = {}
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    records = recorder.migration_qs.filter(app="metrics")
    kept = list(records.values_list("name", flat=True))

    def record_only(names):
        records.delete()
        for name in names:
            recorder.record_applied("metrics", name)

    yield record_only
    record_only(kept)


SQUASHED_METRICS = ("metrics", "0001_squashed_0007_backgroundrun")
METRICS_BEFORE_THE_SQUASH = (
    "0001_initial",
    "0002_snapshot_daily_sums_fact_fillfactor",
    "0003_importjob_attempts_outbox",
    "0004_diagnostics",
    "0005_dashboardsnapshot_version",
    "0006_importjob_heartbeat",
    "0007_backgroundrun",
)


@pytest.mark.django_db(transaction=True)
def test_an_install_that_applied_every_squashed_migration_is_up_to_date(metrics_records):
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from alignment.upgrades import partly_applied_squashes

    metrics_records(METRICS_BEFORE_THE_SQUASH)
    assert partly_applied_squashes(connection=connection) == []
    assert SQUASHED_METRICS in MigrationLoader(connection).applied_migrations


@pytest.mark.django_db(transaction=True)
def test_migrate_refuses_an_install_older_than_the_squash(metrics_records):
    from django.core.management.base import CommandError
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from alignment.upgrades import partly_applied_squashes

    metrics_records(METRICS_BEFORE_THE_SQUASH[:5])
    assert partly_applied_squashes(connection=connection) == [SQUASHED_METRICS]
    with pytest.raises(CommandError, match="metrics 0001_squashed_0007_backgroundrun only partly"):
        call_command("migrate", verbosity=0, interactive=False)
    recorded = MigrationRecorder(connection).applied_migrations()
    assert SQUASHED_METRICS not in recorded  # nothing ran
