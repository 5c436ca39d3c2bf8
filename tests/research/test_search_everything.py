"""One search over the workspace (alignment.search, filled by every app's registry): every
type, tags, snippets as escaped text without Markdown, the API's `search/?q=` and the page;
full text with typo tolerance on PostgreSQL."""

import pytest
from django.db import connection
from django.urls import reverse

from alignment.search import MAX_QUERY_LENGTH
from alignment.search import install_search_indexes
from alignment.search import kinds
from alignment.search import make_snippet
from alignment.search import parse_query
from alignment.search import reset_features
from alignment.search import search
from alignment.search import search_everything
from alignment.search import strip_markdown
from tests.alignment.factories import ClaimFactory
from tests.alignment.factories import HandoffDocumentFactory
from tests.factories import FeatureFactory
from tests.factories import ProductFactory
from tests.launches.factories import CampaignFactory
from tests.launches.factories import LaunchFactory
from tests.research.factories import HighlightFactory
from tests.research.factories import InsightFactory
from tests.research.factories import OpportunityFactory
from tests.research.factories import PersonaFactory
from tests.research.factories import StudyFactory
from tests.research.factories import TagFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text and trigram search"
)


@pytest.fixture(params=["stored", "computed"])
def pg_trgm(request, db, monkeypatch):
    """--nomigrations skips research's 0007 (CREATE EXTENSION pg_trgm) and the search's stored
    vectors and word lists (alignment.search.stored): made here. Each test runs with them
    and with the vectors computed per row (a database made from the models)."""
    from alignment.search import postgres

    install_search_indexes()
    reset_features()
    if request.param == "computed":
        computed = postgres.Features(trigram=True, stored=frozenset())
        monkeypatch.setattr(postgres, "features", lambda: computed)
    yield
    reset_features()


def _types(results):
    return {(result.type, result.title) for result in results}


def seed_every_type(workspace, n=""):
    """One row of every searchable type mentioning 'zephyr'."""
    insight = InsightFactory(
        workspace=workspace, title=f"Zephyr onboarding is slow{n}", body="Setup takes days."
    )
    quoted = InsightFactory(
        workspace=workspace, title=f"Quote only{n}", body="", evidence="“Zephyr broke my export”"
    )
    host = InsightFactory(
        workspace=workspace, title=f"Call notes{n}", body="They said zephyr twice."
    )
    HighlightFactory(workspace=workspace, insight=host, start=10, end=23)  # "zephyr twice."
    TagFactory(workspace=workspace, name=f"zephyr-beta{n}")
    OpportunityFactory(workspace=workspace, title=f"Zephyr exports{n}", problem="Slow")
    PersonaFactory(workspace=workspace, name=f"Zephyr admin{n}")
    StudyFactory(workspace=workspace, title=f"Zephyr interviews{n}")
    product = ProductFactory(workspace=workspace, name=f"Zephyr suite{n}")
    FeatureFactory(product=product, workspace=workspace, name=f"Zephyr sync{n}")
    ClaimFactory(workspace=workspace, headline=f"Zephyr is fastest{n}")
    HandoffDocumentFactory(workspace=workspace, title=f"Zephyr FAQ{n}")
    LaunchFactory(workspace=workspace, name=f"Zephyr GA{n}")
    CampaignFactory(workspace=workspace, name=f"Zephyr email{n}")
    return insight, quoted


def test_every_app_registered_its_types():
    assert {kind.type for kind in kinds()} >= {
        "insight", "highlight", "tag", "opportunity", "persona", "study", "claim", "document",
        "product", "feature", "launch", "campaign",
    }  # fmt: skip


def test_one_search_finds_every_type_of_this_workspace_only(workspace, other_workspace):
    seed_every_type(workspace)
    InsightFactory(workspace=other_workspace, title="Zephyr secret")
    results = search_everything(workspace=workspace, query="zephyr")
    types = {result.type for result in results}
    assert types == {
        "insight", "highlight", "tag", "opportunity", "persona", "study", "claim", "document",
        "product", "feature", "launch", "campaign",
    }  # fmt: skip
    titles = {result.title for result in results}
    assert "Quote only" in titles  # found by its evidence quote
    assert "Zephyr secret" not in titles
    for result in results:
        assert set(result.as_dict()) == {"type", "id", "title", "snippet", "url"}
        assert result.url.startswith(f"/w/{workspace.slug}/")
    highlight = next(result for result in results if result.type == "highlight")
    assert "#highlight-" in highlight.url and "<mark>zephyr</mark>" in highlight.snippet


