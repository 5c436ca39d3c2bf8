"""KPI values in templates, through the one formatter (metrics.kpis):

    {% load kpi_format %}
    {% kpi "conversion_rate" c.conversion_rate %}   -> 1.18%
    {% kpi "spend" c.spend %}                       -> $1,234 (the workspace's currency)

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


@register.simple_tag
def kpi_change(name: str, current, previous):
    """The change as the KPI reads it (a metrics.kpis.Change: .text, .good, .sign), or None."""
    return kpis.kpi_change(name, current, previous)
