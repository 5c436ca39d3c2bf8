"""The launch page's Gantt-like timeline."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from alignment.models import Workspace
from alignment.teams import WORK_TEAMS
from launches.models import Launch
from launches.models import LaunchTask
from launches.selectors.lists import launch_list

# --- The launch page's timeline ----------------------------------------------------------


def launch_timeline(launch: Launch, *, today: date | None = None) -> dict:
    """Rows for a Gantt-like chart: positions in percent of the plan's span.

    A task has no start date: its bar starts when its last prerequisite is due (else two
    days before its own due date) and ends on its due date. Milestones are points.
    """
    today = today or timezone.localdate()
    tasks = list(launch.tasks.all())
    milestones = list(launch.milestones.all())
    by_id = {task.pk: task for task in tasks}
    starts = {}
    for task in tasks:
        prerequisites = [by_id[dep.pk].due_date for dep in task.depends_on.all() if dep.pk in by_id]
        start = max(prerequisites) if prerequisites else task.due_date - timedelta(days=2)
        starts[task.pk] = min(start, task.due_date)
    dates = [launch.launch_date, today, *starts.values()]
    dates += [task.due_date for task in tasks] + [m.due_date for m in milestones]
    first, last = min(dates) - timedelta(days=1), max(dates) + timedelta(days=1)
    span = (last - first).days or 1

    def pct(day: date) -> float:
        return round(100 * (day - first).days / span, 2)

    rows = []
    for team in WORK_TEAMS:
        for milestone in (m for m in milestones if m.team == team):
            overdue = not milestone.done and milestone.due_date < today
            rows.append(
                {
                    "kind": "milestone",
                    "object": milestone,
                    "team": team,
                    "left": pct(milestone.due_date),
                    "width": 0,
                    "state": "done" if milestone.done else ("overdue" if overdue else "open"),
                }
            )
        for task in (t for t in tasks if t.team == team):
            done = task.status == LaunchTask.Status.DONE
            overdue = not done and task.due_date < today
            rows.append(
                {
                    "kind": "task",
                    "object": task,
                    "team": team,
                    "left": pct(starts[task.pk]),
                    "width": max(pct(task.due_date) - pct(starts[task.pk]), 0.8),
                    "state": "overdue" if overdue else task.status,
                }
            )
    rows.sort(key=lambda row: (WORK_TEAMS.index(row["team"]), row["left"]))
    months, day = [], first.replace(day=1)
    while day <= last:
        if day >= first:
            months.append({"label": f"{day:%b %-d}", "left": pct(day)})
        day = (day + timedelta(days=32)).replace(day=1)
    return {
        "first": first,
        "last": last,
        "rows": rows,
        "today": pct(today) if first <= today <= last else None,
        "launch": pct(launch.launch_date),
        "ticks": months,
    }


def launch_detail_queryset(*, workspace: Workspace) -> QuerySet[Launch]:
    """What the launch page needs: launch_list's rows plus dependencies and assignees."""
    return launch_list(workspace=workspace, detail=True)
