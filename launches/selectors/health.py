"""Launch health: readiness, schedule status and at-risk reasons, per team and overall.

One computation, `launch_health`, serves every place that shows them: the launch page,
the launch list, the launches home, the calendar, the dashboard (and its CSV), the API
and the launch_at_risk diagnostic. They cannot disagree because none computes its own.

- Readiness is the share of all the launch's items (tasks and milestones) that are done.
- The schedule status says what is late: "on schedule", or "N overdue" (an item not done
  whose due date has passed).
- A planning or ready launch is at risk for stated reasons: each overdue item, each
  blocked task, and a launch date within LAUNCH_CLOSE_DAYS with readiness under
  LOW_READINESS.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from alignment.models import Workspace
from alignment.teams import WORK_TEAMS
from alignment.teams import Team
from launches.models import Launch
from launches.models import LaunchTask
from launches.models import MilestoneKind
from launches.selectors.lists import launch_list

# --- Launch health: readiness, schedule and risk ---------------------------------------

OPEN_TASK_STATUSES = [s for s in LaunchTask.Status.values if s != LaunchTask.Status.DONE]
ACTIVE_STATUSES = (Launch.Status.PLANNING, Launch.Status.READY)
LAUNCH_CLOSE_DAYS = 3  # a launch this close (or past its date) ...
LOW_READINESS = 50  # ... with less than this share of its items done is at risk


def percent_done(done: int, total: int) -> int:
    """Rounded down, so 100 means everything is done; 0 when there is nothing."""
    return 100 * done // total if total else 0


def schedule_label(overdue: int) -> str:
    return f"{overdue} overdue" if overdue else "on schedule"


@dataclass
class TeamReadiness:
    team: str
    done: int = 0
    due: int = 0
    done_due: int = 0
    total: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int:
        """The share of all the team's items that are done."""
        return percent_done(self.done, self.total)

    @property
    def schedule(self) -> str:
        return schedule_label(self.overdue)

    @property
    def label(self) -> str:
        return Team(self.team).label

    def as_dict(self) -> dict:
        return {
            "team": self.team,
            "readiness": self.percent,
            "done": self.done,
            "total": self.total,
            "due": self.due,
            "done_of_due": self.done_due,
            "overdue": self.overdue,
            "schedule": self.schedule,
        }


@dataclass
class LaunchHealth:
    readiness: int
    by_team: list[TeamReadiness]
    at_risk: bool
    risk_reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    done: int = 0
    total: int = 0
    overdue: int = 0
    blocked: int = 0

    @property
    def schedule(self) -> str:
        """ "on schedule" or "N overdue": the same count as the overdue risk reasons."""
        return schedule_label(self.overdue)


def launch_health(launch: Launch, *, today: date | None = None) -> LaunchHealth:
    """Readiness, schedule status, at-risk reasons and warnings, from prefetched rows."""
    today = today or timezone.localdate()
    tasks = list(launch.tasks.all())
    milestones = list(launch.milestones.all())
    teams = {team: TeamReadiness(team) for team in WORK_TEAMS}
    overall = TeamReadiness("overall")
    items = [(task.team, task.status == LaunchTask.Status.DONE, task.due_date) for task in tasks]
    items += [(m.team, m.done, m.due_date) for m in milestones]
    for team, done, due_date in items:
        for bucket in (teams[team], overall):
            bucket.total += 1
            bucket.done += done
            if due_date <= today:
                bucket.due += 1
                bucket.done_due += done
            if not done and due_date < today:
                bucket.overdue += 1

    overdue: list[str] = []
    for milestone in milestones:
        if not milestone.done and milestone.due_date < today:
            overdue.append(f"Milestone “{milestone.label}” was due on {milestone.due_date:%b %-d}.")
    for task in tasks:
        if task.status != LaunchTask.Status.DONE and task.due_date < today:
            overdue.append(
                f"Task “{task.title}” ({task.get_team_display()}) was due on "
                f"{task.due_date:%b %-d}."
            )
    blocked: list[str] = []
    for task in tasks:
        if task.status != LaunchTask.Status.BLOCKED:
            continue
        if task.milestone_id and not task.milestone.done:
            blocked.append(
                f"Task “{task.title}” is blocked and holds up milestone “{task.milestone.label}”."
            )
        else:
            blocked.append(f"Task “{task.title}” ({task.get_team_display()}) is blocked.")

    readiness = overall.percent
    reasons: list[str] = []
    if launch.status in ACTIVE_STATUSES:
        reasons = overdue + blocked
        days_left = (launch.launch_date - today).days
        if days_left <= LAUNCH_CLOSE_DAYS and readiness < LOW_READINESS:
            reasons.append(_close_date_reason(launch, days_left, readiness, overall.total))

    return LaunchHealth(
        readiness=readiness,
        by_team=[teams[team] for team in WORK_TEAMS],
        at_risk=bool(reasons),
        risk_reasons=reasons,
        warnings=_warnings(launch, tasks, milestones),
        done=overall.done,
        total=overall.total,
        overdue=overall.overdue,
        blocked=len(blocked),
    )


