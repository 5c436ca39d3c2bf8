"""`make bench`: the import pipeline, the snapshot recompute and `kpis/` on PostgreSQL.

Run as `python -m tests.perf.bench` (BENCH_ROWS, default 1,000,000; DATABASE_URL, default
the local server's `tandem_bench` database, created and migrated if missing). Writes
bench-results.json at the project root (BENCH_OUTPUT to change it) and prints a table.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tandem_bench"
CAMPAIGNS = 500
COPY_RUNS = 5
CHANNELS = ("paid_search", "social", "email", "display", "video")
PRODUCTS, FEATURES_PER_PRODUCT = 50, 19
END = date(2026, 6, 30)

KEYS = (
    "rows",
    "copy_s",
    "import_s",
    "copy_table_s",
    "import_vs_table_copy",
    "reimport_same_s",
    "reimport_changed_s",
    "import_ratio",
    "reimport_same_ratio",
    "reimport_changed_ratio",
    "rows_per_s",
    "import_peak_rss_mb",
    "recompute_full_s",
    "recompute_incremental_s",
    "kpis_p50_ms",
    "kpis_p95_ms",
    "dashboard_render_ms",
    "dashboard_filtered_ms",
    "diagnostics_run_s",
)


def campaign_rows(rows: int, *, bump: int = 0, start_day: int = 0):
    """Deterministic campaign rows: CAMPAIGNS campaigns a day, going back from END."""
    yield "date,campaign,channel,spend,impressions,clicks,visits,leads,purchases,revenue\n"
    days = -(-rows // CAMPAIGNS)
    written = 0
    for offset in range(days):
        day = (END - timedelta(days=start_day + offset)).isoformat()
        for c in range(CAMPAIGNS):
            if written == rows:
                return
            n = offset * 7 + c * 13 + bump
            impressions = 1000 + n % 9000
            clicks = 10 + n % 300
            visits = clicks - n % 7
            yield (
                f"{day},Campaign {c:04d},{CHANNELS[c % len(CHANNELS)]},"
                f"{50 + n % 450}.{n % 100:02d},"
                f"{impressions},{clicks},{visits},{n % 40},{n % 25},{100 + n % 1900}.{n % 97:02d}\n"
            )
            written += 1


def usage_rows(rows: int):
    yield "date,product,feature,active_users,events,new_users,retained_users\n"
    keys = PRODUCTS * (FEATURES_PER_PRODUCT + 1)
    days = -(-rows // keys)
    written = 0
    for offset in range(days):
        day = (END - timedelta(days=offset)).isoformat()
        for p in range(PRODUCTS):
            for f in range(FEATURES_PER_PRODUCT + 1):
                if written == rows:
                    return
                n = offset * 3 + p * 11 + f * 5
                active = 5000 + n % 3000 if f == 0 else 100 + n % 2000
                feature = "" if f == 0 else f"Feature {f:02d}"
                yield (
                    f"{day},Product {p:02d},{feature},{active},{active * 4},{n % 90},"
                    f"{active // 2}\n"
                )
                written += 1


def write(path: Path, lines) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        buffer = []
        for line in lines:
            buffer.append(line)
            if len(buffer) >= 10_000:
                handle.write("".join(buffer))
                buffer.clear()
        handle.write("".join(buffer))
    return path


def ensure_database(url: str) -> None:
    import psycopg2
    from dj_database_url import parse

    config = parse(url)
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()


def _median_ms(client, url: str, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:200]
    return statistics.median(timings)


def table_copy_s(workspace, workdir: Path, settle) -> float:
    """The physical limit of the first import: a COPY of the rows it wrote (ids already
    resolved) into a new table shaped like the fact table, with its indexes and
    constraints; the median of COPY_RUNS, each into a new table."""
    from django.db import connection

    raw = connection.connection
    dump = workdir / "facts.copy"
    with dump.open("wb") as handle, raw.cursor() as cursor:
        cursor.copy_expert(
            "COPY (SELECT * FROM metrics_campaignmetric WHERE workspace_id = "
            f"{int(workspace.pk)}) TO STDOUT",
            handle,
        )
    seconds = []
    for _ in range(COPY_RUNS):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_fact_copy")
            cursor.execute(
                "CREATE TABLE bench_fact_copy (LIKE metrics_campaignmetric INCLUDING ALL)"
            )
        settle()
        with dump.open("rb") as handle, raw.cursor() as cursor:
            started = time.perf_counter()
            cursor.copy_expert("COPY bench_fact_copy FROM STDIN", handle)
            raw.commit() if not raw.autocommit else None
            seconds.append(time.perf_counter() - started)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_fact_copy")
    return statistics.median(seconds)


def main() -> dict:
    rows = int(os.environ.get("BENCH_ROWS", "1000000"))
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alignment.settings")
    workdir = Path(tempfile.mkdtemp(prefix="tandem-bench-"))
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    # The upload limit guards the web; the bench's own files may be larger (BENCH_ROWS=5M).
    os.environ.setdefault("METRICS_IMPORT_MAX_SIZE", str(10 * 1024**3))
    # The task's code runs in-process (eager), whatever broker the shell names: the
    # follow-up tasks are intercepted and timed below, never sent to a worker.
    os.environ.pop("CELERY_BROKER_URL", None)
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("make bench needs PostgreSQL (DATABASE_URL=postgres://...)")
    ensure_database(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    call_command("migrate", verbosity=0)
    setup_test_environment()
    from alignment.models import Membership
    from alignment.models import Role
    from alignment.models import Workspace
    from metrics import services
    from metrics import tasks
    from metrics.models import ImportJob

    # The follow-up task of each import: its statistics refresh runs after the import (not
    # timed), its snapshot recompute is timed on its own below.
    follow_ups: list[dict] = []
    tasks.recompute_dashboard.delay = lambda *args, **kwargs: follow_ups.append(kwargs)

    results: dict = {"rows": rows}
    say = lambda text: print(text, flush=True)  # noqa: E731

    def settle():
        """Each timed step starts with the previous steps' dirty pages written out (the
        server's checkpoints otherwise land on whichever step runs when one is due)."""
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")

    say(f"Generating {rows:,} campaign and {rows:,} usage rows in {workdir} ...")
    campaign_file = write(workdir / "campaign.csv", campaign_rows(rows))
    changed_file = write(workdir / "campaign-changed.csv", campaign_rows(rows, bump=1))
    usage_file = write(workdir / "usage.csv", usage_rows(rows))
    extra_file = write(workdir / "campaign-extra.csv", campaign_rows(10_000, bump=3))

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE metrics_campaignmetric, metrics_usagemetric, metrics_surveyresponse"
        )
    # The baseline is the median of COPY_RUNS COPYs, each into a new table: a single 1-2 s COPY
    # moves by a third between runs on the same machine, and every ratio divides by it.
    copies = []
    raw = connection.connection
    for _ in range(COPY_RUNS):
        settle()
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_copy_baseline")
            cursor.execute(
                "CREATE UNLOGGED TABLE bench_copy_baseline (date date, campaign text, "
                "channel text, spend numeric, impressions bigint, clicks bigint, visits bigint, "
                "leads bigint, purchases bigint, revenue numeric)"
            )
        with campaign_file.open("rb") as handle, raw.cursor() as cursor:
            started = time.perf_counter()
            cursor.copy_expert(
                "COPY bench_copy_baseline FROM STDIN WITH (FORMAT csv, HEADER)", handle
            )
            raw.commit() if not raw.autocommit else None
            copies.append(time.perf_counter() - started)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_copy_baseline")
    results["copy_s"] = statistics.median(copies)
    runs = ", ".join(f"{seconds:.2f}" for seconds in copies)
    say(f"  COPY baseline: {runs} s (median {results['copy_s']:.2f})")

    Workspace.objects.filter(slug="bench").delete()
    workspace = Workspace.objects.create(slug="bench", name="Benchmark")

    def timed_import(path: Path, kind="campaign", force=True):
        job = services.import_job_create_from_path(
            path=path, actor=None, workspace=workspace, kind=kind, enqueue=False
        )
        settle()
        started = time.perf_counter()
        services.import_job_run(job=job, force=force)
        elapsed = time.perf_counter() - started
        assert job.status == ImportJob.Status.SUCCEEDED, (job.status, job.message)
        say(f"  {path.name}: {elapsed:.2f} s - {job.message}")
        # What the import's follow-up task does first, before anything else reads the
        # facts: fresh planner statistics when the import changed much of its table.
        started = time.perf_counter()
        while follow_ups:
            task = follow_ups.pop()
            if services.facts_analyze_if_stale(
                kind=task["changed_kind"], rows_changed=task["rows_changed"]
            ):
                say(f"    follow-up ANALYZE: {time.perf_counter() - started:.2f} s")
        return elapsed, job

    say("Importing ...")
    results["import_s"], _ = timed_import(campaign_file, force=False)
    results["import_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["copy_table_s"] = table_copy_s(workspace, workdir, settle)
    say(f"  COPY of the imported rows into a fact-shaped table: {results['copy_table_s']:.2f} s")
    results["reimport_same_s"], same_job = timed_import(campaign_file, force=True)
    assert same_job.rows_changed == 0, same_job.rows_changed
    results["reimport_changed_s"], changed_job = timed_import(changed_file)
    assert changed_job.rows_changed == rows, changed_job.rows_changed
    usage_s, _ = timed_import(usage_file, kind="usage")
    say(f"  usage import: {usage_s:.2f} s")

    started = time.perf_counter()
    services.dashboard_recompute(workspace=workspace)
    results["recompute_full_s"] = time.perf_counter() - started
    _, extra_job = timed_import(extra_file)
    started = time.perf_counter()
    services.dashboard_recompute(
        workspace=workspace, date_from=extra_job.date_from, date_to=extra_job.date_to
    )
    results["recompute_incremental_s"] = time.perf_counter() - started

    # The diagnostic rules over the same 1M + 1M rows and 500 campaigns, with a tenth of
    # the campaigns promoting a feature (so the adoption rule has work to do).
    from alignment.models import Feature
    from launches.models import Campaign

    features = list(Feature.objects.in_workspace(workspace).order_by("pk")[:50])
    for campaign, feature in zip(
        Campaign.objects.in_workspace(workspace).order_by("pk")[:50], features, strict=False
    ):
        campaign.start_date = END - timedelta(days=30)
        campaign.save(update_fields=["start_date"])
        campaign.features.add(feature)
    services.diagnostics_run(workspace=workspace)  # the first run files them all
    started = time.perf_counter()
    run = services.diagnostics_run(workspace=workspace)
    results["diagnostics_run_s"] = time.perf_counter() - started
    say(f"  diagnostics run: {results['diagnostics_run_s']:.2f} s, per rule {run.timings}")

    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench-user")
    Membership.objects.get_or_create(user=user, workspace=workspace, defaults={"role": Role.PM})
    client = Client()
    client.force_login(user)
    url = (
        f"/api/v1/workspaces/bench/kpis/?kpi=roi&granularity=day"
        f"&from={(END - timedelta(days=89)).isoformat()}&to={END.isoformat()}"
    )
    timings = []
    for _ in range(200):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:200]
    timings.sort()
    results["kpis_p50_ms"] = statistics.median(timings)
    results["kpis_p95_ms"] = timings[int(len(timings) * 0.95) - 1]

    # The shared dashboard (workspace home) from the snapshot, and the analysis page
    # (Metrics) with a channel filter (computed through the KPI engine): median server time
    # over 20 renders each.
    results["dashboard_render_ms"] = _median_ms(client, "/w/bench/?period=30", 20)
    results["dashboard_filtered_ms"] = _median_ms(
        client, f"/w/bench/metrics/?period=30&channel={CHANNELS[0]}", 20
    )

    copy_s = results["copy_s"]
    results["import_ratio"] = results["import_s"] / copy_s
    results["import_vs_table_copy"] = results["import_s"] / results["copy_table_s"]
    results["reimport_same_ratio"] = results["reimport_same_s"] / copy_s
    results["reimport_changed_ratio"] = results["reimport_changed_s"] / copy_s
    results["rows_per_s"] = rows / results["import_s"]
    results = {key: round(results[key], 3) for key in KEYS}
    output = Path(os.environ.get("BENCH_OUTPUT", ROOT / "bench-results.json"))
    output.write_text(json.dumps(results, indent=2) + "\n")
    say(f"\n{'measure':<26}{'value':>14}")
    for key in KEYS:
        say(f"{key:<26}{results[key]:>14,.3f}")
    say(f"\nWritten to {output}")
    for path in workdir.rglob("*"):
        if path.is_file():
            path.unlink()
    return results


if __name__ == "__main__":
    main()