def test_a_tag_is_found_by_its_name_and_by_tag_colon(workspace):
    tag = TagFactory(workspace=workspace, name="churn")
    tagged = InsightFactory(workspace=workspace, title="Leaving after trial", body="No words.")
    tagged.tags.add(tag)
    passage = HighlightFactory(workspace=workspace)
    passage.tags.add(tag)
    InsightFactory(workspace=workspace, title="Untagged", body="Nothing")
    InsightFactory(workspace=workspace, title="Churn in the title", body="")
    by_name = _types(search_everything(workspace=workspace, query="churn"))
    assert {("insight", "Leaving after trial"), ("tag", "#churn")} <= by_name
    assert ("insight", "Churn in the title") in by_name
    assert any(kind == "highlight" for kind, _ in by_name)
    by_tag = _types(search_everything(workspace=workspace, query="tag:churn"))
    assert by_tag == {
        ("insight", "Leaving after trial"),
        ("highlight", f"Highlight in “{passage.insight.title}”"),
        ("tag", "#churn"),
    }
    # tag: and words together: tagged AND matching.
    assert _types(search_everything(workspace=workspace, query="tag:CHURN trial")) == {
        ("insight", "Leaving after trial")
    }
    assert search_everything(workspace=workspace, query="tag:unknown") == []


def test_snippets_are_escaped_text_without_markdown(workspace):
    InsightFactory(
        workspace=workspace,
        title="Markdown body",
        body="## Heading\n\nThe **zephyr** [export](https://example.com/x) <b>breaks</b> & "
        "`times out` for _big_ accounts.",
    )
    (result,) = search_everything(workspace=workspace, query="zephyr", types={"insight"})
    snippet = str(result.snippet)
    assert "<mark>zephyr</mark>" in snippet
    assert "Heading The" in snippet and "export" in snippet
    for raw in ("**", "##", "](", "https://", "<b>", "`", "_big_"):
        assert raw not in snippet, raw
    assert "&lt;b&gt;" not in snippet  # inline HTML is dropped, not shown
    assert "&amp;" in snippet  # text is escaped
    assert snippet.count("<mark>") == 1


def test_snippet_cuts_around_the_match_and_marks_stems():
    text = "Lorem ipsum " * 60 + "the EXPORTING step fails " + "dolor " * 60
    snippet = str(make_snippet([(text, True)], ["export"]))
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>EXPORTING</mark>" in snippet and len(snippet) < 400
    evil = str(make_snippet([("<script>alert(1)</script> zephyr", False)], ["zephyr"]))
    assert "<script>" not in evil and "&lt;script&gt;" in evil
    assert strip_markdown("> quoted *emphasis* and 1. list\n- item snake_case_word") == (
        "quoted emphasis and 1. list\nitem snake_case_word"
    )


def test_query_parsing_is_bounded():
    parsed = parse_query('  "export csv"  -mobile tag:Churn tag:"big deal" OR x\x00y ' + "w " * 300)
    assert parsed.tags == ("Churn", "big deal")
    assert "mobile" in parsed.negated and "or" not in parsed.words
    assert len(parsed.words) <= 10 and len(parsed.text) <= MAX_QUERY_LENGTH


def test_short_and_empty_queries_find_nothing(workspace):
    InsightFactory(workspace=workspace, title="a")
    for query in ("", "a", " ", "!!"):
        assert search_everything(workspace=workspace, query=query) == []


def test_results_are_capped(workspace):
    for n in range(15):
        InsightFactory(workspace=workspace, title=f"Zephyr {n}")
    assert len(search_everything(workspace=workspace, query="zephyr")) == 10


# --- The API ----------------------------------------------------------------------------


def api_url(workspace):
    return reverse("alignment-api:search", kwargs={"workspace_slug": workspace.slug})


def test_api_search_answers_type_id_title_snippet_url(api, workspace, viewer):
    insight, _ = seed_every_type(workspace)
    response = api.get(api_url(workspace), {"q": "zephyr onboarding"})
    assert response.status_code == 200
    rows = response.json()
    assert rows[0] == {
        "type": "insight",
        "id": insight.pk,
        "title": "Zephyr onboarding is slow",
        "snippet": "Setup takes days.",
        "url": insight.get_absolute_url(),
    }
    assert api.get(api_url(workspace)).json() == []
    # A viewer searches too (read only).
    api.force_authenticate(viewer)
    assert api.get(api_url(workspace), {"q": "zephyr"}).status_code == 200
    assert api.post(api_url(workspace), {"q": "zephyr"}).status_code == 405


