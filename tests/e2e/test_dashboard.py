"""The shared dashboard and the main flows in a real browser (Debian's Chromium, see
conftest.py): sign in, read the seeded numbers, change the range, upload a CSV and watch
its progress, plan a launch from a template, a viewer's read-only pages, another
workspace's 404. Screenshots of the main pages land in tests/e2e/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from alignment.demo import DEMO_PASSWORD
from alignment.models import Product
from alignment.models import Role
from launches.models import Campaign
from launches.models import Launch
from launches.models import LaunchTemplate
from metrics import services as metrics_services
from metrics import tasks as metrics_tasks
from metrics.kpis import format_kpi
from metrics.models import ImportJob
from metrics.selectors import dashboard_get
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def spend_tile_text(workspace, period: str) -> str:
    value = dashboard_get(workspace=workspace).data["headline"][period]["spend"]["value"]
    return format_kpi("spend", value, currency=workspace.currency)


def test_dashboard_tiles_charts_and_date_range(page, demo, screenshot):
    sign_in(page, "demo-pm", DEMO_PASSWORD)
    page.goto("/w/acme/")
    spend = page.locator('.kpi-tile[data-kpi="spend"] .tile-value')
    expect(spend).to_have_text(spend_tile_text(demo, "30"))
    for kpi in (
        "roi",
        "roas",
        "conversion_rate",
        "ctr",
        "revenue",
        "active_users",
        "retention",
        "nps",
    ):
        expect(page.locator(f'.kpi-tile[data-kpi="{kpi}"]')).to_be_visible()
    # Home is the overview: the charts are on Metrics, where each tile leads.
    assert page.locator("canvas").count() == 0
    screenshot("home")
    page.locator('.kpi-tile[data-kpi="spend"] h3 a').click()
    expect(page).to_have_url(re.compile(r"/metrics/\?period=30"))
    expect(spend).to_have_text(spend_tile_text(demo, "30"))
    # Every chart drew into its fixed-height box (Chart.js sets the canvas size).
    for chart in (
        "#chart-money",
        "#chart-users",
        *(f'[data-chart="{name}"]' for name in ("funnel", "channels", "adoption", "nps")),
    ):
        canvas = page.locator(f"canvas{chart}")
        expect(canvas).to_be_visible()
        assert canvas.evaluate("c => c.width") > 0
        assert canvas.evaluate("c => Chart.getChart(c) !== undefined")
    # The data table is the chart's text alternative.
    funnel = page.locator('[data-card="funnel"]')
    funnel.get_by_text("Data table").click()
    expect(funnel.locator("table")).to_contain_text("Impressions")
    screenshot("dashboard")

    page.get_by_role("button", name="7 days").click()
    expect(page).to_have_url(re.compile(r"period=7"))
    expect(spend).to_have_text(spend_tile_text(demo, "7"))

    # A custom range and a channel filter, computed through the KPI engine, kept in the URL.
    as_of = dashboard_get(workspace=demo).as_of
    page.get_by_label("From").fill(as_of.isoformat())
    page.get_by_label("To").fill(as_of.isoformat())
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"from={as_of.isoformat()}"))
    expect(page.locator("p.muted").first).to_contain_text(f"{as_of} to {as_of}")
    screenshot("dashboard-custom-range")

    # Keyboard: tabbing reaches the filters with a visible focus ring.
    page.goto("/w/acme/metrics/?period=30")
    page.keyboard.press("Tab")
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused != "none"


def test_dashboard_on_a_phone(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, "demo-pmm", DEMO_PASSWORD)
    page.goto("/w/acme/")
    expect(page.locator(".kpi-tile").first).to_be_visible()
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.screenshot(path=str(_screens() / "dashboard-phone.png"), full_page=True)
    context.close()


def _screens():
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def test_drilldowns(page, demo, screenshot):
    sign_in(page, "demo-pmm", DEMO_PASSWORD)
    page.goto("/w/acme/metrics/")
    page.locator('[data-card="campaigns"] tbody a').first.click()
    expect(page).to_have_url(re.compile(r"/metrics/campaigns/\d+/"))
    money = page.locator('canvas[data-chart="money"]')
    expect(money).to_be_visible()
    # The money axis reads in the workspace's currency, as the tables do ("$1,200").
    symbol = format_kpi("spend", 0, currency=demo.currency)[0]
    ticks = money.evaluate("c => Chart.getChart(c).scales.y.ticks.map((t) => t.label)")
    assert ticks and all(str(t).lstrip("-").startswith(symbol) for t in ticks), ticks
    screenshot("campaign-performance")
    # So do the Metrics page's axis and its tooltip.
    page.goto("/w/acme/metrics/")
    chart = page.locator("canvas#chart-money")
    expect(chart).to_be_visible()
    ticks = chart.evaluate("c => Chart.getChart(c).scales.y.ticks.map((t) => t.label)")
    assert ticks and all(str(t).lstrip("-").startswith(symbol) for t in ticks), ticks
    tooltip = chart.evaluate(
        """c => {
          const chart = Chart.getChart(c);
          const label = chart.options.plugins.tooltip.callbacks.label;
          return label({ dataset: chart.data.datasets[0], parsed: { y: 1234 } });
        }"""
    )
    assert tooltip == f"Spend: {format_kpi('spend', 1234, currency=demo.currency)}"
    adoption = page.locator('[data-card="adoption"]')
    adoption.get_by_text("Data table").click()
    adoption.locator("tbody a").first.click()
    expect(page).to_have_url(re.compile(r"/metrics/features/\d+/"))
    expect(page.get_by_role("heading", name="Before and after each launch")).to_be_visible()
    screenshot("feature-usage")
    page.goto("/w/acme/metrics/channels/")
    expect(page.locator("tbody tr").first).to_be_visible()
    screenshot("channels")


def test_upload_a_campaign_csv_and_watch_the_progress(
    page, demo, monkeypatch, tmp_path, screenshot
):
    # Hold the job back so the page shows it running, then run it as the worker would.
    monkeypatch.setattr(metrics_tasks.run_import, "delay", lambda *args, **kwargs: None)
    sign_in(page, "demo-pm", DEMO_PASSWORD)
    page.goto("/w/acme/metrics/imports/new/")
    page.get_by_label("Kind").select_option("campaign")
    csv_file = tmp_path / "campaign.csv"
    csv_file.write_text(
        "date,campaign,channel,spend,impressions,clicks,visits,leads,purchases,revenue\n"
        "2026-01-01,Browser Test Campaign,email,10,100,10,5,1,1,50\n"
    )
    page.get_by_label("File").set_input_files(str(csv_file))
    page.get_by_role("button", name="Upload and import").click()
    expect(page).to_have_url(re.compile(r"/metrics/imports/\d+/$"))
    # Queued, no worker on it yet: said so, and the page keeps polling (no progress bar).
    expect(page.locator("#import-status")).to_contain_text("Waiting for a worker")
    expect(page.locator(".messages")).to_contain_text("the import is running")
    job = ImportJob.objects.latest("pk")
    metrics_services.import_job_run(job=job)
    # htmx polls the status every second and swaps in the result.
    expect(page.locator("#import-status")).to_contain_text("Rows imported", timeout=15_000)
    expect(page.locator("#import-status progress")).to_have_count(0)
    assert Campaign.objects.filter(name="Browser Test Campaign").exists()
    screenshot("import-result")


def test_create_a_launch_from_a_template(page, demo):
    template = LaunchTemplate.objects.in_workspace(demo).first()
    sign_in(page, "demo-pmm", DEMO_PASSWORD)
    page.goto("/w/acme/launches/new/")
    page.get_by_label("Name").fill("Browser launch")
    page.get_by_label("Product").select_option(label="Acme Insights")
    page.get_by_label("Launch date").fill("2030-03-01")
    page.get_by_label("Template").select_option(label=str(template))
    page.get_by_role("button", name=re.compile("Save|Create")).click()
    expect(page.get_by_role("heading", name="Browser launch")).to_be_visible()
    launch = Launch.objects.get(name="Browser launch")
    assert launch.tasks.count() > 0
    expect(page.locator(".gantt-bar").first).to_be_visible()


def test_viewer_sees_no_edit_buttons(page, demo, screenshot):
    sign_in(page, "demo-viewer", DEMO_PASSWORD)
    page.goto("/w/acme/products/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^(New|Add)"))).to_have_count(0)
    page.goto(Product.objects.in_workspace(demo).first().get_absolute_url())
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    launch = Launch.objects.in_workspace(demo).first()
    page.goto(launch.get_absolute_url())
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    page.goto("/w/acme/")
    expect(page.get_by_role("button", name="Import data")).to_have_count(0)
    screenshot("dashboard-viewer")


def test_user_of_another_workspace_gets_404(page, demo, member, other_workspace):
    outsider = member(Role.PM, workspace_=other_workspace)
    sign_in(page, outsider.username, PASSWORD)
    for url in ("/w/acme/", "/w/acme/metrics/channels/", "/w/acme/launches/"):
        response = page.goto(url)
        assert response.status == 404, url


def test_new_workspace_shows_the_onboarding(page, member, workspace, screenshot):
    newcomer = member(Role.PM)
    sign_in(page, newcomer.username, PASSWORD)
    page.goto(f"/w/{workspace.slug}/")
    expect(page.get_by_role("heading", name=f"Get {workspace.name} started")).to_be_visible()
    expect(page.get_by_role("button", name="Add a product")).to_be_visible()
    screenshot("onboarding")


def test_global_search_from_the_top_bar(page, demo, screenshot):
    sign_in(page, "demo-pm", DEMO_PASSWORD)
    page.goto("/w/acme/")
    box = page.get_by_role("searchbox", name="Search Acme Analytics")
    box.fill("insights")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/w/acme/search/\?q=insights"))
    expect(page.get_by_role("heading", name=re.compile("^Products"))).to_be_visible()
    expect(page.get_by_role("link", name="Acme Insights", exact=True)).to_be_visible()
    screenshot("search")
