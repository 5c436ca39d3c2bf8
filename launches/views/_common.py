"""What every launches page module shares: URL building and the shared form page."""

from alignment.redirects import safe_next_url
from alignment.routing import workspace_url


class FormPageMixin:
    """The shared form template with a page title."""

    template_name = "launches/form.html"
    page_title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = self.page_title or (
            f"Edit {self.object}" if getattr(self, "object", None) else "New"
        )
        context["cancel_url"] = safe_next_url(self.request, self.cancel_url())
        return context

    def cancel_url(self):
        return workspace_url("launches:index", self.workspace)
