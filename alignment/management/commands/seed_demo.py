from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from alignment.demo import DEMO_OPS, DEMO_PASSWORD, DEMO_USERS, seed_demo, seed_demo_ops


class Command(BaseCommand):
    help = "Create or refresh the demo workspace (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        with transaction.atomic():
            workspace = seed_demo()
            seed_demo_ops()
            # Each other app may add its part of the demo in `<app>/demo: seed(workspace)`,
            # in INSTALLED_APPS order (an app after those it builds on).
            for config in apps.get_app_configs():
                ours = Path(config.path).is_relative_to(settings.BASE_DIR)
                if ours and config.name != "alignment" and find_spec(f"{config.name}.demo"):
                    import_module(f"{config.name}.demo").seed(workspace)
        self.stdout.write(self.style.SUCCESS(f"Demo workspace '{workspace.slug}' is ready."))
        logins = ", ".join(f"{username} ({role})" for username, _, _, role in DEMO_USERS)
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}): {logins}")
        self.stdout.write(f"Ops login for /admin/ (superuser, same password): {DEMO_OPS}")
