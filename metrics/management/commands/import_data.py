import sys
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from alignment.models import Workspace
from metrics import services
from metrics.importing.reader import PRESETS
from metrics.models import ColumnMapping
from metrics.models import ImportJob
from metrics.models import ImportKind


class Command(BaseCommand):
    help = "Import a campaign, usage or survey file (CSV or XLSX) into a workspace."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument("--workspace", required=True, help="The workspace's slug.")
        parser.add_argument("--mapping", help="Name of a saved column mapping.")
        parser.add_argument("--preset", choices=sorted(PRESETS), help="A built-in column preset.")
        parser.add_argument(
            "--force", action="store_true", help="Run even if the same file was just imported."
        )

    def handle(self, *args, kind, file, workspace, mapping=None, preset=None, force=False, **opts):
        ws = Workspace.objects.filter(slug=workspace).first()
        if ws is None:
            raise CommandError(f"No workspace with slug {workspace!r}.")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        saved = None
        if mapping:
            saved = ColumnMapping.objects.in_workspace(ws).filter(name=mapping, kind=kind).first()
            if saved is None:
                raise CommandError(f"No {kind} mapping named {mapping!r} in {workspace}.")
        try:
            job = services.import_job_create_from_path(
                path=file,
                actor=None,
                workspace=ws,
                kind=kind,
                mapping=saved,
                preset=preset or "",
                source=ImportJob.Source.COMMAND,
                enqueue=False,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        started = time.monotonic()
        interactive = sys.stderr.isatty()

        def bar(percent: int, rows: int) -> None:
            filled = percent * 30 // 100
            text = f"[{'#' * filled}{'.' * (30 - filled)}] {percent:3d}%  {rows:,} rows"
            self.stderr.write(
                ("\r" if interactive else "") + text, ending="" if interactive else "\n"
            )

        services.import_job_run(job=job, force=force, on_progress=bar)
        bar(100, job.rows_read)
        if interactive:
            self.stderr.write("")
        elapsed = time.monotonic() - started
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(f"Import #{job.pk} failed: {job.message}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Import #{job.pk} {job.status}: {job.rows_read:,} read, {job.rows_imported:,} "
                f"imported ({job.rows_changed:,} new or changed), {job.rows_rejected:,} rejected "
                f"in {elapsed:.1f} s."
            )
        )
        if job.message.startswith("Identical"):
            self.stdout.write(job.message)
        for dimension, names in (job.created_dimensions or {}).items():
            self.stdout.write(f"Created {len(names)} {dimension}: {', '.join(names[:20])}")
        if job.rows_rejected and job.errors_file:
            self.stdout.write(f"Rejected rows: {job.errors_file.path}")
