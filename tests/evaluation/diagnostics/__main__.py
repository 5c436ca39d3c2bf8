"""`python -m tests.evaluation.diagnostics [--seeds N] [--healthy N] [--verbose-fp]`
(`make evaluate`): build synthetic workspaces with planted problems and healthy look-alikes
in the configured database (migrated: `make migrate`), run the diagnostic rules and print
precision and recall per rule. Nothing is kept: every workspace is rolled back."""

from __future__ import annotations

import argparse

from tests.evaluation import django_setup

RECALL_TARGET, PRECISION_TARGET = 1.0, 0.9


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.evaluation.diagnostics",
        description=(
            "Build synthetic workspaces with planted problems and healthy look-alikes, run "
            "the diagnostic rules and print precision and recall per rule (nothing is kept)."
        ),
    )
    parser.add_argument("--seeds", type=int, default=5, help="Workspaces with plants.")
    parser.add_argument("--healthy", type=int, default=2, help="Healthy-only workspaces.")
    parser.add_argument("--verbose-fp", action="store_true", help="List false positives.")
    options = parser.parse_args(argv)
    django_setup()
    from tests.evaluation.diagnostics.evaluation import evaluate
    from tests.evaluation.diagnostics.evaluation import overall

    seeds, healthy = options.seeds, options.healthy
    report = evaluate(seeds=range(1, seeds + 1), healthy_seeds=range(1001, 1001 + healthy))
    print(f"{'rule':<32}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}")
    failed = False
    for rule, row in report.items():
        ok = row["recall"] >= RECALL_TARGET and row["precision"] >= PRECISION_TARGET
        failed |= not ok
        print(
            f"{rule:<32}{row['tp']:>5}{row['fp']:>5}{row['fn']:>5}"
            f"{row['precision']:>11.2f}{row['recall']:>8.2f}{'' if ok else '  (below target)'}"
        )
        if options.verbose_fp:
            for line in row["false_positives"]:
                print(f"    FP {line}")
    total = overall(report)
    print(
        f"{'all rules':<32}{total['tp']:>5}{total['fp']:>5}{total['fn']:>5}"
        f"{total['precision']:>11.2f}{total['recall']:>8.2f}"
    )
    print(
        f"Targets: recall {RECALL_TARGET}, precision >= {PRECISION_TARGET}: "
        f"{'missed' if failed else 'met'}."
    )


if __name__ == "__main__":
    main()
