"""KPI values in templates, through the one formatter (metrics.kpis):

    {% load kpi_format %}
    {% kpi "conversion_rate" c.conversion_rate %}   -> 1.18%
    {% kpi "spend" c.spend %}                       -> $1,234 (the workspace's currency)
    {% money campaign.budget %}                     -> $12,000.00 (an amount that is no KPI)

The currency is the context's `currency`, else its `workspace`'s.
"""

from django import template

from metrics import kpis

register = template.Library()


def _currency(context) -> str:
    currency = context.get("currency")
    if currency:
        return currency
    workspace = context.get("workspace")
    return getattr(workspace, "currency", "") or kpis.DEFAULT_CURRENCY


@register.simple_tag(takes_context=True)
def kpi(context, name: str, value) -> str:
    return kpis.format_kpi(name, value, currency=_currency(context))


@register.simple_tag(takes_context=True)
def money(context, value) -> str:
    """An amount in the workspace's currency (a campaign's budget): format_money's text."""
    return kpis.format_money(value, _currency(context))


@register.simple_tag
def kpi_change(name: str, current, previous):
    """The change as the KPI reads it (a metrics.kpis.Change: .text, .good, .sign), or None."""
    return kpis.kpi_change(name, current, previous)
