"""What every research page module shares: URL building and the delete view that
returns to the model's list."""

from django.urls import reverse

from alignment.mixins import WorkspaceDeleteView


def _research_url(name: str, workspace, **kwargs) -> str:
    return reverse(f"research:{name}", kwargs={"workspace_slug": workspace.slug, **kwargs})


class ResearchDeleteView(WorkspaceDeleteView):
    list_url_name = None

    def get_success_url(self):
        return _research_url(self.list_url_name, self.workspace)
