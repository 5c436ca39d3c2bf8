from django.core.management.base import BaseCommand

from metrics.diagnostics.evaluation import evaluate, overall

RECALL_TARGET, PRECISION_TARGET = 1.0, 0.9


class Command(BaseCommand):
    help = (
        "Build synthetic workspaces with planted problems and healthy look-alikes, run the "
        "diagnostic rules and print precision and recall per rule (nothing is kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seeds", type=int, default=5, help="Workspaces with plants.")
        parser.add_argument("--healthy", type=int, default=2, help="Healthy-only workspaces.")
        parser.add_argument("--verbose-fp", action="store_true", help="List false positives.")

    def handle(self, *args, seeds, healthy, verbose_fp, **options):
        report = evaluate(seeds=range(1, seeds + 1), healthy_seeds=range(1001, 1001 + healthy))
        self.stdout.write(f"{'rule':<32}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}")
        failed = False
        for rule, row in report.items():
            ok = row["recall"] >= RECALL_TARGET and row["precision"] >= PRECISION_TARGET
            failed |= not ok
            self.stdout.write(
                f"{rule:<32}{row['tp']:>5}{row['fp']:>5}{row['fn']:>5}"
                f"{row['precision']:>11.2f}{row['recall']:>8.2f}{'' if ok else '  (below target)'}"
            )
            if verbose_fp:
                for line in row["false_positives"]:
                    self.stdout.write(f"    FP {line}")
        total = overall(report)
        self.stdout.write(
            f"{'all rules':<32}{total['tp']:>5}{total['fp']:>5}{total['fn']:>5}"
            f"{total['precision']:>11.2f}{total['recall']:>8.2f}"
        )
        style = self.style.ERROR if failed else self.style.SUCCESS
        self.stdout.write(
            style(
                f"Targets: recall {RECALL_TARGET}, precision >= {PRECISION_TARGET}: "
                f"{'missed' if failed else 'met'}."
            )
        )
