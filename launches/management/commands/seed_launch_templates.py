from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from alignment.models import Workspace
from launches.services import launch_template_seed_defaults


class Command(BaseCommand):
    help = (
        "Add the default tier 1-3 launch templates to every workspace (or one) that lacks "
        "them. Idempotent: existing templates, edited or not, are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workspace", help="Only this workspace (its slug).")

    def handle(self, *args, workspace=None, **options):
        workspaces = Workspace.objects.order_by("slug")
        if workspace:
            workspaces = workspaces.filter(slug=workspace)
            if not workspaces.exists():
                raise CommandError(f"No workspace with slug {workspace!r}.")
        for ws in workspaces:
            created = launch_template_seed_defaults(workspace=ws)
            self.stdout.write(f"{ws.slug}: {len(created)} template(s) added.")
