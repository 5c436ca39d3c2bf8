"""Precision and recall of each rule on synthetic workspaces (see synthetic.py).

Findings are folded as the engine files them (engine.fold): a diagnosis counts as a true
positive when its (rule, subject_type, subject_id) was planted, a false positive otherwise;
a planted problem no diagnosis names is a false negative. A problem that triggers several
rules is planted under the most specific one, so a fold counts as one correct diagnosis
and a rule that failed to fold counts as a false positive. Nothing is kept: every workspace
is built and judged inside a transaction that is rolled back.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction

from alignment.models import Workspace
from metrics.diagnostics import RULES
from metrics.diagnostics.engine import find_all
from metrics.diagnostics.engine import fold
from metrics.diagnostics.engine import make_context
from tests.evaluation.diagnostics.synthetic import build


class _Rollback(Exception):
    pass


def evaluate(*, seeds=(1, 2, 3), healthy_seeds=(101,), today: date | None = None) -> dict:
    """{rule: {tp, fp, fn, precision, recall, false_positives: [...]}}"""
    today = today or date.today()
    counts = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "false_positives": []})
    runs = [(seed, False) for seed in seeds] + [(seed, True) for seed in healthy_seeds]
    for seed, healthy in runs:
        try:
            with transaction.atomic():
                workspace = Workspace.objects.create(
                    name=f"Synthetic {seed}", slug=f"synthetic-eval-{seed}-{int(healthy)}"
                )
                truth = build(workspace, seed=seed, today=today, healthy_only=healthy)
                groups = fold(find_all(make_context(workspace, today)))
                for rule in RULES:
                    findings = [group.finding for group in groups if group.rule == rule]
                    named = {(rule, f.subject_type, f.subject_id) for f in findings}
                    planted = {key for key in truth if key[0] == rule}
                    counts[rule]["tp"] += len(named & planted)
                    counts[rule]["fn"] += len(planted - named)
                    for finding in findings:
                        if (rule, finding.subject_type, finding.subject_id) not in planted:
                            counts[rule]["fp"] += 1
                            counts[rule]["false_positives"].append(
                                f"seed {seed}: {finding.subject_label}: {finding.message}"
                            )
                raise _Rollback
        except _Rollback:
            pass
    report = {}
    for rule in RULES:
        row = counts[rule]
        flagged, planted = row["tp"] + row["fp"], row["tp"] + row["fn"]
        report[rule] = {
            **row,
            "precision": row["tp"] / flagged if flagged else 1.0,
            "recall": row["tp"] / planted if planted else 1.0,
        }
    return report


def overall(report: dict) -> dict:
    """Precision and recall over all rules together: {tp, fp, fn, precision, recall}."""
    tp, fp, fn = (sum(row[key] for row in report.values()) for key in ("tp", "fp", "fn"))
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }
