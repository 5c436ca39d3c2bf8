from django.core.management.base import BaseCommand
from django.db import transaction

from alignment.demo import DEMO_OPS
from alignment.demo import DEMO_PASSWORD
from alignment.demo import DEMO_USERS
from alignment.demo import seed_demo
from alignment.demo import seed_demo_ops


class Command(BaseCommand):
    help = "Create or refresh the demo workspace (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        with transaction.atomic():
            # Every app's part, each registered from its AppConfig.ready (alignment.demo).
            workspace = seed_demo(complete=True)
            seed_demo_ops()
        self.stdout.write(self.style.SUCCESS(f"Demo workspace '{workspace.slug}' is ready."))
        logins = ", ".join(f"{username} ({role})" for username, _, _, role in DEMO_USERS)
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}): {logins}")
        self.stdout.write(f"Ops login for /admin/ (superuser, same password): {DEMO_OPS}")
