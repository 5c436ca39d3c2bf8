"""`python -m tests.evaluation.text_model [--set PATH] [--json]` (`make evaluate`): measure
the text model against the TF-IDF baseline on a labelled set of insights (default
tests/research/text_set/insights.json). No database."""

from __future__ import annotations

import argparse
import json
import sys

from tests.evaluation import django_setup
from tests.evaluation.text_model import evaluation


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.evaluation.text_model",
        description=(
            "Precision@3 of similar insights, duplicate precision/recall and cluster purity "
            "of the embedding model, a TF-IDF baseline and their combination on a labelled set."
        ),
    )
    parser.add_argument("--set", default=str(evaluation.DEFAULT_SET), help="JSON file.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    options = parser.parse_args(argv)
    django_setup()
    from research.semantic.similarity import DUPLICATE_THRESHOLD

    try:
        items = evaluation.load_set(options.set)
    except (OSError, ValueError, KeyError) as error:
        sys.exit(f"Cannot read the labelled set: {error}")
    figures = evaluation.evaluate(items, thresholds={evaluation.APP_METHOD: DUPLICATE_THRESHOLD})
    if options.json:
        print(json.dumps([row.as_dict() for row in figures], indent=2))
        return
    topics = len({item["topic"] for item in items})
    pairs = len(evaluation.duplicate_pairs(items))
    print(f"{len(items)} insights, {topics} topics, {pairs} duplicate pairs")
    print(
        f"{'method':<10}{'p@3':>7}{'dup thr':>9}{'dup P':>7}{'dup R':>7}"
        f"{'purity':>8}{'themed':>8}{'groups':>8}{'purity(all)':>13}{'k':>4}"
    )
    for row in figures:
        marker = "  <- used by the app" if row.method == evaluation.APP_METHOD else ""
        print(
            f"{row.method:<10}{row.precision_at_3:>7.3f}{row.duplicate_threshold:>9.2f}"
            f"{row.duplicate_precision:>7.3f}{row.duplicate_recall:>7.3f}"
            f"{row.purity:>8.3f}{row.themed:>8.3f}{row.clusters:>8}"
            f"{row.purity_all:>13.3f}{row.clusters_all:>4}{marker}"
        )


if __name__ == "__main__":
    main()
