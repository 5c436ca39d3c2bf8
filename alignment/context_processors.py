from alignment.selectors import workspace_list_for_user


def workspace_nav(request):
    """The workspace switcher's entries, for every page of a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_workspaces": workspace_list_for_user(user=user)}
