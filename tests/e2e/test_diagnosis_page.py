"""A diagnosis's page in a real browser: its evidence drawn as a chart (the daily values
and the dashed baseline it was judged against), with tooltips that read as the diagnosis
does, and the page's values table saying the same."""

import pytest
from playwright.sync_api import expect

from metrics.diagnostics.engine import diagnostics_run
from metrics.models import Diagnosis
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD
from tests.metrics.diagnostics_helpers import collapse

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

CHART = "() => { const c = document.querySelector('canvas[data-evidence]'); return c && window.Chart && Chart.getChart(c) ? true : false; }"  # noqa: E501


def test_the_diagnosis_page_draws_its_evidence(page, workspace, member):
    collapsing = collapse(workspace)
    diagnostics_run(workspace=workspace)
    diagnosis = Diagnosis.objects.get(workspace=workspace, subject_id=collapsing.pk)
    series = diagnosis.evidence["series"]
    sign_in(page, member("pmm").username, PASSWORD)

    page.goto(f"/w/{workspace.slug}/metrics/diagnostics/")
    page.locator(f"#diagnosis-{diagnosis.pk} header a").click()
    expect(page).to_have_url(f"{page.url.split('/w/')[0]}{diagnosis.get_absolute_url()}")
    page.wait_for_function(CHART)
    drawn = page.evaluate(
        """() => {
          const canvas = document.querySelector('canvas[data-evidence]');
          const chart = Chart.getChart(canvas);
          const context = canvas.getContext('2d');
          const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
          let inked = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
          return {
            datasets: chart.data.datasets.map((d) => ({label: d.label, points: d.data.length,
                                                      dashed: !!(d.borderDash || []).length})),
            labels: chart.data.labels.length,
            inked,
          };
        }"""
    )
    assert drawn["labels"] == len(series) == 70
    assert drawn["datasets"] == [
        {"label": "Conversion rate, daily", "points": 70, "dashed": False},
        {"label": diagnosis.evidence["baseline"]["label"], "points": 70, "dashed": True},
    ]
    assert drawn["inked"] > 1000  # lines and axes are on the canvas, not an empty box

    # Hover the last day: the tooltip reads the day's value and the baseline in the
    # diagnosis's own format.
    box = page.locator("canvas[data-evidence]").bounding_box()
    page.mouse.move(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    lines = page.evaluate(
        """() => Chart.getChart(document.querySelector('canvas[data-evidence]'))
                   .tooltip.body.flatMap((b) => b.lines)"""
    )
    assert lines == [
        f"Conversion rate, daily: {series[-1]['display']}",
        f"{diagnosis.evidence['baseline']['label']}: {diagnosis.evidence['baseline']['display']}",
    ]
    assert series[-1]["display"] == "0.40%" and "0.40%" in diagnosis.message

    page.get_by_text("The values behind the chart").click()
    expect(page.locator(".evidence-values tbody tr")).to_have_count(70)
    expect(page.locator(".evidence-values tbody tr").last).to_contain_text("0.40%")
