"""RICE scoring (research.scoring), the ranked list, the roadmap API and board."""

from decimal import Decimal

import pytest
from django.urls import reverse

from alignment.models import Role
from research import scoring
from research import selectors
from research import services
from research.models import Evidence
from research.models import Opportunity
from tests.factories import FeatureFactory
from tests.research.factories import EvidenceFactory
from tests.research.factories import InsightFactory
from tests.research.factories import OpportunityFactory
from tests.research.factories import PersonaFactory
from tests.research.factories import SegmentFactory
from tests.research.factories import StudyFactory
from tests.research.factories import ThemeMembershipFactory

pytestmark = pytest.mark.django_db

FOR, AGAINST = Evidence.Stance.SUPPORTING, Evidence.Stance.CONTRADICTING


def api_url(workspace, name="roadmap", **kwargs):
    return reverse(f"research-api:{name}", kwargs={"workspace_slug": workspace.slug, **kwargs})


def web_url(workspace, name, **kwargs):
    return reverse(f"research:{name}", kwargs={"workspace_slug": workspace.slug, **kwargs})


def scored(opportunity):
    return scoring.attach([Opportunity.objects.get(pk=opportunity.pk)])[0]


def link(opportunity, stance=FOR, **insight):
    insight = InsightFactory(workspace=opportunity.workspace, **insight)
    EvidenceFactory(opportunity=opportunity, insight=insight, stance=stance)
    return insight


# --- Defaults from the evidence --------------------------------------------------------


def test_no_evidence_gives_reach_zero_and_confidence_half(workspace):
    row = scored(OpportunityFactory(workspace=workspace))
    assert (row.reach_default, row.confidence_default, row.score) == (0, 0.5, None)


def test_reach_counts_distinct_customers_personas_and_segments(workspace):
    opportunity = OpportunityFactory(workspace=workspace)
    designer, founder = PersonaFactory(workspace=workspace), PersonaFactory(workspace=workspace)
    smb = SegmentFactory(workspace=workspace)
    smb.personas.add(designer)
    enterprise = SegmentFactory(workspace=workspace)
    study = StudyFactory(workspace=workspace)
    study.segments.add(enterprise)
    one = link(opportunity, source="Acme call")
    one.personas.add(designer)
    link(opportunity, source="  ACME call ")  # the same customer, spelled differently
    two = link(opportunity, source="", study=study)  # no source: a customer of its own
    two.personas.add(founder, designer)
    link(opportunity, source="")
    row = scored(opportunity)
    assert (row.reach_customers, row.reach_personas, row.reach_segments) == (3, 2, 2)
    assert row.reach_default == 7


def test_contradicting_evidence_lowers_reach_and_confidence_never_below_zero(workspace):
    opportunity = OpportunityFactory(workspace=workspace)
    link(opportunity, source="Acme")
    before = scored(opportunity)
    assert (before.reach_default, before.confidence_default) == (1, 0.67)
    link(opportunity, AGAINST, source="Globex")
    link(opportunity, AGAINST, source="Initech")
    after = scored(opportunity)
    assert after.reach_default == 0  # 1 − 2, floored
    assert after.confidence_default == 0.4  # (1 + 1) / (1 + 2 + 2)
    assert after.confidence_default == scoring.confidence_default(supporting=1, contradicting=2)


def test_an_insight_and_its_duplicates_count_once(workspace):
    opportunity = OpportunityFactory(workspace=workspace)
    original = link(opportunity, source="Acme call")
    link(opportunity, source="Another call", duplicate_of=original)
    link(opportunity, source="", duplicate_of=original)
    row = scored(opportunity)
    assert (row.evidence_for, row.reach_customers, row.confidence_default) == (1, 1, 0.67)


def test_a_duplicate_linked_alone_counts_as_its_original(workspace):
    opportunity = OpportunityFactory(workspace=workspace)
    original = InsightFactory(workspace=workspace, source="Acme")
    link(opportunity, source="Elsewhere", duplicate_of=original)
    link(opportunity, source="acme")
    assert scored(opportunity).reach_customers == 1


