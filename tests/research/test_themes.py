"""Themes: the clustering on the labelled set, recomputes that keep what people edited,
merge/split/move, the API and the pages, and the debounced recompute after changes."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

from alignment.models import Role
from research import selectors
from research import services
from research.models import Insight
from research.models import Theme
from research.models import ThemeMembership
from research.semantic import clustering
from research.services import themes as theme_services
from tests.evaluation.text_model.evaluation import item_text
from tests.evaluation.text_model.evaluation import load_set
from tests.evaluation.text_model.evaluation import purity
from tests.factories import FeatureFactory
from tests.research.factories import InsightFactory
from tests.research.factories import PersonaFactory
from tests.research.factories import ThemeFactory
from tests.research.factories import ThemeMembershipFactory

_RESULT = theme_services.ThemesRecomputeResult(
    themes=0, created=0, matched=0, deleted=0, themed=0, unthemed=0, seconds=0.0
)

# --- Clustering -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def labelled():
    items = load_set()
    texts = [item_text(item) for item in items]
    return items, texts, theme_services.text_vectors(texts)


def test_cluster_groups_the_labelled_topics(labelled):
    items, _, vectors = labelled
    topics = [item["topic"] for item in items]
    assert len(items) >= 200 and len(set(topics)) >= 8
    labels = clustering.cluster(vectors)
    group_purity, themed, groups = purity(labels, topics)
    assert group_purity >= 0.85, (group_purity, themed, groups)
    assert themed >= 0.45, (group_purity, themed, groups)
    assert len(set(topics)) // 2 <= groups <= 3 * len(set(topics))


def test_cluster_is_deterministic(labelled):
    _, _, vectors = labelled
    assert np.array_equal(clustering.cluster(vectors), clustering.cluster(vectors.copy()))


def test_cluster_labels_by_size_and_leaves_small_groups_and_empty_rows_unthemed():
    rng = np.random.default_rng(1)
    bases = rng.normal(size=(3, 32))
    rows = [bases[0] + 0.05 * rng.normal(size=32) for _ in range(5)]
    rows += [bases[1] + 0.05 * rng.normal(size=32) for _ in range(4)]
    rows += [bases[2] + 0.05 * rng.normal(size=32) for _ in range(2)]  # too small
    rows += [np.zeros(32)]  # an empty text
    labels = clustering.cluster(np.array(rows), min_size=3)
    assert list(labels) == [0] * 5 + [1] * 4 + [-1] * 3
    assert list(clustering.cluster(np.zeros((2, 32)))) == [-1, -1]
    assert list(clustering.cluster(np.zeros((0, 32)))) == []


def test_cluster_above_the_direct_limit_reduces_first_and_stays_deterministic():
    vectors = _synthetic_vectors([0] * 30 + [1] * 30 + [2] * 30)
    first = clustering.cluster(vectors, direct_limit=20, micro_clusters=15)
    second = clustering.cluster(vectors, direct_limit=20, micro_clusters=15)
    assert np.array_equal(first, second)
    assert purity(first, [0] * 30 + [1] * 30 + [2] * 30)[0] == 1.0


def test_characteristic_terms_prefer_what_is_frequent_here_and_rare_elsewhere():
    texts = [
        "Export to CSV fails for the report",
        "The CSV export drops the last column of the report",
        "A spreadsheet export in CSV would help the report",
        "The mobile app crashes on the report",
        "Mobile layout breaks on the phone report",
        "The phone app is slow on mobile report",
        "Unrelated words about the report",
    ]
    terms = clustering.characteristic_terms(texts, [0, 0, 0, 1, 1, 1, -1])
    assert terms[0][:2] == ["csv", "export"]
    assert terms[1][0] == "mobile"
    assert "the" not in terms[0] and "report" not in terms[0][:2]
    assert clustering.label_from_terms(terms[0]) == " · ".join(terms[0][:3])
    assert clustering.label_from_terms([]) == "Untitled theme"
    assert clustering.characteristic_terms(["the a an", "of"], [0, 0]) == {0: []}


# --- Recompute --------------------------------------------------------------------------

TOPIC_TEXTS = {
    "export": ("CSV export of the report", "the analyst exports a spreadsheet csv file"),
    "mobile": ("Mobile app on the phone", "the phone screen and the mobile layout"),
    "billing": ("Invoice and billing", "the invoice amount and the billing plan"),
}


def _synthetic_vectors(topics: list, dims: int = 64, seed: int = 7) -> np.ndarray:
    """Rows near one direction per topic (cosine ~0.95 within, ~0 across)."""
    rng = np.random.default_rng(seed)
    bases = {topic: rng.normal(size=dims) for topic in dict.fromkeys(topics)}
    rows = np.array([bases[topic] + 0.2 * rng.normal(size=dims) for topic in topics])
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture
def topic_vectors(monkeypatch):
    """Each insight's vector follows the topic word its title starts with, so recompute
    tests do not depend on the text model."""
    rng = np.random.default_rng(3)
    bases = {topic: rng.normal(size=64) for topic in TOPIC_TEXTS}

    def vectors(workspace, ids, texts):
        rows = []
        for text in texts:
            topic = next((t for t in TOPIC_TEXTS if text.lower().startswith(t)), None)
            base = bases[topic] if topic else rng.normal(size=64) * 3
            rows.append(base + 0.2 * rng.normal(size=64))
        rows = np.array(rows).reshape(len(texts), 64)
        return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)

    monkeypatch.setattr(theme_services, "_vectors", vectors)


def _insights(workspace, topic: str, count: int, **kwargs) -> list[Insight]:
    title, body = TOPIC_TEXTS[topic]
    return [
        InsightFactory(workspace=workspace, title=f"{topic} {title} {n}", body=body, **kwargs)
        for n in range(count)
    ]


def _theme_of(insight) -> Theme | None:
    membership = ThemeMembership.objects.filter(insight=insight).first()
    return membership.theme if membership else None


@pytest.mark.django_db
def test_recompute_groups_insights_into_labelled_themes(workspace, topic_vectors):
    export = _insights(workspace, "export", 5)
    mobile = _insights(workspace, "mobile", 4)
    InsightFactory(workspace=workspace, title="A stray remark", body="")
    result = services.themes_recompute(workspace=workspace)
    assert (result.themes, result.created, result.themed, result.unthemed) == (2, 2, 9, 1)
    export_theme, mobile_theme = _theme_of(export[0]), _theme_of(mobile[0])
    assert {_theme_of(i) for i in export} == {export_theme} != {mobile_theme}
    assert "csv" in export_theme.terms and "export" in export_theme.label
    assert "mobile" in mobile_theme.terms or "phone" in mobile_theme.terms
    assert not export_theme.label_locked and export_theme.computed_at
    assert len(export_theme.centroid) == 64 * 4
    assert ThemeMembership.objects.filter(manual=True).count() == 0


@pytest.mark.django_db
def test_recompute_keeps_ids_renamed_labels_pins_and_manual_members(workspace, topic_vectors):
    export = _insights(workspace, "export", 5)
    mobile = _insights(workspace, "mobile", 4)
    billing = _insights(workspace, "billing", 3)
    services.themes_recompute(workspace=workspace)
    export_theme, mobile_theme, billing_theme = (_theme_of(i[0]) for i in (export, mobile, billing))
    services.theme_update(actor=None, theme=export_theme, label="Getting data out")
    services.theme_update(actor=None, theme=billing_theme, pinned=True)
    # A person places one export insight in the mobile theme.
    services.theme_move_insights(actor=None, theme=mobile_theme, insights=[export[0].pk])

    new_export = _insights(workspace, "export", 2)
    for insight in billing:
        insight.delete()  # the billing group is gone; its pinned theme stays
    result = services.themes_recompute(workspace=workspace)

    assert result.created == 0
    assert {_theme_of(i).pk for i in export[1:] + new_export} == {export_theme.pk}
    export_theme.refresh_from_db()
    assert export_theme.label == "Getting data out" and export_theme.label_locked
    assert {_theme_of(i).pk for i in mobile} == {mobile_theme.pk}
    moved = ThemeMembership.objects.get(insight=export[0])
    assert moved.theme_id == mobile_theme.pk and moved.manual
    billing_theme.refresh_from_db()
    assert billing_theme.pinned and not billing_theme.memberships.exists()
    mobile_theme.refresh_from_db()
    assert not mobile_theme.label_locked and "mobile" in mobile_theme.terms

    # Run again with nothing changed: the same themes, the same members.
    before = sorted(ThemeMembership.objects.values_list("insight_id", "theme_id", "manual"))
    services.themes_recompute(workspace=workspace)
    after = sorted(ThemeMembership.objects.values_list("insight_id", "theme_id", "manual"))
    assert before == after


@pytest.mark.django_db
def test_recompute_deletes_unmatched_themes_unless_pinned_or_holding_manual_members(
    workspace, topic_vectors
):
    _insights(workspace, "export", 4)
    stale = ThemeFactory(workspace=workspace, label="old")
    ThemeMembershipFactory(theme=stale, insight=InsightFactory(workspace=workspace, title="x"))
    kept = ThemeFactory(workspace=workspace, label="hand-made")
    ThemeMembershipFactory(
        theme=kept, insight=InsightFactory(workspace=workspace, title="y"), manual=True
    )
    pinned = ThemeFactory(workspace=workspace, label="watch", pinned=True)
    result = services.themes_recompute(workspace=workspace)
    assert result.deleted == 1
    assert not Theme.objects.filter(pk=stale.pk).exists()
    assert set(Theme.objects.filter(pk__in=[kept.pk, pinned.pk]).values_list("pk", flat=True)) == {
        kept.pk,
        pinned.pk,
    }


@pytest.mark.django_db
def test_recompute_of_an_empty_workspace_and_tenancy(workspace, other_workspace, topic_vectors):
    _insights(other_workspace, "export", 4)
    assert services.themes_recompute(workspace=workspace).themes == 0
    assert not Theme.objects.in_workspace(workspace).exists()
    services.themes_recompute(workspace=other_workspace)
    assert Theme.objects.in_workspace(other_workspace).count() == 1


@pytest.mark.django_db
def test_recompute_with_the_text_model(workspace):
    """End to end, no monkeypatching: the model's vectors and the generated labels."""
    for title in [
        "Export the report to CSV",
        "CSV export of the usage report",
        "Exporting the report as CSV for finance",
        "Export report data into a CSV spreadsheet",
    ]:
        InsightFactory(workspace=workspace, title=title, body="")
    result = services.themes_recompute(workspace=workspace)
    assert result.themes >= 1
    theme = Theme.objects.in_workspace(workspace).first()
    assert "csv" in theme.terms or "export" in theme.terms


