"""From evidence to roadmap in a real browser: a PM types an insight that paraphrases one
already stored, is warned of the likely duplicate while typing, saves it and links the two
as the same evidence; renames a theme, recomputes the themes and finds the name kept; and
moves an opportunity to Now on the roadmap (with the keyboard-and-button move, then by
dragging a card)."""

import re

import pytest
from playwright.sync_api import expect

from alignment.models import Role
from research.demo import seed as seed_research
from research.models import Insight
from research.models import Opportunity
from research.models import Theme
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

ORIGINAL = "CSV export breaks on large funnels"


def test_from_a_paraphrased_insight_to_the_roadmap(page, workspace, member):
    seed_research(workspace)
    pm = member(Role.PM)
    sign_in(page, pm.username, PASSWORD)
    research = f"/w/{workspace.slug}/research"

    # Typing a paraphrase of a stored insight: the form warns of the likely duplicate.
    page.goto(f"{research}/insights/new/")
    page.get_by_label("Title").fill("Exporting a big funnel to CSV fails")
    warning = page.locator("#similar-live .similar-duplicate")
    expect(warning).to_be_visible()
    expect(warning.get_by_role("link")).to_have_text(ORIGINAL)
    page.get_by_role("button", name=re.compile("^(Save|Create)")).click()
    expect(page).to_have_url(re.compile(r"/insights/\d+/$"))

    # On its page the original is listed first, as a likely duplicate: link them.
    panel = page.locator(".similar-panel, section:has(h2:text('Similar insights'))").first
    expect(panel).to_contain_text(ORIGINAL)
    expect(panel).to_contain_text("Likely duplicate")
    panel.get_by_role("button", name="Same evidence").first.click()
    expect(page.get_by_role("button", name="Unlink")).to_be_visible()
    new = Insight.objects.get(workspace=workspace, title="Exporting a big funnel to CSV fails")
    assert new.duplicate_of.title == ORIGINAL

    # Themes: rename one, recompute, and the name stays.
    page.goto(f"{research}/themes/")
    card = page.locator("article", has_text="Onboarding friction").first
    card.locator("summary", has_text="Edit").click()
    card.get_by_label("Name").fill("Getting started")
    card.get_by_role("button", name="Rename").click()
    expect(page.locator("article", has_text="Getting started").first).to_be_visible()
    page.get_by_role("button", name="Recompute now").click()
    page.goto(f"{research}/themes/")
    expect(page.locator("article", has_text="Getting started").first).to_contain_text("Renamed")
    assert Theme.objects.filter(workspace=workspace, label="Getting started").exists()

    # The roadmap: move the unplaced opportunity to Now, then drag a card to Next.
    page.goto(f"{research}/roadmap/")
    errors = []
    page.on("console", lambda message: errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    nps = page.locator(".roadmap-card", has_text="In-product NPS for marketers")
    nps.get_by_label(re.compile("Move .* to")).select_option("now")
    nps.get_by_role("button", name="Move").click()
    now = page.locator(".roadmap-column[data-horizon='now']")
    expect(now.locator(".roadmap-card", has_text="In-product NPS for marketers")).to_be_visible()
    assert Opportunity.objects.get(workspace=workspace, title__startswith="In-product").horizon == (
        "now"
    )
    page.wait_for_load_state()  # the board's script (deferred) has attached its handlers
    later_card = page.locator(".roadmap-card", has_text="Warehouse-native analytics")
    later_card.drag_to(
        page.locator(
            ".roadmap-column[data-horizon='next'] ol, .roadmap-column[data-horizon='next'] ul"
        ).first
    )
    expect(
        page.locator(".roadmap-column[data-horizon='next'] .roadmap-card", has_text="Warehouse")
    ).to_be_visible()
    # The board says so once the server stored the move (the card moves at once, before).
    expect(page.locator("#roadmap-status")).to_have_text(
        "Moved Warehouse-native analytics to Next."
    )
    assert not errors, errors
    page.reload()
    expect(
        page.locator(".roadmap-column[data-horizon='next'] .roadmap-card", has_text="Warehouse")
    ).to_be_visible()