def test_confidence_grows_with_supporting_evidence():
    levels = [scoring.confidence_default(supporting=n, contradicting=0) for n in (0, 1, 3, 8)]
    assert levels == [0.5, 0.67, 0.8, 0.9]


def test_score_needs_impact_and_effort_then_is_rice(workspace):
    opportunity = OpportunityFactory(workspace=workspace, impact=Decimal(2))
    for n in range(3):
        link(opportunity, source=f"Customer {n}")
    assert scored(opportunity).score is None
    Opportunity.objects.filter(pk=opportunity.pk).update(effort=Decimal("4"))
    row = scored(opportunity)
    assert row.score == pytest.approx(3 * 2 * 0.8 / 4)
    assert scoring.rice_score(3, 2, 0.8, 4) == 1.2


# --- Writing the inputs ----------------------------------------------------------------


def test_overrides_need_their_reason_and_clearing_returns_to_the_default(workspace, user):
    opportunity = OpportunityFactory(workspace=workspace)
    link(opportunity, source="Acme")
    with pytest.raises(Exception) as error:
        services.opportunity_update(actor=user, opportunity=opportunity, reach=500)
    assert "reach_reason" in error.value.message_dict
    with pytest.raises(Exception) as error:
        services.opportunity_update(actor=user, opportunity=opportunity, confidence=Decimal(1))
    assert "confidence_reason" in error.value.message_dict
    services.opportunity_update(
        actor=user, opportunity=opportunity, reach=500, reach_reason="Every SMB account"
    )
    assert (scored(opportunity).reach_value, scored(opportunity).reach_default) == (500, 1)
    services.opportunity_update(actor=user, opportunity=opportunity, reach=None)
    opportunity.refresh_from_db()
    assert (opportunity.reach, opportunity.reach_reason) == (None, "")
    assert scored(opportunity).reach_value == 1


def test_api_writes_and_reads_the_rice_fields(api, workspace):
    opportunity = OpportunityFactory(workspace=workspace)
    link(opportunity, source="Acme")
    url = reverse(
        "research-api:opportunity-detail",
        kwargs={"workspace_slug": workspace.slug, "pk": opportunity.pk},
    )
    body = api.patch(url, {"impact": 2, "effort": 0.5, "horizon": "next"}, format="json").json()
    assert body["reach"] == body["reach_default"] == 1
    assert body["confidence"] == body["confidence_default"] == 0.67
    assert (body["impact"], body["effort"], body["horizon"]) == (2, 0.5, "next")
    assert body["score"] == round(1 * 2 * 0.67 / 0.5, 2)
    # The default sent back as shown is not an override.
    assert api.patch(url, {"reach": 1, "confidence": 0.67}, format="json").status_code == 200
    answer = api.patch(url, {"reach": 40}, format="json")
    assert answer.status_code == 400 and "reach_reason" in answer.json()
    body = api.patch(url, {"reach": 40, "reach_reason": "All trial accounts"}, format="json").json()
    assert (body["reach"], body["reach_default"], body["reach_reason"]) == (
        40,
        1,
        "All trial accounts",
    )
    body = api.patch(url, {"reach": None}, format="json").json()
    assert (body["reach"], body["reach_reason"]) == (1, "")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"impact": 1.5}, "impact"),
        ({"impact": "big"}, "impact"),
        ({"confidence": 1.5, "confidence_reason": "x"}, "confidence"),
        ({"confidence": -0.1, "confidence_reason": "x"}, "confidence"),
        ({"effort": 0}, "effort"),
        ({"effort": -1}, "effort"),
        ({"effort": 5000}, "effort"),
        ({"reach": -1, "reach_reason": "x"}, "reach"),
        ({"horizon": "someday"}, "horizon"),
    ],
)
def test_bad_rice_inputs_are_400s_on_their_field(api, workspace, payload, field):
    opportunity = OpportunityFactory(workspace=workspace)
    url = reverse(
        "research-api:opportunity-detail",
        kwargs={"workspace_slug": workspace.slug, "pk": opportunity.pk},
    )
    answer = api.patch(url, payload, format="json")
    assert answer.status_code == 400, answer.content
    assert field in answer.json()


