"""Measure the text model against the TF-IDF baseline on a labelled set of insights."""

import json

from django.core.management.base import BaseCommand, CommandError

from research.semantic import evaluation
from research.semantic.similarity import DUPLICATE_THRESHOLD


class Command(BaseCommand):
    help = (
        "Precision@3 of similar insights, duplicate precision/recall and cluster purity of "
        "the embedding model, a TF-IDF baseline and their combination on a labelled set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--set", default=str(evaluation.DEFAULT_SET), help="JSON file.")
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")

    def handle(self, *args, **options):
        try:
            items = evaluation.load_set(options["set"])
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"Cannot read the labelled set: {error}") from error
        figures = evaluation.evaluate(
            items, thresholds={evaluation.APP_METHOD: DUPLICATE_THRESHOLD}
        )
        if options["json"]:
            self.stdout.write(json.dumps([row.as_dict() for row in figures], indent=2))
            return
        topics = len({item["topic"] for item in items})
        pairs = len(evaluation.duplicate_pairs(items))
        self.stdout.write(f"{len(items)} insights, {topics} topics, {pairs} duplicate pairs")
        self.stdout.write(
            f"{'method':<10}{'p@3':>7}{'dup thr':>9}{'dup P':>7}{'dup R':>7}"
            f"{'purity':>8}{'themed':>8}{'groups':>8}{'purity(all)':>13}{'k':>4}"
        )
        for row in figures:
            marker = "  <- used by the app" if row.method == evaluation.APP_METHOD else ""
            self.stdout.write(
                f"{row.method:<10}{row.precision_at_3:>7.3f}{row.duplicate_threshold:>9.2f}"
                f"{row.duplicate_precision:>7.3f}{row.duplicate_recall:>7.3f}"
                f"{row.purity:>8.3f}{row.themed:>8.3f}{row.clusters:>8}"
                f"{row.purity_all:>13.3f}{row.clusters_all:>4}{marker}"
            )