def test_api_search_bad_input_and_tenancy(api, workspace, other_workspace):
    InsightFactory(workspace=other_workspace, title="Zephyr secret")
    response = api.get(api_url(workspace), {"q": "x" * (MAX_QUERY_LENGTH + 1)})
    assert response.status_code == 400 and "q" in response.json()
    assert api.get(api_url(workspace), {"q": "zephyr"}).json() == []
    assert api.get(api_url(other_workspace), {"q": "zephyr"}).status_code == 404


def test_api_search_costs_a_fixed_number_of_queries(api, workspace, django_assert_max_num_queries):
    for n in range(3):
        seed_every_type(workspace, n=str(n))
    with django_assert_max_num_queries(20):
        response = api.get(api_url(workspace), {"q": "zephyr"})
    assert len(response.json()) > 12


# --- The page ---------------------------------------------------------------------------


def test_search_page_groups_results_by_type_with_snippets(web, workspace):
    seed_every_type(workspace)
    url = reverse("workspace_search", args=[workspace.slug])
    response = web.get(url, {"q": "zephyr"})
    content = response.content.decode()
    labels = [group.label for group in response.context["groups"]]
    assert len(labels) == len(set(labels)) == 12
    assert 'id="results-insight"' in content and 'class="snippet"' in content
    assert "<mark>zephyr</mark>" in content
    assert response.context["result_count"] == sum(
        len(g.results) for g in search(workspace=workspace, query="zephyr")
    )
    long = web.get(url, {"q": "zephyr " * 100})
    assert long.status_code == 200 and len(long.context["q"]) <= MAX_QUERY_LENGTH
    # The top bar's box goes to this page.
    home = web.get(reverse("workspace_home", args=[workspace.slug])).content.decode()
    assert f'action="{url}"' in home


# --- PostgreSQL: full text, ranking, typos ------------------------------------------------


@on_postgres
def test_postgres_forgives_typos_and_ranks_across_types(workspace, pg_trgm):
    InsightFactory(workspace=workspace, title="Onboarding checklist is too long", body="")
    OpportunityFactory(workspace=workspace, title="Faster onboarding", problem="")
    InsightFactory(workspace=workspace, title="Pricing", body="Mentions onboarding once.")
    InsightFactory(workspace=workspace, title="Unrelated", body="Nothing here.")
    typo = search_everything(workspace=workspace, query="onbaording")
    assert {"Onboarding checklist is too long", "Faster onboarding"} <= {r.title for r in typo}
    assert "Unrelated" not in {r.title for r in typo}
    ranked = search_everything(workspace=workspace, query="onboarding")
    # Title matches (weight A) of any type rank above a body match.
    assert ranked[-1].title == "Pricing"
    assert ranked[0].rank >= ranked[-1].rank
    assert "<mark>onboarding</mark>" in str(ranked[-1].snippet)


@on_postgres
def test_postgres_web_search_syntax_and_tags(workspace, pg_trgm):
    InsightFactory(workspace=workspace, title="Mobile onboarding", body="")
    desktop = InsightFactory(workspace=workspace, title="Desktop onboarding", body="")
    desktop.tags.add(TagFactory(workspace=workspace, name="platform"))
    found = {r.title for r in search_everything(workspace=workspace, query="onboarding -mobile")}
    assert "Desktop onboarding" in found and "Mobile onboarding" not in found
    tagged = search_everything(workspace=workspace, query="tag:platform onboarding")
    assert [r.title for r in tagged] == ["Desktop onboarding"]
    phrase = search_everything(workspace=workspace, query='"desktop onboarding"')
    assert [r.title for r in phrase if r.type == "insight"] == ["Desktop onboarding"]


@on_postgres
def test_postgres_branches_cut_at_the_kind_limit_lose_none_of_its_best(
    workspace, pg_trgm, monkeypatch
):
    """More full-text matches than a kind returns, with rows found only by their tag or
    only with a typo: the best RESULTS_PER_KIND are those of the uncut search."""
    from alignment.search import postgres

    tag = TagFactory(workspace=workspace, name="exports")
    for n in range(12):
        title = f"Exports call {n}" if n % 3 == 0 else f"Call {n}"
        InsightFactory(workspace=workspace, title=title, body="", source="Exports call")
    for n in range(3):
        InsightFactory(workspace=workspace, title=f"Leaving {n}", body="").tags.add(tag)
        InsightFactory(workspace=workspace, title=f"Typed {n}", body="The exprots fail.")

    def best():
        found = search_everything(workspace=workspace, query="exports", types={"insight"})
        return [(result.title, round(result.rank, 6)) for result in found]

    cut = best()
    monkeypatch.setattr(postgres, "RESULTS_PER_KIND", 1000)
    assert len(cut) == 10 and cut == best()
    assert [title[:7] for title, _ in cut[4:7]] == ["Leaving"] * 3, cut