# --- Edits ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_merge_moves_members_as_manual_and_deletes_the_theme(workspace, other_workspace):
    source, target = ThemeFactory(workspace=workspace), ThemeFactory(workspace=workspace)
    rows = [ThemeMembershipFactory(theme=source) for _ in range(2)]
    into = services.theme_merge(actor=None, theme=source, into=target)
    assert into == target and not Theme.objects.filter(pk=source.pk).exists()
    assert set(target.memberships.values_list("insight_id", "manual")) == {
        (row.insight_id, True) for row in rows
    }
    with pytest.raises(Exception) as error:
        services.theme_merge(actor=None, theme=target, into=target)
    assert "into" in error.value.message_dict
    foreign = ThemeFactory(workspace=other_workspace)
    with pytest.raises(Exception) as error:
        services.theme_merge(actor=None, theme=target, into=foreign)
    assert "into" in error.value.message_dict


@pytest.mark.django_db
def test_split_makes_a_new_theme_named_from_its_terms(workspace):
    theme = ThemeFactory(workspace=workspace)
    csv = [
        ThemeMembershipFactory(
            theme=theme,
            insight=InsightFactory(workspace=workspace, title=f"CSV export broken {n}", body=""),
        )
        for n in range(2)
    ]
    ThemeMembershipFactory(
        theme=theme, insight=InsightFactory(workspace=workspace, title="Dark mode")
    )
    new = services.theme_split(actor=None, theme=theme, insights=[row.insight_id for row in csv])
    assert new.pk != theme.pk and new.workspace == workspace
    assert set(new.memberships.values_list("insight_id", "manual")) == {
        (row.insight_id, True) for row in csv
    }
    assert "csv" in new.terms and "csv" in new.label and not new.label_locked
    assert theme.memberships.count() == 1
    outsider = InsightFactory(workspace=workspace)
    with pytest.raises(Exception) as error:
        services.theme_split(actor=None, theme=theme, insights=[outsider.pk])
    assert "insights" in error.value.message_dict
    with pytest.raises(Exception) as error:
        services.theme_split(actor=None, theme=theme, insights=[])
    assert "insights" in error.value.message_dict


