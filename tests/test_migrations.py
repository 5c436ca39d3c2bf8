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
