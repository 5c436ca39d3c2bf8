from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from alignment.demo import DEMO_OPS, DEMO_PASSWORD, DEMO_USERS, seed_demo, seed_demo_ops


class Command(BaseCommand):
    help = "Create or refresh the demo workspace (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        with transaction.atomic():
            workspace = seed_demo()
            seed_demo_ops()
            # Each domain app may add its part of the demo in `<app>/demo.py: seed(workspace)`.
            for app_name in ("research", "launches", "metrics"):
                if apps.is_installed(app_name) and find_spec(f"{app_name}.demo"):
                    import_module(f"{app_name}.demo").seed(workspace)
        self.stdout.write(self.style.SUCCESS(f"Demo workspace '{workspace.slug}' is ready."))
        logins = ", ".join(f"{username} ({role})" for username, _, _, role in DEMO_USERS)
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}): {logins}")
        self.stdout.write(f"Ops login for /admin/ (superuser, same password): {DEMO_OPS}")