def test_creating_with_the_rice_inputs(api, workspace):
    url = reverse("research-api:opportunity-list", kwargs={"workspace_slug": workspace.slug})
    answer = api.post(
        url, {"title": "Bulk export", "impact": 3, "effort": 2, "horizon": "now"}, format="json"
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["score"] == round(0 * 3 * 0.5 / 2, 2)
    assert answer.json()["horizon"] == "now"


# --- Ranking ----------------------------------------------------------------------------


def _ranked_set(workspace):
    low = OpportunityFactory(workspace=workspace, title="Low", impact=1, effort=10)
    high = OpportunityFactory(workspace=workspace, title="High", impact=3, effort=1)
    unscored = OpportunityFactory(workspace=workspace, title="Unscored")
    for opportunity in (low, high):
        link(opportunity, source="Acme")
    return high, low, unscored


def test_ranking_puts_the_best_score_first_and_unscored_last(api, workspace):
    high, low, unscored = _ranked_set(workspace)
    ranked = list(selectors.opportunity_ranked(workspace=workspace))
    assert ranked == [high, low, unscored]
    url = reverse("research-api:opportunity-list", kwargs={"workspace_slug": workspace.slug})
    ids = [row["id"] for row in api.get(url, {"ordering": "-score"}).json()["results"]]
    assert ids == [high.pk, low.pk, unscored.pk]
    ids = [row["id"] for row in api.get(url, {"ordering": "score"}).json()["results"]]
    assert ids == [low.pk, high.pk, unscored.pk]


def test_list_queries_do_not_grow_with_opportunities(api, workspace, django_assert_max_num_queries):
    for n in range(12):
        opportunity = OpportunityFactory(workspace=workspace, impact=1, effort=n + 1)
        link(opportunity, source=f"Customer {n}").personas.add(PersonaFactory(workspace=workspace))
        opportunity.features.add(FeatureFactory(product__workspace=workspace))
    url = reverse("research-api:opportunity-list", kwargs={"workspace_slug": workspace.slug})
    with django_assert_max_num_queries(10):
        assert len(api.get(url, {"ordering": "-score"}).json()["results"]) == 12


# --- The roadmap API -----------------------------------------------------------------


def _board(workspace):
    cards = {
        name: OpportunityFactory(
            workspace=workspace, title=name, horizon=horizon, roadmap_position=i
        )
        for i, (name, horizon) in enumerate(
            [("A", "now"), ("B", "now"), ("C", "now"), ("D", "next"), ("E", None)]
        )
    }
    return cards


def titles(column):
    return [card["title"] for card in column]


def test_roadmap_shape_and_order(api, workspace):
    cards = _board(workspace)
    theme_member = ThemeMembershipFactory(workspace=workspace)
    EvidenceFactory(opportunity=cards["A"], insight=theme_member.insight)
    body = api.get(api_url(workspace)).json()
    assert set(body) == {"now", "next", "later"}
    assert (titles(body["now"]), titles(body["next"]), body["later"]) == (
        ["A", "B", "C"],
        ["D"],
        [],
    )
    assert {"score", "reach", "reach_default", "confidence_default", "horizon"} <= set(
        body["now"][0]
    )


def test_roadmap_column_ties_are_broken_by_score(api, workspace):
    first = OpportunityFactory(workspace=workspace, title="Z", horizon="later", impact=3, effort=1)
    link(first)
    OpportunityFactory(workspace=workspace, title="A", horizon="later")
    assert titles(api.get(api_url(workspace)).json()["later"]) == ["Z", "A"]


def test_move_renumbers_both_columns(api, workspace):
    cards = _board(workspace)
    answer = api.post(
        api_url(workspace, "roadmap-move"),
        {"opportunity": cards["D"].pk, "horizon": "now", "position": 1},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert titles(answer.json()["now"]) == ["A", "D", "B", "C"]
    assert answer.json()["next"] == []
    positions = dict(
        Opportunity.objects.filter(horizon="now").values_list("title", "roadmap_position")
    )
    assert positions == {"A": 0, "D": 1, "B": 2, "C": 3}
    # Within a column, past the end, and off the roadmap.
    api.post(
        api_url(workspace, "roadmap-move"),
        {"opportunity": cards["A"].pk, "horizon": "now", "position": 99},
        format="json",
    )
    assert titles(api.get(api_url(workspace)).json()["now"]) == ["D", "B", "C", "A"]
    api.post(
        api_url(workspace, "roadmap-move"),
        {"opportunity": cards["B"].pk, "horizon": None},
        format="json",
    )
    assert titles(api.get(api_url(workspace)).json()["now"]) == ["D", "C", "A"]
    assert list(
        Opportunity.objects.filter(horizon="now")
        .order_by("roadmap_position")
        .values_list("roadmap_position", flat=True)
    ) == [0, 1, 2]
    assert Opportunity.objects.get(pk=cards["B"].pk).horizon is None


def test_patching_the_horizon_puts_the_card_at_the_end(api, workspace):
    cards = _board(workspace)
    url = reverse(
        "research-api:opportunity-detail",
        kwargs={"workspace_slug": workspace.slug, "pk": cards["E"].pk},
    )
    api.patch(url, {"horizon": "now"}, format="json")
    assert titles(api.get(api_url(workspace)).json()["now"]) == ["A", "B", "C", "E"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"horizon": "soon", "position": 0}, "horizon"),
        ({"horizon": "now", "position": -1}, "position"),
        ({"horizon": "now", "position": "top"}, "position"),
        ({"horizon": "now", "opportunity": 10**9}, "opportunity"),
        ({"horizon": "now", "opportunity": "x"}, "opportunity"),
    ],
)
def test_bad_moves_are_400s_on_their_field(api, workspace, payload, field):
    cards = _board(workspace)
    answer = api.post(
        api_url(workspace, "roadmap-move"),
        {"opportunity": cards["A"].pk, **payload},
        format="json",
    )
    assert answer.status_code == 400
    assert field in answer.json()


