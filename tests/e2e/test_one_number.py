"""One KPI, one scope, one period: the same text on Home, Metrics, the objective page and
the diagnosis that names it; the top bar on one line at 1280 px; no 404 for the favicon."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from alignment.messaging.models import Objective
from alignment.messaging.models import ObjectiveTarget
from metrics import services
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import csv_bytes
from tests.metrics.helpers import run_import

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_conversion_reads_alike_on_every_page(page, workspace, member):
    user = member("pm")
    today = timezone.localdate()
    # The last 7 days (to yesterday) are the only days with data: Home's and Metrics'
    # 7-day tiles, the objective's period so far and its diagnosis all rest on them.
    rows = [
        f"{(today - timedelta(days=offset)).isoformat()},Spring,email,100,5000,200,1000,50,23,900"
        for offset in range(1, 8)
    ]
    run_import(workspace, "campaign", csv_bytes(CAMPAIGN_HEADER, *rows))
    services.dashboard_recompute(workspace=workspace)
    objective = Objective.objects.create(
        workspace=workspace,
        title="Convert the spring traffic",
        product_owner=user,
        marketing_owner=user,
        period_start=today - timedelta(days=7),
        period_end=today + timedelta(days=30),
    )
    ObjectiveTarget.objects.create(
        workspace=workspace,
        objective=objective,
        kpi="conversion_rate",
        target="0.5",
        scope=ObjectiveTarget.Scope.WORKSPACE,
    )
    services.diagnostics_run(workspace=workspace)
    expected = "2.30%"  # 161 purchases of 7,000 visits

    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    sign_in(page, user.username, PASSWORD)
    slug = workspace.slug

    page.goto(f"/w/{slug}/?period=7")
    home = page.locator('.kpi-tile[data-kpi="conversion_rate"] .tile-value').inner_text()
    # Home's objectives panel shows the target's number as the objective page does.
    panel = page.locator('.objectives tr[data-kpi="conversion_rate"] td').nth(3).inner_text()
    page.goto(f"/w/{slug}/metrics/?period=7")
    metrics = page.locator('.kpi-tile[data-kpi="conversion_rate"] .tile-value').inner_text()
    page.goto(objective.get_absolute_url())
    objective_text = page.locator('tr[data-kpi="conversion_rate"] td').nth(3).inner_text()
    page.goto(f"/w/{slug}/metrics/diagnostics/")
    named = page.get_by_text("Convert the spring traffic").first
    diagnosis = named.locator("xpath=..").inner_text()
    diagnosed = re.search(r"Conversion rate is ([^ ]+) over the period so far", diagnosis)
    assert diagnosed, diagnosis
    assert home == metrics == objective_text == panel == diagnosed.group(1) == expected

    # The top bar holds on one line at 1280 px: no taller than one of its items.
    page.goto(f"/w/{slug}/?period=7")
    bar = page.locator("header.topbar nav").bounding_box()
    item = page.locator("header.topbar nav .sections a").first.bounding_box()
    assert bar["height"] < 2 * item["height"] + 24, (bar, item)
    # The favicon answers (a redirect to the static icon), on every page.
    response = page.request.get("/favicon.ico")
    assert response.ok
    assert not [url for url in missing if "favicon" in url], missing
