"""Teams: whom work is handed to. A member's team follows from their role in the workspace
(team_for_role); launch work, feedback, diagnoses and digests go to one of the WORK_TEAMS."""

from django.db import models


class Team(models.TextChoices):
    """The team a member works for, derived from their role (see team_for_role)."""

    PRODUCT = "product", "Product"
    MARKETING = "marketing", "Marketing"
    SALES = "sales", "Sales"
    SUPPORT = "support", "Support"
    ADMIN = "admin", "Admin"
    VIEWER = "viewer", "Viewer"


# pm -> product; pmm and marketing -> marketing; every other role is its own team.
ROLE_TEAMS = {"pm": Team.PRODUCT, "pmm": Team.MARKETING, "marketing": Team.MARKETING}

# The teams work is handed to: feedback flows between them, launch tasks and milestones
# belong to one, diagnoses and their digests go to one.
WORK_TEAMS = [Team.PRODUCT, Team.MARKETING, Team.SALES, Team.SUPPORT]
WORK_TEAM_CHOICES = [(team.value, team.label) for team in WORK_TEAMS]


def team_for_role(role: str) -> str:
    return ROLE_TEAMS.get(role, role)
