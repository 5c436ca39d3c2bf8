"""`make bench` (themes): the time to embed and cluster 5,000 insights on this machine.

The insights are made from the labelled set (tests/research/text_set/insights.json): each
one joins the title of one item with the body of another of its topic and a third item's
body, so the texts are as long as real ones and the topics stay recoverable. Runs only
with BENCH_THEMES=1 (the `make bench` target sets it); prints the seconds of each step.
"""

from __future__ import annotations

import os
import random
import time

import pytest

pytestmark = [
    pytest.mark.bench,
    pytest.mark.skipif(
        os.environ.get("BENCH_THEMES") != "1", reason="themes benchmark: run by `make bench`"
    ),
]

INSIGHTS = int(os.environ.get("BENCH_THEMES_INSIGHTS", "5000"))


def bench_texts(count: int) -> tuple[list[str], list[str]]:
    from tests.evaluation.text_model.evaluation import load_set

    items = load_set()
    by_topic: dict[str, list[dict]] = {}
    for item in items:
        by_topic.setdefault(item["topic"], []).append(item)
    rng = random.Random(25)
    texts, topics = [], []
    for _ in range(count):
        item = rng.choice(items)
        same = rng.choice(by_topic[item["topic"]])
        other = rng.choice(items)
        texts.append(f"{item['title']}\n{same.get('body', '')} {other.get('body', '')}")
        topics.append(item["topic"])
    return texts, topics


def test_embed_and_cluster_5000_insights():
    from research.semantic import clustering
    from research.semantic.embeddings import embed_texts
    from tests.evaluation.text_model.evaluation import purity

    texts, topics = bench_texts(INSIGHTS)
    embed_texts(["warm the model up"])  # loading the model once per process is not timed
    started = time.perf_counter()
    vectors = embed_texts(texts)
    embedded = time.perf_counter()
    labels = clustering.cluster(vectors)
    clustered = time.perf_counter()
    terms = clustering.characteristic_terms(texts, labels)
    named = time.perf_counter()
    _, themed, groups = purity(labels, topics)
    embed_s, cluster_s, terms_s = embedded - started, clustered - embedded, named - clustered
    print(
        f"\nthemes bench: {INSIGHTS} insights, embed {embed_s:.2f} s, cluster {cluster_s:.2f} s, "
        f"terms {terms_s:.2f} s, total {named - started:.2f} s; {groups} themes, "
        f"{themed:.0%} of the insights themed"
    )
    assert groups >= 2 and len(terms) == groups
    assert named - started < 300
