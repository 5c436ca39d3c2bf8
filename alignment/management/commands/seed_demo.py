from django.core.management.base import BaseCommand

from alignment.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo


class Command(BaseCommand):
    help = "Create or refresh the demo workspace (idempotent)."

    def handle(self, *args, **options):
        workspace = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo workspace '{workspace.slug}' is ready."))
        logins = ", ".join(f"{username} ({role})" for username, _, _, role in DEMO_USERS)
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}): {logins}")
