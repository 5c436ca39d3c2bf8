"""Imports in chunks (PostgreSQL overlaps reading one chunk with merging the previous one):
whatever the chunk size, an import ends with the same facts, the same rejected rows and the
same counts as when the whole file is one chunk."""

import random
import sys

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from metrics.importing import pipeline
from metrics.models import CampaignMetric
from metrics.models import ImportJob
from metrics.models import UsageMetric
from tests.factories import WorkspaceFactory
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import USAGE_HEADER
from tests.metrics.helpers import csv_bytes
from tests.metrics.helpers import errors_of
from tests.metrics.helpers import run_import

pytestmark = pytest.mark.django_db
Status = ImportJob.Status
DAYS = ["2024-05-01", "2024-05-02", "2024-05-03", "2024-05-04"]
# Raw values as files bring them: spaces, times on dates, impossible dates, names in two cases.
RAW_DAYS = [*DAYS, " 2024-05-02", "2024-05-03T00:00:00", "2024-02-30"]
CAMPAIGNS = ["Alpha", "alpha", " Beta", "Beta", "Gamma Launch", ""]
CHANNELS = ["email", "social", "", " email"]
SPENDS = ["10", "12.5", "0", "7,25", "-3", "oops", "", "1,000"]


def _facts(workspace):
    return sorted(
        CampaignMetric.objects.filter(workspace=workspace).values_list(
            "campaign__name", "date", "channel", "spend", "clicks"
        )
    )


def _usage(workspace):
    return sorted(
        UsageMetric.objects.filter(workspace=workspace).values_list(
            "product__name", "feature__name", "date", "active_users", "retained_users"
        ),
        key=str,
    )


def _result(job):
    errors = errors_of(job)[1:] if job.errors_file else []
    return (
        job.status,
        job.rows_read,
        job.rows_imported,
        job.rows_rejected,
        job.rows_changed,
        [row[:3] for row in errors],
    )


def _import_both(monkeypatch, kind, data, small, whole, chunk_rows):
    """Into `small` in chunks of `chunk_rows`; into `whole` as one chunk, every row through
    the validator (no fast path for rows like those seen before)."""
    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "CHUNK_ROWS", chunk_rows)
        chunked = run_import(small, kind, data, force=True)
    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "CHUNK_ROWS", 1_000_000)
        for encoder in (pipeline.CampaignEncoder, pipeline.UsageEncoder):
            patch.setattr(encoder, "fast_text", lambda self, line, values: None)
        single = run_import(whole, kind, data, force=True)
    return chunked, single


campaign_rows = st.lists(
    st.tuples(
        st.sampled_from(RAW_DAYS),
        st.sampled_from(CAMPAIGNS),
        st.sampled_from(CHANNELS),
        st.sampled_from(SPENDS),
        st.integers(min_value=0, max_value=3),
    ),
    min_size=1,
    max_size=30,
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=campaign_rows,
    second=campaign_rows,
    repeats=st.lists(st.integers(min_value=0, max_value=29), max_size=5),
    grouped=st.booleans(),
    chunk_rows=st.integers(min_value=1, max_value=4),
)
def test_chunked_campaign_imports_equal_one_chunk(
    monkeypatch, first, second, repeats, grouped, chunk_rows
):
    small, whole = WorkspaceFactory(), WorkspaceFactory()
    for rows in (first, second):  # the second import lands on the first one's facts
        # Repeated keys with other numbers: rejected as duplicates, the first line wins.
        rows = rows + [(*rows[i][:3], "99", 2) for i in repeats if i < len(rows)]
        if grouped:  # as exports come: each day's rows together
            rows = sorted(rows, key=lambda row: row[0])
        data = csv_bytes(
            CAMPAIGN_HEADER,
            *[
                f"{day},{name},{channel},{spend},1,{clicks},1,0,0,0"
                for day, name, channel, spend, clicks in rows
            ],
        )
        chunked, single = _import_both(monkeypatch, "campaign", data, small, whole, chunk_rows)
        assert _result(chunked) == _result(single)
        assert _facts(small) == _facts(whole)


def test_a_day_coming_back_after_merged_chunks_is_checked_against_them(monkeypatch, workspace):
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)
    lines = [f"2024-06-0{day},C{n},email,{day}{n},1,1,1,0,0,0" for day in (1, 2, 3) for n in (1, 2)]
    lines.append("2024-06-01,C1,email,99,1,1,1,0,0,0")  # line 8 repeats line 2's key
    lines.append("2024-06-04,C1,email,4,1,1,1,0,0,0")
    job = run_import(workspace, "campaign", csv_bytes(CAMPAIGN_HEADER, *lines))
    assert job.status == Status.SUCCEEDED_WITH_ERRORS
    assert (job.rows_read, job.rows_imported, job.rows_rejected) == (8, 7, 1)
    assert [row[:3] for row in errors_of(job)[1:]] == [
        [
            "8",
            "campaign, date, channel",
            "duplicate key: the same campaign, date, channel as line 2",
        ]
    ]
    first = CampaignMetric.objects.get(workspace=workspace, campaign__name="C1", date="2024-06-01")
    assert str(first.spend) == "11.00"  # the first line wins
    assert CampaignMetric.objects.filter(workspace=workspace).count() == 7


def test_usage_in_chunks_keeps_product_totals_once(monkeypatch, workspace, other_workspace):
    rows = []
    for day in DAYS:
        for product in ("Atlas", "Beacon"):
            rows.append(f"{day},{product},,500,900,5,250")  # the product's own totals
            rows.append(f"{day},{product},Search,100,400,2,50")
    random.Random(7).shuffle(rows[4:])  # days stop coming grouped after the first two rows
    data = csv_bytes(USAGE_HEADER, *rows)
    for _ in range(2):
        chunked, single = _import_both(monkeypatch, "usage", data, workspace, other_workspace, 3)
        assert _result(chunked) == _result(single)
        assert _usage(workspace) == _usage(other_workspace)
    assert UsageMetric.objects.filter(workspace=workspace, feature=None).count() == 8


def test_a_file_failing_late_leaves_nothing_of_its_early_chunks(monkeypatch, settings, workspace):
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)
    settings.IMPORT_MAX_ROWS = 10  # the 11th row: the file is refused as a whole
    good = [f"2024-07-{day:02d},Early,email,5,1,1,1,0,0,0" for day in range(1, 13)]
    job = run_import(workspace, "campaign", csv_bytes(CAMPAIGN_HEADER, *good))
    assert job.status == Status.FAILED
    assert job.message == "The file has more than 10 rows: split it into smaller files."
    assert not CampaignMetric.objects.filter(workspace=workspace).exists()


def test_the_process_switch_interval_is_restored_after_imports(settings, workspace):
    """The import lowers the interval at which a waiting thread gets the GIL, and puts the
    process's own setting back afterwards, also when an import fails."""
    before = sys.getswitchinterval()
    run_import(
        workspace, "campaign", csv_bytes(CAMPAIGN_HEADER, "2024-08-01,A,email,1,1,1,1,0,0,0")
    )
    settings.IMPORT_MAX_ROWS = 2
    rows = [f"2024-08-0{day},A,email,1,1,1,1,0,0,0" for day in range(2, 5)]
    failed = run_import(workspace, "campaign", csv_bytes(CAMPAIGN_HEADER, *rows))
    assert failed.status == Status.FAILED
    assert sys.getswitchinterval() == before
