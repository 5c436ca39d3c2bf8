"""Launch health: readiness (done against due) per team and overall, risk, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from alignment.models import Workspace
from launches.models import (
    Launch,
    LaunchTask,
    MilestoneKind,
    Team,
)
from launches.selectors.lists import launch_list

# --- Launch health: readiness and risk ---------------------------------------------------

OPEN_TASK_STATUSES = [s for s in LaunchTask.Status.values if s != LaunchTask.Status.DONE]


@dataclass
class TeamReadiness:
    team: str
    done: int = 0
    due: int = 0
    done_due: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        """Done against due: 100 when nothing is due yet."""
        return round(100 * self.done_due / self.due) if self.due else 100

    @property
    def label(self) -> str:
        return Team(self.team).label

    def as_dict(self) -> dict:
        return {
            "team": self.team,
            "readiness": self.percent,
            "done": self.done,
            "due": self.due,
            "done_of_due": self.done_due,
            "total": self.total,
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


def launch_health(launch: Launch, *, today: date | None = None) -> LaunchHealth:
    """Readiness per team and overall, at-risk reasons and warnings, from prefetched rows.

    Readiness is done against due: of the tasks and milestones due by `today`, the share
    that is done. A planning or ready launch is at risk when a task or milestone is
    overdue, or when a blocked task leads to a milestone that is not done.
    """
    today = today or timezone.localdate()
    tasks = list(launch.tasks.all())
    milestones = list(launch.milestones.all())
    teams = {team: TeamReadiness(team) for team in Team.values}
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

    reasons: list[str] = []
    if launch.status in (Launch.Status.PLANNING, Launch.Status.READY):
        for milestone in milestones:
            if not milestone.done and milestone.due_date < today:
                reasons.append(
                    f"Milestone “{milestone.label}” was due on {milestone.due_date:%b %-d}."
                )
        for task in tasks:
            if task.status != LaunchTask.Status.DONE and task.due_date < today:
                reasons.append(
                    f"Task “{task.title}” ({task.get_team_display()}) was due on "
                    f"{task.due_date:%b %-d}."
                )
            if (
                task.status == LaunchTask.Status.BLOCKED
                and task.milestone_id
                and not task.milestone.done
            ):
                reasons.append(
                    f"Task “{task.title}” is blocked and holds up milestone "
                    f"“{task.milestone.label}”."
                )

    warnings: list[str] = []
    for milestone in milestones:
        if milestone.kind in MilestoneKind.pre_launch() and milestone.due_date > launch.launch_date:
            warnings.append(
                f"Milestone “{milestone.label}” is due after the launch date "
                f"({milestone.due_date:%b %-d})."
            )
    for feature in launch.features.all():
        if not any(release.date <= launch.launch_date for release in feature.releases.all()):
            warnings.append(
                f"Feature “{feature.name}” is in no release on or before the launch date."
            )

    return LaunchHealth(
        readiness=overall.percent,
        by_team=[teams[team] for team in Team.values],
        at_risk=bool(reasons),
        risk_reasons=reasons,
        warnings=warnings,
        done=overall.done,
        total=overall.total,
    )


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
        .filter(status__in=[Launch.Status.PLANNING, Launch.Status.READY])
        .order_by("launch_date", "name")
    )
    return launch_with_health(queryset[:limit], today=today)


def launches_at_risk(*, workspace: Workspace, today: date | None = None) -> list[Launch]:
    today = today or timezone.localdate()
    queryset = launch_list(workspace=workspace).filter(
        status__in=[Launch.Status.PLANNING, Launch.Status.READY]
    )
    # Only launches with something overdue or blocked can be at risk: narrow in SQL first.
    queryset = queryset.filter(
        Q(tasks__due_date__lt=today, tasks__status__in=OPEN_TASK_STATUSES)
        | Q(milestones__due_date__lt=today, milestones__done=False)
        | Q(tasks__status=LaunchTask.Status.BLOCKED)
    ).distinct()
    return [launch for launch in launch_with_health(queryset, today=today) if launch.health.at_risk]
