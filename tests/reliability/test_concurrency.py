"""Concurrency (issue 10, point 4): four overlapping imports into one workspace at once end
in the facts of importing them one after another (in the order their merges committed),
and two dashboard recomputes of one workspace never interleave. PostgreSQL, real
connections in threads (advisory locks are per session)."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.db import connection

from alignment.celery import app
from metrics import selectors
from metrics import services
from metrics.importing import pipeline
from metrics.models import ImportJob
from tests.reliability.conftest import campaign_file
from tests.reliability.conftest import fact_totals
from tests.reliability.conftest import file_totals

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _in_thread(function, *args):
    app.set_current()  # Celery's current app is per thread: the eager test app
    try:
        return function(*args)
    finally:
        connection.close()  # each thread has its own connection


def _create(workspace, path) -> ImportJob:
    return services.import_job_create_from_path(
        path=path, actor=None, workspace=workspace, kind="campaign", enqueue=False
    )


def test_four_overlapping_imports_at_once_equal_sequential(
    postgres_required, workspace, other_workspace, media_root, tmp_path, monkeypatch
):
    # 40 days each, starting 10 days apart: neighbours share 30 days with other values.
    paths = [
        campaign_file(tmp_path / f"part-{i}.csv", 20_000, bump=i, start_day=10 * i)
        for i in range(4)
    ]
    jobs = {_create(workspace, path).pk: path for path in paths}
    merged: list[int] = []
    real_lock = pipeline.workspace_lock

    @contextmanager
    def recording_lock(scope, workspace_id, **kwargs):
        with real_lock(scope, workspace_id, **kwargs) as acquired:
            merged.append(threading.get_ident())  # inside the lock: the commit order
            yield acquired

    monkeypatch.setattr(pipeline, "workspace_lock", recording_lock)
    owners: dict[int, int] = {}

    def run(job_id):
        owners[threading.get_ident()] = job_id
        job = ImportJob.objects.get(pk=job_id)
        start.wait()
        return services.import_job_run(job=job, force=True).status

    start = threading.Barrier(4)
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda job_id: _in_thread(run, job_id), jobs))
    assert statuses == ["succeeded"] * 4
    order = [jobs[owners[ident]] for ident in merged]
    assert sorted(order) == sorted(paths)

    for path in order:  # the same files, one after another, into a second workspace
        job = _create(other_workspace, path)
        assert services.import_job_run(job=job, force=True).status == "succeeded"
    concurrent, sequential = fact_totals(workspace), fact_totals(other_workspace)
    assert concurrent == sequential == file_totals(*order)
    assert concurrent["rows"] == 70 * 500  # 70 distinct days of 500 campaigns


def test_two_snapshot_recomputes_never_interleave(postgres_required, workspace, monkeypatch):
    spans: list[tuple[float, float]] = []
    real_compute = selectors.dashboard_compute

    def slow_compute(**kwargs):
        entered = time.monotonic()
        time.sleep(0.5)
        data = real_compute(**kwargs)
        spans.append((entered, time.monotonic()))
        return data

    monkeypatch.setattr(selectors, "dashboard_compute", slow_compute)
    start = threading.Barrier(2)

    def recompute():
        start.wait()
        return services.dashboard_recompute(workspace=workspace)

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(_in_thread, recompute) for _ in range(2)]
        snapshots = [future.result() for future in futures]
    assert len(spans) == 2
    (first_in, first_out), (second_in, second_out) = sorted(spans)
    assert first_out <= second_in, "the two recomputes overlapped"
    assert snapshots[0].pk == snapshots[1].pk  # one snapshot row per workspace
