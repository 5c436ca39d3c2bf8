"""Time to embed 5,000 insights with the app's text model, on this machine's CPU.

Run as `python -m tests.perf.embed_bench` (EMBED_BENCH_INSIGHTS, default 5000). No database:
the insights are made by recombining the labelled set (tests/research/text_set/insights.json):
the title of one item, the body of another and the body of a third as its evidence quote,
so no two texts are the same. Prints JSON {insights, text_s, embed_s, insights_per_s}:
`text_s` is composing the texts (Markdown stripped), `embed_s` the model itself (its
one-off load excluded, measured apart as `load_s`).
"""

from __future__ import annotations

import json
import os
import time

import django

KEYS = ("insights", "load_s", "text_s", "embed_s", "insights_per_s")


def synthetic_insights(count: int) -> list[tuple[str, str, str]]:
    from tests.evaluation.text_model.evaluation import load_set

    items = load_set()
    n = len(items)
    return [
        (
            items[i % n]["title"],
            f"{items[(i * 7 + 3) % n]['body']}\n\n*{items[(i * 13 + 5) % n]['title']}*",
            items[(i * 31 + 11) % n]["body"],
        )
        for i in range(count)
    ]


def run(count: int) -> dict:
    from research.semantic import model
    from research.semantic.embeddings import compose_text
    from research.semantic.embeddings import embed_texts

    insights = synthetic_insights(count)
    started = time.perf_counter()
    model.embed(["warm up"])
    load_s = time.perf_counter() - started

    started = time.perf_counter()
    texts = [compose_text(*insight) for insight in insights]
    text_s = time.perf_counter() - started

    started = time.perf_counter()
    for start in range(0, len(texts), 256):  # the batch size of insight_embeddings_refresh
        embed_texts(texts[start : start + 256])
    embed_s = time.perf_counter() - started
    return {
        "insights": count,
        "load_s": round(load_s, 3),
        "text_s": round(text_s, 3),
        "embed_s": round(embed_s, 3),
        "insights_per_s": round(count / (text_s + embed_s), 1),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alignment.settings")
    os.environ.setdefault("DEBUG", "true")
    django.setup()
    print(json.dumps(run(int(os.environ.get("EMBED_BENCH_INSIGHTS", "5000")))))


if __name__ == "__main__":
    main()