@pytest.mark.django_db
def test_move_places_insights_by_hand(workspace, other_workspace):
    first, second = ThemeFactory(workspace=workspace), ThemeFactory(workspace=workspace)
    row = ThemeMembershipFactory(theme=first)
    loose = InsightFactory(workspace=workspace)
    services.theme_move_insights(actor=None, theme=second, insights=[row.insight_id, loose.pk])
    assert set(second.memberships.values_list("insight_id", "manual")) == {
        (row.insight_id, True),
        (loose.pk, True),
    }
    assert not first.memberships.exists()
    with pytest.raises(Exception) as error:
        services.theme_move_insights(
            actor=None, theme=second, insights=[InsightFactory(workspace=other_workspace).pk]
        )
    assert "insights" in error.value.message_dict


@pytest.mark.django_db
def test_rename_locks_the_label_and_an_empty_name_is_refused(workspace):
    theme = ThemeFactory(workspace=workspace, label="a · b · c")
    services.theme_update(actor=None, theme=theme, pinned=True)
    assert theme.pinned and not theme.label_locked
    services.theme_update(actor=None, theme=theme, label="  Data   out ")
    assert theme.label == "Data out" and theme.label_locked
    with pytest.raises(Exception) as error:
        services.theme_update(actor=None, theme=theme, label="  ")
    assert "label" in error.value.message_dict


