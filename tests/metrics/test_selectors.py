"""Dashboard snapshots: content, change against the previous period, the lock, and a
failed recompute that keeps the last good snapshot."""

import threading
from datetime import date
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection

from alignment.locks import workspace_lock
from metrics import selectors
from metrics import services
from metrics.models import DashboardSnapshot
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import USAGE_HEADER
from tests.metrics.helpers import csv_bytes
from tests.metrics.helpers import run_import

pytestmark = pytest.mark.django_db
AS_OF = date(2024, 6, 30)


def day(offset: int) -> str:
    return (AS_OF - timedelta(days=offset)).isoformat()


@pytest.fixture
def facts(workspace):
    run_import(
        workspace,
        "campaign",
        csv_bytes(
            CAMPAIGN_HEADER,
            f"{day(0)},Winner,email,100,1000,10,10,1,2,500",
            f"{day(3)},Loser,social,100,1000,10,10,1,0,20",
            f"{day(10)},Winner,email,100,1000,10,10,1,1,100",  # previous 7 days
        ),
    )
    run_import(
        workspace,
        "usage",
        csv_bytes(USAGE_HEADER, f"{day(0)},P,,100,0,0,50", f"{day(0)},P,F,25,0,0,5"),
    )


def test_recompute_builds_the_snapshot(workspace, facts):
    snapshot = services.dashboard_recompute(workspace=workspace)
    data = snapshot.data
    assert snapshot.as_of == AS_OF and data["as_of"] == AS_OF.isoformat()
    week = data["headline"]["7"]
    assert week["spend"] == {"value": "200.00", "previous": "100.00", "change": 1.0}
    assert week["roi"]["value"] == round((520 - 200) / 200, 4)
    assert week["roi"]["previous"] == 0.0 and week["roi"]["change"] is None
    assert data["kpis"]["spend"] == "300.00"  # 30 days
    assert [c["name"] for c in data["top_campaigns"]] == ["Winner", "Loser"]
    assert data["bottom_campaigns"][0]["name"] == "Loser"
    assert data["feature_adoption"] == [
        {"id": mock.ANY, "name": "F", "product": "P", "adoption": 0.25}
    ]
    assert len(data["series"]["periods"]) == 90
    assert data["series"]["spend"][-1] == "100.00"
    assert data["series"]["spend"][0] is None


def test_rankings_name_no_campaign_or_feature_of_another_workspace(workspace, other_workspace):
    """Facts reference their dimensions without a database constraint: a fact row whose id
    points at another workspace's campaign or feature must not bring its name along."""
    from metrics.models import CampaignMetric
    from metrics.models import UsageMetric
    from tests.factories import FeatureFactory
    from tests.factories import ProductFactory
    from tests.launches.factories import CampaignFactory

    foreign_campaign = CampaignFactory(workspace=other_workspace, name="Globex secret campaign")
    foreign_product = ProductFactory(workspace=other_workspace, name="Globex secret product")
    foreign_feature = FeatureFactory(
        workspace=other_workspace, product=foreign_product, name="Globex secret feature"
    )
    CampaignMetric.objects.create(
        workspace=workspace, campaign_id=foreign_campaign.pk, date=AS_OF, spend=10, revenue=50
    )
    UsageMetric.objects.create(
        workspace=workspace, product_id=foreign_product.pk, date=AS_OF, active_users=100
    )
    UsageMetric.objects.create(
        workspace=workspace,
        product_id=foreign_product.pk,
        feature_id=foreign_feature.pk,
        date=AS_OF,
        active_users=20,
    )
    data = services.dashboard_recompute(workspace=workspace).data
    assert data["top_campaigns"][0]["id"] == foreign_campaign.pk  # the fact is counted ...
    assert data["top_campaigns"][0]["name"] == f"#{foreign_campaign.pk}"  # ... but not named
    assert data["feature_adoption"] == [
        {"id": foreign_feature.pk, "name": f"#{foreign_feature.pk}", "product": "", "adoption": 0.2}
    ]
    assert "Globex" not in str(data)


def test_empty_workspace_gets_an_empty_snapshot(workspace):
    snapshot = services.dashboard_recompute(workspace=workspace)
    assert snapshot.as_of is None and snapshot.data["kpis"] == {}


def test_a_failed_recompute_keeps_the_last_good_snapshot(workspace, facts):
    good = services.dashboard_recompute(workspace=workspace)
    failing = mock.patch("metrics.selectors.dashboard_compute", side_effect=RuntimeError("boom"))
    with failing, pytest.raises(RuntimeError):
        services.dashboard_recompute(workspace=workspace)
    snapshot = DashboardSnapshot.objects.get(workspace=workspace)
    assert snapshot.data == good.data
    assert snapshot.computed_at == good.computed_at
    assert snapshot.last_error == "RuntimeError: boom" and snapshot.failed_at is not None


