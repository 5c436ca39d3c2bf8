"""The "Similar insights" panel of an insight's page: `{% similar_insights_panel insight %}`."""

from django import template

from research.semantic import similarity

register = template.Library()


@register.inclusion_tag("research/_similar_panel.html", takes_context=True)
def similar_insights_panel(context, insight, limit: int = similarity.DEFAULT_LIMIT):
    found = similarity.similar_insights(workspace=insight.workspace, insight=insight, limit=limit)
    rows = [
        {
            "insight": other,
            "percent": round(score * 100),
            "duplicate": similarity.is_duplicate(score),
            # Already linked as the same evidence (either way round).
            "linked": other.pk == insight.duplicate_of_id or other.duplicate_of_id == insight.pk,
        }
        for other, score in found
    ]
    membership = context.get("membership")
    return {
        "insight": insight,
        "rows": rows,
        "workspace": insight.workspace,
        "can_write": bool(membership and membership.can_write),
        "csrf_token": context.get("csrf_token"),
    }
