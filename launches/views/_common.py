"""What every launches page module shares: URL building and the shared form page."""

from alignment.redirects import safe_next_url
from alignment.routing import workspace_url


class FormPageMixin:
    """The shared form page (templates/form_page.html), with a Cancel link back."""

    template_name = "form_page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = safe_next_url(self.request, self.cancel_url())
        return context

    def cancel_url(self):
        return workspace_url("launches:index", self.workspace)
