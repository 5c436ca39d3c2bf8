"""Messaging panels other pages embed with one line: claims and documents on a feature's
page (flagged while the feature is not released) and the user's open action items."""

from django import template

from alignment.messaging import selectors

register = template.Library()


@register.inclusion_tag("alignment/messaging/_feature_panel.html", takes_context=True)
def feature_messaging(context, feature):
    workspace = context["workspace"]
    return {
        "workspace": workspace,
        "membership": context.get("membership"),
        "feature": feature,
        "claims": selectors.claim_list(workspace=workspace, filters={"feature": feature.pk}),
        "documents": selectors.document_list(workspace=workspace, filters={"feature": feature.pk}),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("alignment/messaging/_my_action_items.html", takes_context=True)
def my_action_items(context):
    workspace, request = context["workspace"], context["request"]
    return {
        "workspace": workspace,
        "membership": context.get("membership"),
        "items": selectors.open_action_items(workspace=workspace, user=request.user),
        "csrf_token": context.get("csrf_token"),
        "next_page": "workspace",
    }