def test_another_workspaces_opportunity_is_a_400_on_the_field(api, workspace, other_workspace):
    theirs = OpportunityFactory(workspace=other_workspace, horizon="now")
    answer = api.post(
        api_url(workspace, "roadmap-move"),
        {"opportunity": theirs.pk, "horizon": "later"},
        format="json",
    )
    assert answer.status_code == 400 and "opportunity" in answer.json()
    theirs.refresh_from_db()
    assert theirs.horizon == "now"


def test_viewers_read_the_roadmap_but_cannot_move(api_client, workspace, viewer):
    cards = _board(workspace)
    api_client.force_authenticate(viewer)
    assert api_client.get(api_url(workspace)).status_code == 200
    answer = api_client.post(
        api_url(workspace, "roadmap-move"),
        {"opportunity": cards["A"].pk, "horizon": "later"},
        format="json",
    )
    assert answer.status_code == 403


def test_non_members_get_404(api_client, workspace, other_workspace, member):
    outsider = member(Role.PM, workspace_=other_workspace)
    api_client.force_authenticate(outsider)
    assert api_client.get(api_url(workspace)).status_code == 404
    assert api_client.post(api_url(workspace, "roadmap-move"), {}).status_code == 404


def test_roadmap_queries_do_not_grow_with_cards(api, workspace, django_assert_max_num_queries):
    for n in range(15):
        opportunity = OpportunityFactory(
            workspace=workspace, horizon=["now", "next", "later", None][n % 4]
        )
        membership = ThemeMembershipFactory(workspace=workspace)
        EvidenceFactory(opportunity=opportunity, insight=membership.insight)
        opportunity.features.add(FeatureFactory(product__workspace=workspace))
    with django_assert_max_num_queries(14):
        body = api.get(api_url(workspace)).json()
    assert sum(len(column) for column in body.values()) == 12


