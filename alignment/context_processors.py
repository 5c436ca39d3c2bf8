from alignment.selectors import workspace_creation_allowed
from alignment.tenancy import memberships_of_request


def workspace_nav(request):
    """The workspace switcher's entries (memberships, with their workspace), read only when
    a page shows them, for every page of a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_memberships": lambda: memberships_of_request(request),
        "can_create_workspace": lambda: workspace_creation_allowed(user=user),
    }
