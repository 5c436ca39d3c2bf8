"""How workspace export and restore (alignment.portability) treat metrics' models:
registered from MetricsConfig.ready, so the core names no metrics code."""

from alignment.portability import DROP
from alignment.portability import IdRef
from alignment.portability import UrlRef
from alignment.portability import register


def _dashboard_recompute(workspace) -> None:
    from metrics.diagnostics.snapshot import snapshot_write
    from metrics.services import dashboard_recompute

    dashboard_recompute(workspace=workspace)
    snapshot_write(workspace=workspace)  # the live diagnoses, with their new ids and links


def _dashboard_request(workspace) -> None:
    from metrics.models import BackgroundRun
    from metrics.services import background_run_request

    background_run_request(workspace_id=workspace.pk, kind=BackgroundRun.Kind.DASHBOARD)


def register_models() -> None:
    # The import that last wrote the fact (the merge sets it without a constraint).
    for label in ("metrics.CampaignMetric", "metrics.UsageMetric", "metrics.SurveyResponse"):
        register(label, refs=(IdRef("import_job_id", to="metrics.ImportJob"),))
    # A diagnosis about a subject that is gone is about nothing: the next run would resolve
    # it, and two of them would clash on the one-live-per-subject constraint as 0.
    register(
        "metrics.Diagnosis",
        refs=(
            IdRef(
                "subject_id",
                kind="subject_type",
                to={
                    "campaign": "launches.Campaign",
                    "feature": "alignment.Feature",
                    "launch": "launches.Launch",
                    "objective": "alignment.Objective",
                    "claim": "alignment.Claim",
                    "channel": None,  # named in subject_key
                    "workspace": None,
                },
                missing=DROP,
            ),
            IdRef("feedback_id", to="alignment.Feedback"),
            IdRef("evidence", key="target_id", to="alignment.ObjectiveTarget"),  # kpi_off_target
            IdRef("evidence", key="release", to="launches.Release"),  # release_campaign_conflict
            IdRef("evidence", key="feature", to="alignment.Feature"),  # release_campaign_conflict
            IdRef("evidence", key="claim", to="alignment.Claim"),  # unsupported_claim
            UrlRef("link"),
        ),
    )
    # Background-run leases are a worker's bookkeeping, not the workspace's data.
    register("metrics.BackgroundRun", exported=False)
    # Campaign rankings, diagnoses and their links, full of ids: computed again.
    register("metrics.DashboardSnapshot", recompute=_dashboard_recompute, defer=_dashboard_request)
