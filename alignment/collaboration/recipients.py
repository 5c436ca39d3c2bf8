"""Who works where: the member ids an event goes to."""

from __future__ import annotations

from collections.abc import Iterable

from alignment.models import Membership
from alignment.teams import ROLE_TEAMS


def _roles_of(team: str) -> list[str]:
    roles = [role for role, its_team in ROLE_TEAMS.items() if its_team == team]
    return roles or [team]  # a role outside ROLE_TEAMS is its own team


def team_member_ids(workspace_id: int, team: str) -> list[int]:
    """The ids of the workspace's members whose role puts them in `team`."""
    return list(
        Membership.objects.filter(workspace_id=workspace_id, role__in=_roles_of(team))
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def member_ids(workspace_id: int, user_ids: Iterable[int | None]) -> list[int]:
    """The given users who are (still) members of the workspace."""
    wanted = {pk for pk in user_ids if pk}
    if not wanted:
        return []
    return list(
        Membership.objects.filter(workspace_id=workspace_id, user_id__in=wanted)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
