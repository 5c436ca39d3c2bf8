from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from alignment.portability import workspace_restore


class Command(BaseCommand):
    help = "Create a new workspace from an export archive (export_workspace or the API)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--slug", required=True, help="The new workspace's slug.")
        parser.add_argument("--name", default="", help="Its name (default: the exported one).")
        parser.add_argument("--admin", required=True, help="Username of its first admin.")

    def handle(self, *args, path, slug, name, admin, **options):
        user = get_user_model().objects.filter(username=admin).first()
        if user is None:
            raise CommandError(f"No user '{admin}'.")
        try:
            with path.open("rb") as archive:
                workspace = workspace_restore(actor=user, archive=archive, slug=slug, name=name)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored into workspace '{workspace.slug}'."))
