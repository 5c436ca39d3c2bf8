"""The oldest database this version upgrades.

Each app's early migrations are squashed into one (its `replaces` lists them). A database
that applied all of a squash's migrations, or none, migrates as before. One that applied
only some of them (an install last migrated by a version older than the squash) Django
would pass over without a word, leaving tables and columns missing: `migrate` refuses it
and says how to get through (docs/operations.md, Upgrading).
"""

from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.loader import MigrationLoader

# The last commit whose migrations are the separate steps the squashes replace.
LAST_SEPARATE_MIGRATIONS = "9fa12e6"


def partly_applied_squashes(*, connection) -> list[tuple[str, str]]:
    """The squashes of which this database applied some migrations but not all."""
    loader = MigrationLoader(connection)
    applied = loader.applied_migrations
    return sorted(
        key
        for key, squash in loader.replacements.items()
        if key not in applied and any(replaced in applied for replaced in squash.replaces)
    )


def refuse_partly_applied(sender, *, using, **kwargs):
    """pre_migrate: stop before any migration runs on a database this version can't bring
    up to date."""
    stale = partly_applied_squashes(connection=connections[using])
    if stale:
        names = ", ".join(f"{app} {name}" for app, name in stale)
        raise CommandError(
            f"This database is older than this version upgrades from ({names} only partly "
            f"applied). Check out {LAST_SEPARATE_MIGRATIONS}, run `manage.py migrate` "
            "there, then come back to this version and migrate again."
        )