# --- Pages -------------------------------------------------------------------------------


def test_board_renders_columns_cards_themes_and_features(web, workspace):
    cards = _board(workspace)
    theme_member = ThemeMembershipFactory(workspace=workspace, theme__label="Exports")
    EvidenceFactory(opportunity=cards["A"], insight=theme_member.insight)
    feature = FeatureFactory(product__workspace=workspace, name="CSV export")
    cards["A"].features.add(feature)
    page = web.get(web_url(workspace, "roadmap")).content.decode()
    for label in ("Now", "Next", "Later", "Not on the roadmap"):
        assert label in page
    assert "Exports" in page and "CSV export" in page
    assert "needs impact and effort" in page
    assert 'draggable="true"' in page and "js/roadmap.js" in page


def test_no_js_move_redirects_to_the_board(web, workspace):
    cards = _board(workspace)
    answer = web.post(
        web_url(workspace, "roadmap_move"), {"opportunity": cards["E"].pk, "horizon": "later"}
    )
    assert answer.status_code == 302 and answer.url == web_url(workspace, "roadmap")
    assert Opportunity.objects.get(pk=cards["E"].pk).horizon == "later"
    answer = web.post(
        web_url(workspace, "roadmap_move"),
        {"opportunity": cards["A"].pk, "horizon": "next", "position": 0},
        HTTP_ACCEPT="application/json",
    )
    assert answer.json() == {"opportunity": cards["A"].pk, "horizon": "next", "position": 0}
    answer = web.post(web_url(workspace, "roadmap_move"), {"opportunity": 0, "horizon": "x"})
    assert answer.status_code == 400


def test_viewers_see_the_board_read_only(client, workspace, viewer):
    cards = _board(workspace)
    client.force_login(viewer)
    page = client.get(web_url(workspace, "roadmap")).content.decode()
    assert cards["A"].title in page
    assert "draggable" not in page and "roadmap-move" not in page
    answer = client.post(
        web_url(workspace, "roadmap_move"), {"opportunity": cards["A"].pk, "horizon": "later"}
    )
    assert answer.status_code == 403


def test_ranked_page_shows_scores_defaults_and_overrides(web, workspace, user):
    high, low, unscored = _ranked_set(workspace)
    services.opportunity_update(
        actor=user, opportunity=low, reach=30, reach_reason="Every trial account"
    )
    page = web.get(web_url(workspace, "opportunity_ranked")).content.decode()
    assert page.index("High") < page.index("Low") < page.index("Unscored")
    assert "override: Every trial account" in page and "needs impact and effort" in page


def test_score_form_saves_and_refuses_an_override_without_reason(web, workspace):
    opportunity = OpportunityFactory(workspace=workspace)
    url = web_url(workspace, "opportunity_score", pk=opportunity.pk)
    assert web.get(url).status_code == 200
    answer = web.post(url, {"impact": "2.00", "effort": "3", "reach": "10"})
    assert answer.status_code == 200 and "Say why" in answer.content.decode()
    answer = web.post(url, {"impact": "2.00", "effort": "3"})
    assert answer.status_code == 302
    opportunity.refresh_from_db()
    assert (opportunity.impact, opportunity.effort) == (Decimal(2), Decimal(3))


def test_the_calendar_embeds_the_read_only_panel(web, workspace):
    _board(workspace)
    page = web.get(reverse("launches:calendar", kwargs={"workspace_slug": workspace.slug}))
    assert web_url(workspace, "roadmap_panel") in page.content.decode()
    panel = web.get(web_url(workspace, "roadmap_panel")).content.decode()
    assert "A" in panel and "draggable" not in panel and "<form" not in panel
