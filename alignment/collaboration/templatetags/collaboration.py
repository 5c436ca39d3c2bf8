"""`{% notification_bell %}`: the bell in the top bar of a workspace's pages."""

from django import template

from alignment.collaboration.selectors import notification_unread_count
from alignment.templatetags.nav_tags import nav_url

register = template.Library()


@register.inclusion_tag("collaboration/notification_bell.html", takes_context=True)
def notification_bell(context):
    """The link to the notifications page with the unread count: one COUNT query on a
    workspace's page, none elsewhere (outside a workspace the tag renders nothing)."""
    workspace = context.get("workspace")
    request = context.get("request")
    user = getattr(request, "user", None)
    if workspace is None or user is None or not user.is_authenticated:
        return {"show": False}
    match = getattr(request, "resolver_match", None)
    return {
        "show": True,
        "url": nav_url("collaboration:notifications", workspace.slug),
        "unread": notification_unread_count(user=user, workspace=workspace),
        "current": bool(match and match.view_name == "collaboration:notifications"),
    }