# --- Selectors --------------------------------------------------------------------------


@pytest.mark.django_db
def test_trend_counts_new_insights_per_iso_week_with_empty_weeks(workspace):
    theme = ThemeFactory(workspace=workspace)
    today = timezone.localdate()
    for days_ago in (0, 1, 14, 200):
        row = ThemeMembershipFactory(theme=theme)
        Insight.objects.filter(pk=row.insight_id).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    theme = selectors.theme_list(workspace=workspace).get(pk=theme.pk)
    trend = selectors.theme_trend(theme, today=today)
    assert len(trend) == 12
    year, week, _ = today.isocalendar()
    assert trend[-1]["week"] == f"{year}-W{week:02d}"
    assert sum(week["count"] for week in trend) == 3
    assert trend[-3]["count"] >= 1 and trend.count({"week": trend[0]["week"], "count": 0}) == 1


@pytest.mark.django_db
def test_top_personas_and_features_rank_by_how_many_insights_name_them(workspace):
    theme = ThemeFactory(workspace=workspace)
    personas = [PersonaFactory(workspace=workspace) for _ in range(7)]
    feature = FeatureFactory(workspace=workspace)
    for n in range(3):
        insight = InsightFactory(workspace=workspace)
        insight.personas.set(personas[: n + 1] + ([personas[6]] if n == 2 else []))
        insight.features.set([feature])
        ThemeMembershipFactory(theme=theme, insight=insight)
    theme = selectors.theme_list(workspace=workspace).get(pk=theme.pk)
    assert selectors.theme_top_related(theme, "personas") == [
        personas[0].pk,
        personas[1].pk,
        personas[2].pk,
        personas[6].pk,
    ]
    assert selectors.theme_top_related(theme, "features") == [feature.pk]


