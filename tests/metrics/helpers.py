"""Building import files in tests and running them through the real pipeline."""

import io

from django.core.files.base import ContentFile

from metrics import services

CAMPAIGN_HEADER = "date,campaign,channel,spend,impressions,clicks,visits,leads,purchases,revenue"
USAGE_HEADER = "date,product,feature,active_users,events,new_users,retained_users"
SURVEY_HEADER = "submitted_at,respondent,survey,score,comment"


def csv_bytes(header: str, *rows: str, encoding="utf-8", delimiter=",", bom=False) -> bytes:
    text = "\n".join([header, *rows]) + "\n"
    if delimiter != ",":
        text = text.replace(",", delimiter)
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def import_job(workspace, kind, data: bytes, *, name=None, actor=None, enqueue=False, **kwargs):
    """Store `data` as an import job (not sent to a worker unless `enqueue`)."""
    return services.import_job_create(
        actor=actor,
        workspace=workspace,
        kind=kind,
        file=ContentFile(data, name=name or f"{kind}.csv"),
        enqueue=enqueue,
        **kwargs,
    )


def run_import(workspace, kind, data: bytes, *, name=None, actor=None, force=False, **kwargs):
    """Store `data` as an import job and run it in-process, as the Celery task would."""
    job = import_job(workspace, kind, data, name=name, actor=actor, **kwargs)
    services.import_job_run(job=job, force=force)
    job.refresh_from_db()
    return job


def import_and_recompute(workspace, campaign: str, revenue) -> None:
    """One campaign row (2024-03-01, spend 100) imported, then the dashboard recomputed."""
    services.import_rows(
        actor=None,
        workspace=workspace,
        kind="campaign",
        rows=[{"date": "2024-03-01", "campaign": campaign, "spend": 100, "revenue": revenue}],
    )
    services.dashboard_recompute(workspace=workspace)


def errors_of(job) -> list[list[str]]:
    import csv

    with job.errors_file.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))
