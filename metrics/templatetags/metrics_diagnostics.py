from django import template
from django.utils.html import json_script

from metrics.kpis import DEFAULT_CURRENCY
from metrics.kpis import money_format
from metrics.kpis.definitions import MONEY
from metrics.selectors import diagnoses_for_subject

register = template.Library()


@register.simple_tag(takes_context=True)
def subject_diagnoses(context, subject_type, subject_id):
    """The live diagnoses of one subject of the page's workspace."""
    workspace = context.get("workspace")
    if workspace is None or not subject_id:
        return []
    return diagnoses_for_subject(workspace, subject_type, subject_id)


@register.simple_tag
def evidence_chart_data(diagnosis):
    """The diagnosis's evidence series as a JSON script element (id "evidence-<pk>") for
    metrics/diagnosis_chart.js: no inline script, as the CSP wants."""
    evidence = diagnosis.evidence or {}
    if not evidence.get("series"):
        return ""
    data = {
        key: evidence.get(key)
        for key in ("kpi", "label", "display", "decimals", "currency", "series", "baseline")
    }
    if data["display"] == MONEY:  # the axis reads money in the currency, as the text does
        data.update(money_format(data["currency"] or DEFAULT_CURRENCY, data["decimals"] or 0))
    return json_script(data, f"evidence-{diagnosis.pk}")
