"""What every research page module shares: URL building and the delete view that
returns to the model's list."""

from alignment.mixins import WorkspaceDeleteView
from alignment.routing import workspace_url


class ResearchDeleteView(WorkspaceDeleteView):
    list_url_name = None

    def get_success_url(self):
        return workspace_url(f"research:{self.list_url_name}", self.workspace)
