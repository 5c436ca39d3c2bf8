from pathlib import Path

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from alignment.models import Workspace
from alignment.portability import workspace_export


class Command(BaseCommand):
    help = "Write a workspace's complete export (zip of JSON lines and files) to a path."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("path", type=Path)

    def handle(self, *args, slug, path, **options):
        workspace = Workspace.objects.filter(slug=slug).first()
        if workspace is None:
            raise CommandError(f"No workspace '{slug}'.")
        with path.open("wb") as stream:
            manifest = workspace_export(workspace=workspace, stream=stream)
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(f"Exported {rows} rows of '{slug}' to {path}."))
