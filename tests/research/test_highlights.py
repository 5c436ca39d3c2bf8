"""Highlights: passages of an insight's body with tags, a persona or a feature; evidence in
their own right; the insight page's highlighting, "Add to opportunity" and transcripts."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from alignment.models import Role
from research import services
from research.models import Evidence
from research.models import Highlight
from research.models import Insight
from research.views.highlights import marked_source
from research.views.highlights import place_highlights
from tests.factories import FeatureFactory
from tests.research.factories import HighlightFactory
from tests.research.factories import InsightFactory
from tests.research.factories import OpportunityFactory
from tests.research.factories import PersonaFactory

pytestmark = pytest.mark.django_db

BODY = "We export every Monday.\r\nThe CSV export *times out* on big funnels. 🎉 Then we give up."


def _insight(workspace, body=BODY, **kwargs):
    return InsightFactory(workspace=workspace, body=body, **kwargs)


def _span(body, passage):
    start = body.index(passage)
    return start, start + len(passage)


def api_url(name, workspace, **kwargs):
    return reverse(f"research-api:{name}", kwargs={"workspace_slug": workspace.slug, **kwargs})


def page(name, workspace, **kwargs):
    return reverse(f"research:{name}", kwargs={"workspace_slug": workspace.slug, **kwargs})


# --- The service ------------------------------------------------------------------------


def test_the_text_is_cut_from_the_body_at_the_offsets(workspace, user):
    insight = _insight(workspace)
    persona = PersonaFactory(workspace=workspace)
    feature = FeatureFactory(product__workspace=workspace)
    start, end = _span(BODY, "The CSV export *times out*")
    highlight = services.highlight_create(
        actor=user,
        workspace=workspace,
        insight=insight,
        start=start,
        end=end,
        tags=["Exports", "#slow", "exports"],
        persona=persona,
        feature=feature,
    )
    assert highlight.text == "The CSV export *times out*"  # the Markdown source, as stored
    assert (highlight.start, highlight.end) == (start, end)
    assert sorted(tag.name for tag in highlight.tags.all()) == ["Exports", "slow"]
    assert (highlight.persona, highlight.feature, highlight.created_by) == (persona, feature, user)
    # Offsets count characters (code points), as Python does: past the emoji too.
    start, end = _span(BODY, "Then we give up.")
    late = services.highlight_create(
        actor=user, workspace=workspace, insight=insight, start=start, end=end
    )
    assert late.text == "Then we give up."


@pytest.mark.parametrize(
    "start,end,field",
    [
        (-1, 3, "start"),
        (len(BODY), len(BODY) + 1, "start"),
        (5, 5, "end"),
        (6, 2, "end"),
        (0, len(BODY) + 1, "end"),
        (2, 3, "start"),  # a blank passage (a space)
        ("1", 3, "start"),
        (0, True, "end"),
    ],
)
def test_offsets_out_of_range_or_reversed_are_refused_on_the_field(
    workspace, user, start, end, field
):
    insight = _insight(workspace)
    with pytest.raises(ValidationError) as error:
        services.highlight_create(
            actor=user, workspace=workspace, insight=insight, start=start, end=end
        )
    assert field in error.value.message_dict
    assert not Highlight.objects.exists()


def test_a_passage_is_at_most_max_length(workspace, user, monkeypatch):
    from research.services import highlights

    monkeypatch.setattr(highlights, "MAX_HIGHLIGHT_LENGTH", 10)
    insight = _insight(workspace)
    with pytest.raises(ValidationError) as error:
        services.highlight_create(actor=user, workspace=workspace, insight=insight, start=0, end=11)
    assert "end" in error.value.message_dict


def test_rows_of_another_workspace_are_refused(workspace, other_workspace, user):
    insight = _insight(workspace)
    for field, row in (
        ("persona", PersonaFactory(workspace=other_workspace)),
        ("feature", FeatureFactory(product__workspace=other_workspace)),
    ):
        with pytest.raises(ValidationError) as error:
            services.highlight_create(
                actor=user, workspace=workspace, insight=insight, start=0, end=2, **{field: row}
            )
        assert field in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.highlight_create(
            actor=user,
            workspace=workspace,
            insight=_insight(other_workspace),
            start=0,
            end=2,
        )
    assert "insight" in error.value.message_dict


def test_only_the_author_or_an_admin_deletes(workspace, user, member, admin_user):
    insight = _insight(workspace)
    highlight = services.highlight_create(
        actor=user, workspace=workspace, insight=insight, start=0, end=2
    )
    with pytest.raises(PermissionDenied):
        services.highlight_delete(actor=member(Role.PMM), highlight=highlight)
    services.highlight_delete(actor=user, highlight=highlight)
    other = services.highlight_create(
        actor=user, workspace=workspace, insight=insight, start=0, end=2
    )
    services.highlight_delete(actor=admin_user, highlight=other)
    assert not Highlight.objects.exists()


# --- Evidence ---------------------------------------------------------------------------


def test_a_highlight_is_evidence_in_its_own_right(workspace, user):
    insight = _insight(workspace)
    opportunity = OpportunityFactory(workspace=workspace)
    highlight = HighlightFactory(workspace=workspace, insight=insight)
    whole = services.evidence_add(
        actor=user, opportunity=opportunity, insight=insight, stance="supporting"
    )
    passage = services.evidence_add(
        actor=user, opportunity=opportunity, highlight=highlight, stance="contradicting"
    )
    assert passage.pk != whole.pk
    assert (passage.insight, passage.highlight) == (insight, highlight)
    again = services.evidence_add(
        actor=user, opportunity=opportunity, highlight=highlight, stance="supporting"
    )
    assert again.pk == passage.pk and again.stance == "supporting"
    assert Evidence.objects.count() == 2
    with pytest.raises(ValidationError) as error:
        services.evidence_add(
            actor=user,
            opportunity=opportunity,
            insight=_insight(workspace),
            highlight=highlight,
            stance="supporting",
        )
    assert "highlight" in error.value.message_dict


def test_evidence_api_names_a_highlight_and_shows_its_passage(api, workspace, other_workspace):
    insight = _insight(workspace)
    opportunity = OpportunityFactory(workspace=workspace)
    highlight = HighlightFactory(workspace=workspace, insight=insight, start=3, end=9)
    url = api_url("opportunity-evidence", workspace, pk=opportunity.pk)
    response = api.post(url, {"highlight": highlight.pk, "stance": "supporting"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["insight"] == insight.pk
    assert response.json()["highlight_text"] == "export"
    listed = api.get(url).json()
    assert [(row["highlight"], row["highlight_text"]) for row in listed] == [
        (highlight.pk, "export")
    ]
    foreign = HighlightFactory(workspace=other_workspace)
    response = api.post(url, {"highlight": foreign.pk, "stance": "supporting"}, format="json")
    assert response.status_code == 400 and "highlight" in response.json()
    response = api.post(url, {"stance": "supporting"}, format="json")
    assert response.status_code == 400 and "insight" in response.json()


# --- The API ----------------------------------------------------------------------------


def test_api_lists_creates_and_deletes_highlights(api, workspace):
    insight = _insight(workspace)
    persona = PersonaFactory(workspace=workspace)
    url = api_url("insight-highlight-list", workspace, insight_pk=insight.pk)
    start, end = _span(BODY, "big funnels")
    response = api.post(
        url,
        {
            "start": start,
            "end": end,
            "tags": ["funnels"],
            "persona": persona.pk,
            "text": "ignored: the server cuts the text",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {key: body[key] for key in ("start", "end", "text", "tags", "persona", "feature")} == {
        "start": start,
        "end": end,
        "text": "big funnels",
        "tags": ["funnels"],
        "persona": persona.pk,
        "feature": None,
    }
    listed = api.get(url).json()
    assert [row["id"] for row in listed] == [body["id"]]
    detail = api_url("insight-highlight-detail", workspace, insight_pk=insight.pk, pk=body["id"])
    assert api.get(detail).json()["text"] == "big funnels"
    assert api.patch(detail, {"start": 0}, format="json").status_code == 405
    assert api.delete(detail).status_code == 204
    assert api.get(url).json() == []


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"start": 0, "end": 10_000}, "end"),
        ({"start": 5, "end": 5}, "end"),
        ({"start": 9, "end": 2}, "end"),
        ({"start": -1, "end": 2}, "start"),
        ({"start": "x", "end": 2}, "start"),
        ({"end": 2}, "start"),
        ({"start": 0, "end": 2, "tags": ["x" * 61]}, "tags"),
    ],
)
def test_api_bad_offsets_are_a_400_naming_the_field(api, workspace, payload, field):
    insight = _insight(workspace)
    url = api_url("insight-highlight-list", workspace, insight_pk=insight.pk)
    response = api.post(url, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_api_refuses_another_workspaces_persona_and_feature(api, workspace, other_workspace):
    insight = _insight(workspace)
    url = api_url("insight-highlight-list", workspace, insight_pk=insight.pk)
    for field, row in (
        ("persona", PersonaFactory(workspace=other_workspace)),
        ("feature", FeatureFactory(product__workspace=other_workspace)),
    ):
        response = api.post(url, {"start": 0, "end": 2, field: row.pk}, format="json")
        assert response.status_code == 400 and field in response.json()
    assert not Highlight.objects.exists()


def test_api_tenancy_and_roles(api, workspace, other_workspace, viewer, member):
    foreign_insight = _insight(other_workspace)
    foreign = HighlightFactory(workspace=other_workspace, insight=foreign_insight)
    # Another workspace's insight, addressed through ours: 404 on the list and the detail.
    url = api_url("insight-highlight-list", workspace, insight_pk=foreign_insight.pk)
    assert api.get(url).status_code == 404
    assert api.post(url, {"start": 0, "end": 2}, format="json").status_code == 404
    detail = api_url(
        "insight-highlight-detail", workspace, insight_pk=foreign_insight.pk, pk=foreign.pk
    )
    assert api.delete(detail).status_code == 404
    # Our insight, another workspace's highlight id: 404 too.
    insight = _insight(workspace)
    detail = api_url("insight-highlight-detail", workspace, insight_pk=insight.pk, pk=foreign.pk)
    assert api.get(detail).status_code == 404
    # A viewer reads, never writes.
    own = HighlightFactory(workspace=workspace, insight=insight)
    client = APIClient()
    client.force_authenticate(viewer)
    url = api_url("insight-highlight-list", workspace, insight_pk=insight.pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"start": 0, "end": 2}, format="json").status_code == 403
    detail = api_url("insight-highlight-detail", workspace, insight_pk=insight.pk, pk=own.pk)
    assert client.delete(detail).status_code == 403
    # A member who is not its author: 403.
    client.force_authenticate(member(Role.PMM))
    assert client.delete(detail).status_code == 403
    assert Highlight.objects.filter(pk=own.pk).exists()


# --- The insight page -------------------------------------------------------------------


def test_marks_follow_the_body_and_survive_edits():
    class Row:
        def __init__(self, pk, start, end, text):
            self.pk, self.start, self.end, self.text = pk, start, end, text

    body = "a <b> & c\r\nd"
    rows = [Row(1, 0, 5, "a <b>"), Row(2, 2, 9, "<b> & c"), Row(3, 0, 3, "gone")]
    placed = place_highlights(body, rows)
    assert [row.pk for row, _, _ in placed] == [1, 2] and rows[2].unplaced
    html = str(marked_source(body, placed))
    assert html == (
        '<mark data-highlights="highlight-1">a </mark>'
        '<mark data-highlights="highlight-1 highlight-2">&lt;b&gt;</mark>'
        '<mark data-highlights="highlight-2"> &amp; c</mark>&#13;\nd'
    )
    # The body changed before a highlight: it is found where its text now is.
    moved = place_highlights("xx" + body, [Row(1, 0, 5, "a <b>")])
    assert [(start, end) for _, start, end in moved] == [(2, 7)]


def test_insight_page_shows_the_source_marks_and_the_forms(web, workspace, user):
    insight = _insight(workspace, body="Hello <script>x</script> world")
    highlight = HighlightFactory(workspace=workspace, insight=insight, start=0, end=5)
    OpportunityFactory(workspace=workspace, title="Faster exports")
    content = web.get(insight.get_absolute_url()).content.decode()
    assert "data-highlight-source" in content
    assert f'<mark data-highlights="highlight-{highlight.pk}">Hello</mark>' in content
    assert "&lt;script&gt;" in content and "<script>x" not in content
    assert "js/highlights.js" in content
    assert "Add to opportunity" in content and "Faster exports" in content
    assert "Use as evidence" in content


def test_insight_page_saves_a_highlight_and_links_evidence(web, workspace, user):
    insight = _insight(workspace)
    persona = PersonaFactory(workspace=workspace)
    opportunity = OpportunityFactory(workspace=workspace)
    start, end = _span(BODY, "big funnels")
    response = web.post(
        page("insight_highlight_create", workspace, pk=insight.pk),
        {"start": start, "end": end, "tags": "funnels, size", "persona": persona.pk},
    )
    assert response.status_code == 302
    highlight = Highlight.objects.get()
    assert response["Location"].endswith(f"#highlight-{highlight.pk}")
    assert highlight.text == "big funnels"
    # "Use as evidence" (the highlight) and "Add to opportunity" (the whole insight).
    evidence_url = page("insight_evidence", workspace, pk=insight.pk)
    web.post(
        evidence_url,
        {"opportunity": opportunity.pk, "stance": "supporting", "highlight": highlight.pk},
    )
    web.post(evidence_url, {"opportunity": opportunity.pk, "stance": "contradicting"})
    rows = {(row.highlight_id, row.stance) for row in Evidence.objects.all()}
    assert rows == {(highlight.pk, "supporting"), (None, "contradicting")}
    # The opportunity's page quotes the passage.
    content = web.get(opportunity.get_absolute_url()).content.decode()
    assert "“big funnels”" in content
    # Delete.
    web.post(page("insight_highlight_delete", workspace, pk=insight.pk, highlight_pk=highlight.pk))
    assert not Highlight.objects.exists()


def test_insight_page_bad_input_is_a_400(web, workspace, other_workspace):
    insight = _insight(workspace)
    url = page("insight_highlight_create", workspace, pk=insight.pk)
    response = web.post(url, {"start": 0, "end": 10_000})
    assert response.status_code == 400
    assert "End must be at most" in response.content.decode()
    foreign = PersonaFactory(workspace=other_workspace)
    assert web.post(url, {"start": 0, "end": 2, "persona": foreign.pk}).status_code == 400
    foreign_opportunity = OpportunityFactory(workspace=other_workspace)
    response = web.post(
        page("insight_evidence", workspace, pk=insight.pk),
        {"opportunity": foreign_opportunity.pk, "stance": "supporting"},
    )
    assert response.status_code == 400
    foreign_insight = _insight(other_workspace)
    url = page("insight_highlight_create", workspace, pk=foreign_insight.pk)
    assert web.post(url, {"start": 0, "end": 2}).status_code == 404
    assert not Highlight.objects.exists() and not Evidence.objects.exists()


def test_a_viewer_cannot_highlight(client, workspace, viewer):
    insight = _insight(workspace)
    client.force_login(viewer)
    content = client.get(insight.get_absolute_url()).content.decode()
    assert "data-highlight-form" not in content and "Add to opportunity" not in content
    url = page("insight_highlight_create", workspace, pk=insight.pk)
    assert client.post(url, {"start": 0, "end": 2}).status_code == 403


def test_a_pasted_transcript_becomes_an_insight_to_highlight(web, workspace):
    url = page("insight_transcript", workspace)
    assert web.get(url).status_code == 200
    transcript = "Interviewer: how do you export?\r\nCustomer: I copy the table by hand."
    response = web.post(url, {"title": "Call with Acme", "transcript": transcript})
    assert response.status_code == 302 and response["Location"].endswith("#highlights")
    insight = Insight.objects.get(title="Call with Acme")
    assert insight.body == transcript and insight.source == "Transcript"
    assert web.post(url, {"title": "", "transcript": ""}).status_code == 400