# --- API --------------------------------------------------------------------------------


def _api_url(workspace, name="theme-list", **kwargs):
    return reverse(f"research-api:{name}", kwargs={"workspace_slug": workspace.slug, **kwargs})


@pytest.mark.django_db
def test_api_list_shape_and_query_count(api, workspace, django_assert_max_num_queries):
    persona, feature = PersonaFactory(workspace=workspace), FeatureFactory(workspace=workspace)
    for _ in range(4):
        theme = ThemeFactory(workspace=workspace)
        for _ in range(3):
            insight = InsightFactory(workspace=workspace)
            insight.personas.set([persona])
            insight.features.set([feature])
            ThemeMembershipFactory(theme=theme, insight=insight)
    with django_assert_max_num_queries(12):
        response = api.get(_api_url(workspace))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    row = body["results"][0]
    assert {
        "id", "label", "insight_count", "insights", "terms", "personas", "features", "trend",
        "pinned",
    } <= set(row)  # fmt: skip
    assert row["insight_count"] == 3 and len(row["insights"]) == 3
    assert row["personas"] == [persona.pk] and row["features"] == [feature.pk]
    assert len(row["trend"]) == 12 and row["trend"][-1]["count"] == 3
    assert set(row["trend"][0]) == {"week", "count"}


@pytest.mark.django_db
def test_api_patch_renames_and_pins(api, workspace):
    theme = ThemeFactory(workspace=workspace)
    response = api.patch(
        _api_url(workspace, "theme-detail", pk=theme.pk),
        {"label": "Data out", "pinned": True},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["label"] == "Data out" and response.json()["pinned"] is True
    assert response.json()["label_locked"] is True
    bad = api.patch(_api_url(workspace, "theme-detail", pk=theme.pk), {"label": ""}, format="json")
    assert bad.status_code == 400 and "label" in bad.json()
    bad = api.patch(
        _api_url(workspace, "theme-detail", pk=theme.pk), {"label": "x" * 500}, format="json"
    )
    assert bad.status_code == 400 and "label" in bad.json()
    assert api.post(_api_url(workspace), {"label": "x"}, format="json").status_code == 405
    assert api.delete(_api_url(workspace, "theme-detail", pk=theme.pk)).status_code == 405


@pytest.mark.django_db
def test_api_merge_split_move(api, workspace, other_workspace):
    source, target = ThemeFactory(workspace=workspace), ThemeFactory(workspace=workspace)
    rows = [ThemeMembershipFactory(theme=source) for _ in range(3)]
    split = api.post(
        _api_url(workspace, "theme-split", pk=source.pk),
        {"insights": [rows[0].insight_id]},
        format="json",
    )
    assert split.status_code == 201, split.content
    new_id = split.json()["id"]
    assert split.json()["insights"] == [rows[0].insight_id]
    moved = api.post(
        _api_url(workspace, "theme-move", pk=target.pk),
        {"insights": [rows[1].insight_id]},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["insights"] == [rows[1].insight_id]
    merged = api.post(
        _api_url(workspace, "theme-merge", pk=source.pk), {"into": new_id}, format="json"
    )
    assert merged.status_code == 200 and merged.json()["id"] == new_id
    assert sorted(merged.json()["insights"]) == sorted([rows[0].insight_id, rows[2].insight_id])
    assert not Theme.objects.filter(pk=source.pk).exists()

    # Another tenant's ids in a body: 400 naming the field; bad shapes too.
    foreign_theme = ThemeFactory(workspace=other_workspace)
    foreign_insight = InsightFactory(workspace=other_workspace)
    for url, body, field in [
        (_api_url(workspace, "theme-merge", pk=target.pk), {"into": foreign_theme.pk}, "into"),
        (_api_url(workspace, "theme-merge", pk=target.pk), {"into": target.pk}, "into"),
        (_api_url(workspace, "theme-merge", pk=target.pk), {"into": "x"}, "into"),
        (_api_url(workspace, "theme-merge", pk=target.pk), {}, "into"),
        (
            _api_url(workspace, "theme-move", pk=target.pk),
            {"insights": [foreign_insight.pk]},
            "insights",
        ),
        (_api_url(workspace, "theme-move", pk=target.pk), {"insights": []}, "insights"),
        (_api_url(workspace, "theme-move", pk=target.pk), {"insights": "1"}, "insights"),
        (_api_url(workspace, "theme-split", pk=target.pk), {"insights": [10**12]}, "insights"),
        (
            _api_url(workspace, "theme-split", pk=target.pk),
            {"insights": [rows[0].insight_id]},
            "insights",
        ),
    ]:
        response = api.post(url, body, format="json")
        assert response.status_code == 400, (url, body, response.content)
        assert field in response.json(), (body, response.json())
    assert (
        api.post(_api_url(workspace, "theme-move", pk=target.pk), [1, 2], format="json").status_code
        == 400
    )
    # Another tenant's theme in the URL: 404.
    assert (
        api.post(
            _api_url(workspace, "theme-merge", pk=foreign_theme.pk),
            {"into": target.pk},
            format="json",
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_api_recompute_answers_202_and_runs_in_process(api, workspace, monkeypatch):
    calls = []
    monkeypatch.setattr(
        theme_services,
        "themes_recompute",
        lambda *, workspace: calls.append(workspace.pk) or _RESULT,
    )
    response = api.post(_api_url(workspace, "theme-recompute"), {}, format="json")
    assert response.status_code == 202 and response.json() == {"queued": True}
    assert calls == [workspace.pk]


@pytest.mark.django_db
def test_api_viewer_reads_only(api_client, workspace, member):
    api_client.force_authenticate(member(Role.VIEWER))
    theme, other = ThemeFactory(workspace=workspace), ThemeFactory(workspace=workspace)
    row = ThemeMembershipFactory(theme=theme)
    assert api_client.get(_api_url(workspace)).status_code == 200
    for url, body in [
        (_api_url(workspace, "theme-detail", pk=theme.pk), {"label": "x"}),
        (_api_url(workspace, "theme-recompute"), {}),
        (_api_url(workspace, "theme-merge", pk=theme.pk), {"into": other.pk}),
        (_api_url(workspace, "theme-split", pk=theme.pk), {"insights": [row.insight_id]}),
        (_api_url(workspace, "theme-move", pk=other.pk), {"insights": [row.insight_id]}),
    ]:
        method = api_client.patch if url.endswith(f"/{theme.pk}/") else api_client.post
        assert method(url, body, format="json").status_code == 403, url
    assert Theme.objects.filter(pk=theme.pk, label_locked=False).exists()


# --- Debounced recompute ----------------------------------------------------------------


@pytest.fixture
def recompute_calls(monkeypatch):
    calls = []
    monkeypatch.setattr(
        theme_services,
        "themes_recompute",
        lambda *, workspace: calls.append(workspace.pk) or _RESULT,
    )
    return calls


@pytest.mark.django_db
def test_a_burst_of_insight_changes_runs_one_recompute(
    workspace, user, recompute_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.insight_create(actor=user, workspace=workspace, title="One")
    with django_capture_on_commit_callbacks(execute=True):
        services.insight_update(actor=user, insight=first, title="One, edited")
        services.insight_create(actor=user, workspace=workspace, title="Two")
    with django_capture_on_commit_callbacks(execute=True):
        services.insight_delete(actor=user, instance=first)
    assert recompute_calls == [workspace.pk]
    # Once the key expires (the countdown passed), the next change schedules another run.
    from django.core.cache import cache

    cache.delete(theme_services._debounce_key(workspace.pk))
    with django_capture_on_commit_callbacks(execute=True):
        services.insight_create(actor=user, workspace=workspace, title="Three")
    assert recompute_calls == [workspace.pk, workspace.pk]


@pytest.mark.django_db
def test_a_rolled_back_change_schedules_nothing(workspace, user, recompute_calls):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.insight_create(actor=user, workspace=workspace, title="Gone")
        raise RuntimeError
    assert recompute_calls == []


@pytest.mark.django_db
def test_changes_through_a_broker_are_queued_with_a_countdown(
    workspace, user, monkeypatch, django_capture_on_commit_callbacks, settings
):
    from research import tasks

    settings.RESEARCH_THEMES_RECOMPUTE_DELAY = 60
    sent = []
    conf = tasks.recompute_themes.app.conf
    monkeypatch.setattr(
        tasks.recompute_themes, "apply_async", lambda args, **kwargs: sent.append((args, kwargs))
    )
    conf.task_always_eager = False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.insight_create(actor=user, workspace=workspace, title="One")
            services.insight_create(actor=user, workspace=workspace, title="Two")
    finally:
        conf.task_always_eager = True
    assert len(sent) == 1 and sent[0][0] == (workspace.pk,) and sent[0][1]["countdown"] == 60


@pytest.mark.django_db
def test_the_task_recomputes_and_ignores_a_missing_workspace(workspace, recompute_calls):
    from research.tasks import recompute_themes

    assert recompute_themes.apply(args=(10**9,)).get() == "missing"
    assert recompute_themes.apply(args=(workspace.pk,)).get() == "0 themes"
    assert recompute_calls == [workspace.pk]


# --- Pages ------------------------------------------------------------------------------


def _page(workspace, name="theme_list", **kwargs):
    return reverse(f"research:{name}", kwargs={"workspace_slug": workspace.slug, **kwargs})


@pytest.mark.django_db
def test_themes_page_shows_cards_and_the_nav_link(web, workspace, django_assert_max_num_queries):
    persona = PersonaFactory(workspace=workspace, name="Analyst")
    for n in range(3):
        theme = ThemeFactory(workspace=workspace, label=f"csv · export {n}", pinned=n == 0)
        for _ in range(2):
            insight = InsightFactory(workspace=workspace, title=f"Insight of {n}")
            insight.personas.set([persona])
            ThemeMembershipFactory(theme=theme, insight=insight)
    with django_assert_max_num_queries(25):
        response = web.get(_page(workspace))
    html = response.content.decode()
    assert response.status_code == 200
    assert "csv · export 1" in html and "<polyline" in html and "Analyst" in html
    assert "Recompute now" in html and "Merge into" in html and "Pinned" in html
    assert f'href="{_page(workspace)}"' in html  # the research navigation links it


@pytest.mark.django_db
def test_pages_rename_pin_merge_split_move_and_recompute(web, workspace, monkeypatch):
    first, second = ThemeFactory(workspace=workspace), ThemeFactory(workspace=workspace)
    rows = [ThemeMembershipFactory(theme=first) for _ in range(3)]

    assert (
        web.post(_page(workspace, "theme_rename", pk=first.pk), {"label": "Data out"}).status_code
        == 302
    )
    first.refresh_from_db()
    assert first.label == "Data out" and first.label_locked
    assert web.post(_page(workspace, "theme_rename", pk=first.pk), {"label": ""}).status_code == 400
    web.post(_page(workspace, "theme_pin", pk=first.pk), {"pinned": "on"})
    first.refresh_from_db()
    assert first.pinned
    web.post(_page(workspace, "theme_pin", pk=first.pk), {})
    first.refresh_from_db()
    assert not first.pinned

    detail = web.get(_page(workspace, "theme_detail", pk=first.pk))
    assert detail.status_code == 200 and 'name="insights"' in detail.content.decode()
    response = web.post(
        _page(workspace, "theme_insights", pk=first.pk),
        {"insights": [rows[0].insight_id], "do": "move", "to": second.pk, "next": "detail"},
    )
    assert response.status_code == 302
    assert ThemeMembership.objects.get(insight_id=rows[0].insight_id).theme_id == second.pk
    response = web.post(
        _page(workspace, "theme_insights", pk=first.pk),
        {"insights": [rows[1].insight_id], "do": "split"},
    )
    assert response.status_code == 302
    new = ThemeMembership.objects.get(insight_id=rows[1].insight_id).theme
    assert new.pk not in (first.pk, second.pk) and response["Location"].endswith(f"/{new.pk}/")
    bad = web.post(
        _page(workspace, "theme_insights", pk=first.pk),
        {"insights": [rows[0].insight_id], "do": "split", "next": "detail"},
    )
    assert bad.status_code == 400
    assert (
        web.post(_page(workspace, "theme_merge", pk=first.pk), {"into": first.pk}).status_code
        == 400
    )
    assert (
        web.post(_page(workspace, "theme_merge", pk=first.pk), {"into": second.pk}).status_code
        == 302
    )
    assert not Theme.objects.filter(pk=first.pk).exists()

    calls = []
    monkeypatch.setattr(
        theme_services,
        "themes_recompute",
        lambda *, workspace: calls.append(workspace.pk) or _RESULT,
    )
    assert web.post(_page(workspace, "theme_recompute")).status_code == 302
    assert calls == [workspace.pk]


@pytest.mark.django_db
def test_pages_viewer_reads_and_other_tenants_get_404(client, workspace, other_workspace, member):
    client.force_login(member(Role.VIEWER))
    theme = ThemeFactory(workspace=workspace)
    foreign = ThemeFactory(workspace=other_workspace)
    assert client.get(_page(workspace)).status_code == 200
    assert "Recompute now" not in client.get(_page(workspace)).content.decode()
    assert client.get(_page(workspace, "theme_detail", pk=theme.pk)).status_code == 200
    assert (
        client.post(_page(workspace, "theme_rename", pk=theme.pk), {"label": "x"}).status_code
        == 403
    )
    assert client.post(_page(workspace, "theme_recompute")).status_code == 403
    assert client.get(_page(workspace, "theme_detail", pk=foreign.pk)).status_code == 404
    pm = member(Role.PM)
    client.force_login(pm)
    assert (
        client.post(_page(workspace, "theme_rename", pk=foreign.pk), {"label": "x"}).status_code
        == 404
    )
    assert client.get(_page(other_workspace)).status_code == 404


# --- Export and restore -----------------------------------------------------------------


@pytest.mark.django_db
def test_themes_travel_in_an_archive_and_embeddings_do_not(workspace, admin_user):
    import zipfile

    from alignment.portability import NOT_EXPORTED
    from alignment.portability import export_file
    from alignment.portability import workspace_restore
    from research.models import InsightEmbedding
    from research.semantic.model import to_bytes

    assert "research.InsightEmbedding" in NOT_EXPORTED
    theme = ThemeFactory(workspace=workspace, label="Data out", label_locked=True, pinned=True)
    theme.centroid = to_bytes(np.ones(4, dtype=np.float32))
    theme.save()
    row = ThemeMembershipFactory(theme=theme, manual=True, score=0.5)
    InsightEmbedding.objects.create(
        workspace=workspace, insight=row.insight, model_version="v", text_hash="h", vector=b"1234"
    )
    with export_file(workspace=workspace) as archive:
        names = zipfile.ZipFile(archive).namelist()
        assert not [name for name in names if "insightembedding" in name]
        archive.seek(0)
        restored = workspace_restore(actor=admin_user, archive=archive, slug="acme-copy")
    copy = Theme.objects.get(workspace=restored)
    assert (copy.label, copy.label_locked, copy.pinned) == ("Data out", True, True)
    assert bytes(copy.centroid) == bytes(theme.centroid)
    membership = ThemeMembership.objects.get(workspace=restored)
    assert membership.manual and membership.theme == copy
    assert membership.insight.workspace == restored
    assert not InsightEmbedding.objects.filter(workspace=restored).exists()
