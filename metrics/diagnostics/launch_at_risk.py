"""launch_at_risk: a launch close to its date has overdue milestones or blocked tasks.

Reuses launches' own health (`launches_at_risk`: a planning or ready launch with an
overdue task or milestone, or a blocked task holding up a milestone) and keeps the
launches due within `launch_days_ahead` days (or already past their date). Handed to the
team with the most overdue or blocked items, the other informed.
"""

from __future__ import annotations

from collections import Counter

from launches.models import LaunchTask
from launches.selectors import launches_at_risk
from metrics.diagnostics.base import Context
from metrics.diagnostics.base import Finding
from metrics.diagnostics.base import Rule


class LaunchAtRisk(Rule):
    label = "Launch at risk"
    team = "product"
    informed = "marketing"

    def find(self, context: Context) -> list[Finding]:
        today = context.today
        ahead = context.settings.launch_days_ahead
        findings = []
        for launch in launches_at_risk(workspace=context.workspace, today=today):
            days_left = (launch.launch_date - today).days
            if days_left > ahead:
                continue
            teams = Counter()
            items = []  # (due date, "“title” (team, why)") of the late or blocked items
            for task in launch.tasks.all():
                late = task.status != LaunchTask.Status.DONE and task.due_date < today
                if late or task.status == LaunchTask.Status.BLOCKED:
                    teams[task.team] += 1
                    why = "blocked" if task.status == LaunchTask.Status.BLOCKED else "late"
                    items.append(
                        (
                            task.due_date,
                            f"“{task.title}” ({task.team}, {why}, due {task.due_date:%b %-d})",
                        )
                    )
            for milestone in launch.milestones.all():
                if not milestone.done and milestone.due_date < today:
                    teams[milestone.team] += 1
                    items.append(
                        (
                            milestone.due_date,
                            f"“{milestone.get_kind_display()}” "
                            f"({milestone.team}, due {milestone.due_date:%b %-d})",
                        )
                    )
            first = [text for _, text in sorted(items)[:2]]
            team = teams.most_common(1)[0][0] if teams else "product"
            reasons = launch.health.risk_reasons
            findings.append(
                Finding(
                    subject_type="launch",
                    subject_id=launch.pk,
                    subject_label=launch.name,
                    severity="high" if days_left <= 7 else "medium",
                    level=float(len(reasons)) + max(0, ahead - days_left) / (ahead + 1),
                    team=team,
                    informed="marketing" if team != "marketing" else "product",
                    message=(
                        f"“{launch.name}” launches on {launch.launch_date:%b %-d} "
                        f"({days_left} days) with {len(reasons)} problem"
                        f"{'s' if len(reasons) != 1 else ''}: " + " ".join(reasons[:3])
                    ),
                    next_step=(
                        (
                            f"Start with {' and '.join(first)}: unblock or re-plan them with "
                            "their owners this week"
                            if first
                            else "Re-plan the late work with its owners this week"
                        )
                        + f", or move the launch from {launch.launch_date:%b %-d} and tell "
                        "both teams."
                    ),
                    link=launch.get_absolute_url(),
                    evidence={
                        "launch_date": launch.launch_date.isoformat(),
                        "days_left": days_left,
                        "reasons": reasons,
                        "by_team": dict(teams),
                        "readiness": launch.health.readiness,
                    },
                )
            )
        return findings