def test_every_write_of_the_snapshot_gives_it_a_new_version_and_cache_key(workspace, facts):
    from metrics.diagnostics.snapshot import snapshot_write

    first = services.dashboard_recompute(workspace=workspace)
    keys = [selectors.dashboard_cache_key(first, "page-30")]
    services.dashboard_recompute(workspace=workspace)
    snapshot_write(workspace=workspace)  # save(update_fields=["data"])
    stored = DashboardSnapshot.objects.get(workspace=workspace)
    assert stored.version == first.version + 2
    keys.append(selectors.dashboard_cache_key(stored, "page-30"))
    assert keys[0] != keys[1]
    # The reader of the version does not load the data until it is used.
    header = selectors.dashboard_get(workspace=workspace, with_data=False)
    assert header.version == stored.version
    assert {"data", "daily_sums"} <= header.get_deferred_fields()


def test_an_import_outside_the_window_leaves_the_snapshot_alone(workspace, facts):
    first = services.dashboard_recompute(workspace=workspace)
    again = services.dashboard_recompute(
        workspace=workspace, date_from="2020-01-01", date_to="2020-01-02"
    )
    assert again.computed_at == first.computed_at
    inside = services.dashboard_recompute(workspace=workspace, date_from=day(1), date_to=day(1))
    assert inside.computed_at > first.computed_at


def test_two_recomputes_never_interleave(workspace, facts):
    """While one holder has the workspace's dashboard lock, a second cannot take it."""
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL: covered with two connections in test_postgres.py")
    results = []
    with workspace_lock("dashboard", workspace.pk):
        thread = threading.Thread(
            target=lambda: results.append(
                workspace_lock("dashboard", workspace.pk, wait=False).__enter__()
            )
        )
        thread.start()
        thread.join()
    assert results == [False]
    with workspace_lock("dashboard", workspace.pk, wait=False) as acquired:
        assert acquired is True


def test_dashboard_get_is_per_workspace(workspace, other_workspace, facts):
    services.dashboard_recompute(workspace=workspace)
    assert selectors.dashboard_get(workspace=other_workspace) is None
    assert selectors.dashboard_get(workspace=workspace).workspace_id == workspace.pk


def recompute_reads(workspace, changed_day: str) -> tuple[DashboardSnapshot, list[tuple]]:
    """A recompute after an import of `changed_day`, and the (start, end) ranges of the
    daily sums it read from the facts."""
    reads = mock.patch(
        "metrics.selectors.dashboard._daily_sums", wraps=selectors.dashboard._daily_sums
    )
    with reads as daily_sums:
        snapshot = services.dashboard_recompute(
            workspace=workspace, date_from=changed_day, date_to=changed_day
        )
    return snapshot, [call.args[1:] for call in daily_sums.call_args_list]


def test_an_import_recompute_rereads_only_its_days_and_equals_a_full_one(workspace, facts):
    services.dashboard_recompute(workspace=workspace)
    run_import(
        workspace,
        "campaign",
        csv_bytes(CAMPAIGN_HEADER, f"{day(3)},Loser,social,300,1000,10,10,1,0,20"),
    )
    incremental, reads = recompute_reads(workspace, day(3))
    assert reads == [(date.fromisoformat(day(3)), date.fromisoformat(day(3)))]
    assert incremental.data["headline"]["7"]["spend"]["value"] == "400.00"
    full = services.dashboard_recompute(workspace=workspace)
    assert incremental.data == full.data
    assert incremental.daily_sums == full.daily_sums


def test_a_usage_import_updates_the_pooled_adoption_of_its_days_only(workspace, facts):
    """The pooled adoption (every feature's active users over their products') is kept
    among the daily sums: a usage import re-reads its own days and the result equals a
    full recompute."""
    before = services.dashboard_recompute(workspace=workspace)
    assert before.data["adoption"]["7"]["value"] == 0.25
    run_import(
        workspace,
        "usage",
        csv_bytes(USAGE_HEADER, f"{day(8)},P,,200,0,0,50", f"{day(8)},P,F,100,0,0,5"),
    )
    incremental, reads = recompute_reads(workspace, day(8))
    assert reads == [(date.fromisoformat(day(8)), date.fromisoformat(day(8)))]
    adoption = incremental.data["adoption"]
    assert adoption["7"]["previous"] == 0.5  # day 8 lies in the previous 7 days
    assert adoption["30"]["value"] == round(125 / 300, 4)
    full = services.dashboard_recompute(workspace=workspace)
    assert incremental.data == full.data


def test_daily_sums_of_an_older_version_are_read_afresh(workspace, facts):
    snapshot = services.dashboard_recompute(workspace=workspace)
    DashboardSnapshot.objects.filter(pk=snapshot.pk).update(
        daily_sums={**snapshot.daily_sums, "version": selectors.DAILY_SUMS_VERSION - 1}
    )
    _, reads = recompute_reads(workspace, day(0))
    assert reads == [(AS_OF - timedelta(days=179), AS_OF)]


def test_after_a_failed_recompute_the_next_one_reads_the_whole_window(workspace, facts):
    services.dashboard_recompute(workspace=workspace)
    failing = mock.patch(
        "metrics.selectors.dashboard._daily_sums", side_effect=RuntimeError("boom")
    )
    with failing, pytest.raises(RuntimeError):
        services.dashboard_recompute(workspace=workspace, date_from=day(3), date_to=day(3))
    _, reads = recompute_reads(workspace, day(0))
    assert reads == [(AS_OF - timedelta(days=179), AS_OF)]
