"""Insight embeddings, similar insights, duplicates and the text model's measured quality."""

import pytest
from django.urls import reverse

from alignment.models import Role
from research import selectors
from research import services
from research.models import Evidence
from research.models import InsightEmbedding
from research.semantic import model
from research.semantic.similarity import DUPLICATE_THRESHOLD
from research.semantic.similarity import insight_vectors
from research.semantic.similarity import similar_insights
from research.services.similarity import insight_embeddings_catch_up
from research.services.similarity import insight_embeddings_refresh
from research.services.similarity import insight_mark_duplicate
from research.services.similarity import insight_unmark_duplicate
from tests.evaluation.text_model import evaluation
from tests.research.factories import EvidenceFactory
from tests.research.factories import InsightFactory
from tests.research.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

CSV = ("Exporting reports to CSV is impossible", "There is no way to download the report table.")
CSV_AGAIN = ("Can't export my reports as CSV", "No CSV download on the reports page.")
BILLING = ("Charged twice for the same month", "Two identical card charges after upgrading.")
MOBILE = ("Mobile app crashes on Android", "The phone app closes on launch on Pixel phones.")


def _insight(workspace, pair, **kwargs):
    return InsightFactory(workspace=workspace, title=pair[0], body=pair[1], **kwargs)


def _api(name, workspace, **kwargs):
    return reverse(f"research-api:{name}", kwargs={"workspace_slug": workspace.slug, **kwargs})


def _web(name, workspace, **kwargs):
    return reverse(f"research:{name}", kwargs={"workspace_slug": workspace.slug, **kwargs})


# --- The pipeline -----------------------------------------------------------------------


def test_refresh_stores_one_vector_per_insight(workspace, other_workspace):
    first, second = _insight(workspace, CSV), _insight(workspace, BILLING)
    _insight(other_workspace, MOBILE)
    assert insight_embeddings_refresh(workspace=workspace) == 2
    rows = InsightEmbedding.objects.in_workspace(workspace)
    assert {row.insight_id for row in rows} == {first.pk, second.pk}
    row = rows.get(insight=first)
    assert row.model_version == model.MODEL_VERSION
    assert len(model.from_bytes(row.vector)) == model.DIMENSIONS
    assert not InsightEmbedding.objects.in_workspace(other_workspace).exists()


def test_unchanged_insights_are_not_embedded_again(workspace):
    _insight(workspace, CSV)
    insight_embeddings_refresh(workspace=workspace)
    assert insight_embeddings_refresh(workspace=workspace) == 0


def test_text_change_recomputes(workspace, user):
    insight = _insight(workspace, CSV)
    insight_embeddings_refresh(workspace=workspace)
    before = InsightEmbedding.objects.get(insight=insight)
    services.insight_update(actor=user, insight=insight, body="Totally different words now.")
    assert insight_embeddings_refresh(workspace=workspace, insight_ids=[insight.pk]) == 1
    after = InsightEmbedding.objects.get(insight=insight)
    assert after.text_hash != before.text_hash and bytes(after.vector) != bytes(before.vector)


def test_another_model_version_recomputes_and_the_catch_up_finds_it(workspace):
    insight = _insight(workspace, CSV)
    insight_embeddings_refresh(workspace=workspace)
    InsightEmbedding.objects.filter(insight=insight).update(model_version="older-model")
    assert insight_embeddings_catch_up() == 1
    assert InsightEmbedding.objects.get(insight=insight).model_version == model.MODEL_VERSION
    assert insight_embeddings_catch_up() == 0


