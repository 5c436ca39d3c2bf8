"""The live diagnoses in the dashboard snapshot: `snapshot_write` puts the open and
acknowledged ones' summary into DashboardSnapshot.data["diagnostics"], the list the
dashboard renders (after each run, and after a restore renumbers them).
"""

from __future__ import annotations

from alignment.locks import workspace_lock
from alignment.models import Workspace
from metrics.models import DashboardSnapshot
from metrics.models import Diagnosis


def snapshot_summary(workspace: Workspace) -> list[dict]:
    rows = (
        Diagnosis.objects.in_workspace(workspace)
        .filter(state__in=Diagnosis.LIVE)
        .values("id", "rule", "severity", "team", "subject_type", "subject_id", "message", "link")
    )
    return sorted(
        rows, key=lambda row: (Diagnosis.SEVERITY_ORDER.get(row["severity"], 9), -row["id"])
    )


def snapshot_write(*, workspace: Workspace) -> None:
    """Put the live diagnoses into the dashboard snapshot (under the dashboard's lock, so a
    recompute running at the same time cannot overwrite them with an older list)."""
    with workspace_lock("dashboard", workspace.pk):
        snapshot, _ = DashboardSnapshot.objects.select_for_update().get_or_create(
            workspace=workspace
        )
        data = dict(snapshot.data or {})
        data["diagnostics"] = snapshot_summary(workspace)
        snapshot.data = data
        snapshot.save(update_fields=["data"])