def _close_date_reason(launch: Launch, days_left: int, readiness: int, total: int) -> str:
    what = f"{readiness}% of its items done" if total else "no tasks or milestones planned"
    if days_left > 0:
        return f"It launches in {days_left} day{'s' if days_left != 1 else ''} with {what}."
    if days_left == 0:
        return f"It launches today with {what}."
    return f"Its launch date ({launch.launch_date:%b %-d}) has passed with {what}."


def _warnings(launch: Launch, tasks, milestones) -> list[str]:
    warnings: list[str] = []
    for milestone in milestones:
        if milestone.kind in MilestoneKind.pre_launch() and milestone.due_date > launch.launch_date:
            warnings.append(
                f"Milestone “{milestone.label}” is due after the launch date "
                f"({milestone.due_date:%b %-d})."
            )
    for task in tasks:
        if task.status == LaunchTask.Status.DONE:
            continue
        for prerequisite in task.depends_on.all():
            if prerequisite.due_date > task.due_date:
                warnings.append(
                    f"Task “{task.title}” is due on {task.due_date:%b %-d}, before "
                    f"“{prerequisite.title}” ({prerequisite.due_date:%b %-d}) that it "
                    "depends on."
                )
    for feature in launch.features.all():
        if not any(release.date <= launch.launch_date for release in feature.releases.all()):
            warnings.append(
                f"Feature “{feature.name}” is in no release on or before the launch date."
            )
    return warnings


def launch_with_health(launches, *, today: date | None = None) -> list[Launch]:
    """Attach `.health` to each launch (prefetched by launch_list)."""
    launches = list(launches)
    for launch in launches:
        launch.health = launch_health(launch, today=today)
    return launches


def launches_upcoming(*, workspace: Workspace, today: date | None = None, limit: int = 10):
    today = today or timezone.localdate()
    queryset = (
        launch_list(workspace=workspace)
        .filter(status__in=ACTIVE_STATUSES)
        .order_by("launch_date", "name")
    )
    return launch_with_health(queryset[:limit], today=today)


def launches_at_risk(*, workspace: Workspace, today: date | None = None) -> list[Launch]:
    today = today or timezone.localdate()
    queryset = launch_list(workspace=workspace).filter(status__in=ACTIVE_STATUSES)
    # Only these launches can be at risk (see launch_health): narrow in SQL first, then
    # keep the ones launch_health finds at risk.
    queryset = queryset.filter(
        Q(tasks__due_date__lt=today, tasks__status__in=OPEN_TASK_STATUSES)
        | Q(milestones__due_date__lt=today, milestones__done=False)
        | Q(tasks__status=LaunchTask.Status.BLOCKED)
        | Q(launch_date__lte=today + timedelta(days=LAUNCH_CLOSE_DAYS))
    ).distinct()
    return [launch for launch in launch_with_health(queryset, today=today) if launch.health.at_risk]


# --- Dependencies: what a task waits for ------------------------------------------------


def task_blockers(task: LaunchTask) -> list[LaunchTask]:
    """The tasks this one depends on that are not done (from prefetched `depends_on`)."""
    return sorted(
        (other for other in task.depends_on.all() if other.status != LaunchTask.Status.DONE),
        key=lambda other: (other.due_date, other.pk),
    )


def blocked_by_message(blockers) -> str:
    """“Blocked by “Write messaging” (to do).”: the words of the page, the form and the API."""
    names = ", ".join(
        f"“{other.title}” ({other.get_status_display().lower()})" for other in blockers
    )
    return f"Blocked by {names}."


def tasks_with_blockers(tasks) -> list[LaunchTask]:
    """Attach `.blocked_by` (the prerequisites not done) and `.blocked_reason` (the same
    in words, or "") to each task, for the task rows."""
    tasks = list(tasks)
    for task in tasks:
        task.blocked_by = [] if task.status == LaunchTask.Status.DONE else task_blockers(task)
        task.blocked_reason = blocked_by_message(task.blocked_by) if task.blocked_by else ""
    return tasks