def test_create_and_text_update_enqueue_one_task_after_commit(
    workspace, user, monkeypatch, django_capture_on_commit_callbacks
):
    published = []
    monkeypatch.setattr(
        "alignment.queueing.publish", lambda task, *args: published.append((task.name, args))
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = services.insight_create(actor=user, workspace=workspace, title=CSV[0])
        second = services.insight_create(actor=user, workspace=workspace, title=BILLING[0])
    embeds = [args for name, args in published if name == "research.embed_insights"]
    assert embeds == [(workspace.pk, sorted([first.pk, second.pk]))]

    published.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.insight_update(actor=user, insight=first, sentiment="negative")
    assert not [name for name, _ in published if name == "research.embed_insights"]
    with django_capture_on_commit_callbacks(execute=True):
        services.insight_update(actor=user, insight=first, evidence="“We retype it all.”")
    assert [args for name, args in published if name == "research.embed_insights"] == [
        (workspace.pk, [first.pk])
    ]


def test_ids_of_a_rolled_back_transaction_are_not_published(
    workspace, user, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from research.services.similarity import insight_embeddings_enqueue

    published = []
    monkeypatch.setattr("alignment.queueing.publish", lambda task, *args: published.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            insight_embeddings_enqueue(workspace=workspace, insight_ids=[999])
            raise RuntimeError
        insight_embeddings_enqueue(workspace=workspace, insight_ids=[1000])
    assert published == [(workspace.pk, [1000])]


def test_the_task_stores_the_vector_in_process_mode(
    workspace, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        insight = services.insight_create(actor=user, workspace=workspace, title=CSV[0])
    assert InsightEmbedding.objects.filter(insight=insight).exists()


def test_vectors_of_insights_not_yet_embedded_are_computed_on_the_fly(workspace):
    stored, missing = _insight(workspace, CSV), _insight(workspace, BILLING)
    insight_embeddings_refresh(workspace=workspace, insight_ids=[stored.pk])
    ids, matrix = insight_vectors(workspace)
    assert ids == [stored.pk, missing.pk]
    assert matrix.shape == (2, model.DIMENSIONS)
    assert abs(float(matrix[1] @ matrix[1]) - 1) < 1e-4
    assert not InsightEmbedding.objects.filter(insight=missing).exists()  # a read writes nothing


def test_insight_text_strips_markdown_and_adds_the_quote(workspace):
    from research.semantic.embeddings import insight_text

    insight = InsightFactory(
        workspace=workspace, title="Export", body="**Bold** and [a link](https://x.test)",
        evidence="“quote”",
    )  # fmt: skip
    assert insight_text(insight) == "Export\nBold and a link\n“quote”"


# --- Similar insights -------------------------------------------------------------------


def test_similar_insights_best_first_without_itself(workspace, other_workspace):
    csv = _insight(workspace, CSV)
    again = _insight(workspace, CSV_AGAIN)
    _insight(workspace, BILLING)
    _insight(workspace, MOBILE)
    _insight(other_workspace, CSV)
    found = similar_insights(workspace=workspace, insight=csv)
    assert [insight.pk for insight, _ in found][0] == again.pk
    assert csv.pk not in [insight.pk for insight, _ in found]
    assert all(insight.workspace_id == workspace.pk for insight, _ in found)
    scores = [score for _, score in found]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] >= DUPLICATE_THRESHOLD > scores[-1]


def test_similar_api_order_duplicate_flag_and_self_excluded(api, workspace):
    csv, again = _insight(workspace, CSV), _insight(workspace, CSV_AGAIN)
    billing = _insight(workspace, BILLING)
    response = api.get(_api("insight-similar", workspace, pk=csv.pk))
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body] == [again.pk, billing.pk]
    assert body[0]["title"] == again.title and body[0]["duplicate"] is True
    assert body[1]["duplicate"] is False and body[0]["score"] > body[1]["score"]
    assert (
        api.get(_api("insight-similar", workspace, pk=csv.pk) + "?limit=1").json()[0]["id"]
        == again.pk
    )
    assert api.get(_api("insight-similar", workspace, pk=csv.pk) + "?limit=0").status_code == 400


def test_similar_api_another_tenants_insight_is_404(api, workspace, other_workspace):
    foreign = _insight(other_workspace, CSV)
    assert api.get(_api("insight-similar", workspace, pk=foreign.pk)).status_code == 404


def test_a_viewer_reads_similar_insights(api_client, workspace, member):
    api_client.force_authenticate(member(Role.VIEWER))
    csv = _insight(workspace, CSV)
    _insight(workspace, CSV_AGAIN)
    assert api_client.get(_api("insight-similar", workspace, pk=csv.pk)).status_code == 200
    typed = api_client.post(_api("insight-similar-text", workspace), {"title": CSV[0]})
    assert typed.status_code == 200


def test_typed_text_finds_the_paraphrase(api, workspace):
    csv = _insight(workspace, CSV)
    _insight(workspace, BILLING)
    response = api.post(
        _api("insight-similar-text", workspace),
        {"title": CSV_AGAIN[0], "body": CSV_AGAIN[1]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()[0]["id"] == csv.pk and response.json()[0]["duplicate"] is True
    empty = api.post(_api("insight-similar-text", workspace), {}, format="json")
    assert empty.status_code == 200 and empty.json() == []


def test_typed_text_too_long_is_a_400(api, workspace):
    response = api.post(
        _api("insight-similar-text", workspace), {"body": "x" * 5001}, format="json"
    )
    assert response.status_code == 400 and "body" in response.json()
    assert (
        api.post(_api("insight-similar-text", workspace), {"title": "t" * 201}).status_code == 400
    )


# --- Duplicates -------------------------------------------------------------------------


def test_mark_duplicate_points_to_the_root_and_moves_the_duplicates(workspace, user):
    original, first, second, other = (_insight(workspace, CSV) for _ in range(4))
    insight_mark_duplicate(actor=user, insight=first, duplicate_of=original)
    insight_mark_duplicate(actor=user, insight=second, duplicate_of=first)  # a chain
    second.refresh_from_db()
    assert second.duplicate_of_id == original.pk
    insight_mark_duplicate(actor=user, insight=original, duplicate_of=other)
    assert {i.duplicate_of_id for i in (original, first, second) if not i.refresh_from_db()} == {
        other.pk
    }
    insight_unmark_duplicate(actor=user, insight=first)
    first.refresh_from_db()
    assert first.duplicate_of_id is None


def test_mark_duplicate_refuses_itself_a_loop_and_another_workspace(
    workspace, other_workspace, user
):
    from django.core.exceptions import ValidationError

    insight, original = _insight(workspace, CSV), _insight(workspace, CSV_AGAIN)
    with pytest.raises(ValidationError) as error:
        insight_mark_duplicate(actor=user, insight=insight, duplicate_of=insight)
    assert "duplicate_of" in error.value.message_dict
    insight_mark_duplicate(actor=user, insight=insight, duplicate_of=original)
    with pytest.raises(ValidationError):
        insight_mark_duplicate(actor=user, insight=original, duplicate_of=insight)
    with pytest.raises(ValidationError):
        insight_mark_duplicate(
            actor=user, insight=insight, duplicate_of=_insight(other_workspace, CSV)
        )


def test_duplicate_api(api, workspace, other_workspace, user, member):
    insight, original = _insight(workspace, CSV_AGAIN), _insight(workspace, CSV)
    url = _api("insight-duplicate", workspace, pk=insight.pk)
    response = api.post(url, {"duplicate_of": original.pk}, format="json")
    assert response.status_code == 200
    assert response.json() == {"id": insight.pk, "duplicate_of": original.pk}
    assert api.post(url, {"duplicate_of": insight.pk}, format="json").status_code == 400
    foreign = _insight(other_workspace, CSV)
    refused = api.post(url, {"duplicate_of": foreign.pk}, format="json")
    assert refused.status_code == 400 and "duplicate_of" in refused.json()
    assert api.post(url, {}, format="json").status_code == 400
    foreign_url = _api("insight-duplicate", workspace, pk=foreign.pk)
    assert api.post(foreign_url, {"duplicate_of": original.pk}).status_code == 404

    api.force_authenticate(member(Role.VIEWER))
    assert api.post(url, {"duplicate_of": original.pk}).status_code == 403
    assert api.delete(url).status_code == 403

    api.force_authenticate(user)
    assert api.delete(url).status_code == 204
    insight.refresh_from_db()
    assert insight.duplicate_of_id is None


def test_a_duplicate_and_its_original_count_once_as_evidence(workspace, user):
    opportunity = OpportunityFactory(workspace=workspace)
    original, duplicate = _insight(workspace, CSV), _insight(workspace, CSV_AGAIN)
    for insight in (original, duplicate):
        EvidenceFactory(opportunity=opportunity, insight=insight)
    EvidenceFactory(
        opportunity=opportunity,
        insight=_insight(workspace, BILLING),
        stance=Evidence.Stance.CONTRADICTING,
    )

    def counts():
        row = selectors.opportunity_list(workspace=workspace).get(pk=opportunity.pk)
        return row.supporting_count, row.contradicting_count

    assert counts() == (2, 1)
    insight_mark_duplicate(actor=user, insight=duplicate, duplicate_of=original)
    assert counts() == (1, 1)


# --- The pages --------------------------------------------------------------------------


def test_insight_page_shows_similar_insights_and_links_a_duplicate(web, workspace):
    csv, again = _insight(workspace, CSV), _insight(workspace, CSV_AGAIN)
    page = web.get(csv.get_absolute_url())
    html = page.content.decode()
    assert "Similar insights" in html and "export my reports as CSV" in html
    assert "Likely duplicate" in html
    assert "Same evidence" in html
    response = web.post(_web("insight_duplicate", workspace, pk=again.pk), {"duplicate_of": csv.pk})
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.duplicate_of_id == csv.pk
    web.post(_web("insight_duplicate", workspace, pk=again.pk), {"unmark": "1"})
    again.refresh_from_db()
    assert again.duplicate_of_id is None


def test_a_viewer_cannot_link_duplicates_in_the_browser(client, workspace, member):
    client.force_login(member(Role.VIEWER))
    csv, again = _insight(workspace, CSV), _insight(workspace, CSV_AGAIN)
    assert "Same evidence</button>" not in client.get(csv.get_absolute_url()).content.decode()
    url = _web("insight_duplicate", workspace, pk=again.pk)
    assert client.post(url, {"duplicate_of": csv.pk}).status_code == 403


def test_the_form_route_answers_json_and_refuses_long_text(web, workspace, other_workspace):
    csv = _insight(workspace, CSV)
    url = _web("insight_similar", workspace)
    body = web.post(url, {"title": CSV_AGAIN[0], "body": CSV_AGAIN[1]}).json()
    assert body["results"][0]["id"] == csv.pk and body["results"][0]["duplicate"] is True
    assert body["results"][0]["url"] == csv.get_absolute_url()
    assert web.post(url, {"title": CSV[0], "exclude": csv.pk}).json()["results"] == []
    assert web.post(url, {"body": "x" * 5001}).status_code == 400
    foreign = reverse("research:insight_similar", kwargs={"workspace_slug": other_workspace.slug})
    assert web.post(foreign, {"title": "x"}).status_code == 404


def test_the_insight_form_carries_the_live_panel(web, workspace):
    html = web.get(_web("insight_create", workspace)).content.decode()
    assert 'id="similar-live"' in html and "js/similar.js" in html
    assert _web("insight_similar", workspace) in html


# --- Quality on the labelled set --------------------------------------------------------


@pytest.fixture(scope="module")
def figures():
    items = evaluation.load_set()
    rows = evaluation.evaluate(items, thresholds={evaluation.APP_METHOD: DUPLICATE_THRESHOLD})
    return {row.method: row for row in rows}


def test_the_labelled_set_is_big_enough():
    items = evaluation.load_set()
    ids = {item["id"] for item in items}
    assert len(items) >= 240 and len({item["topic"] for item in items}) >= 8
    assert all(item["duplicate_of"] in ids for item in items if item.get("duplicate_of"))
    assert len(evaluation.duplicate_pairs(items)) >= 30


@pytest.mark.xdist_group("text-model-figures")  # one process computes the figures once
def test_the_app_uses_the_best_method_and_it_beats_tfidf(figures):
    """Measured figures (deterministic), kept as floors: see README "Text model quality"."""
    app = figures[evaluation.APP_METHOD]
    best = max(figures.values(), key=lambda row: row.precision_at_3)
    assert app.method == best.method
    assert app.precision_at_3 >= 0.60 > figures["tfidf"].precision_at_3
    assert app.duplicate_precision >= 0.5
    assert app.purity_all > figures["tfidf"].purity_all


@pytest.mark.xdist_group("text-model-figures")
@pytest.mark.xfail(
    strict=True,
    reason="Issue #25's bar (precision@3 >= 0.8, purity >= 0.85) is not met by WordLlama "
    "256 on this set: precision@3 0.60; purity 0.86 on the themed half, 0.65 over every "
    "item; see the README.",
)
def test_the_issue_quality_targets(figures):
    app = figures[evaluation.APP_METHOD]
    assert app.precision_at_3 >= 0.8
    assert app.purity >= 0.85 and app.purity_all >= 0.85


SERVE_WITHOUT_EMBEDDING = """
import sys
from django.template import engines
from django.urls import get_resolver
import research.services, research.tasks
get_resolver().url_patterns
engines["django"].engine.template_libraries
print("numpy" in sys.modules)
"""


@pytest.mark.subprocess
def test_a_process_that_never_embeds_does_not_load_numpy():
    """The URLconf, every template library and the research services and tasks load
    without numpy (about 11 MB): it comes with the first vector (research.semantic.model)."""
    import subprocess
    import sys
    from pathlib import Path

    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SERVE_WITHOUT_EMBEDDING],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
