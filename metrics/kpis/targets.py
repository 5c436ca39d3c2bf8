"""Objective targets, measured and judged: what the core asks of the KPI engine.

Objectives live in alignment, which imports no other app; their numbers come from here.
metrics registers this module with alignment.measures when it starts (metrics/apps.py),
and the objective pages, forms, services and API reach it through that registry. The
dashboard tiles and the kpi_off_target diagnosis call it directly. A target's value is its
KPI over the objective's period so far, in its scope (the whole workspace, a product, a
feature, a campaign or a channel), judged by judging.judge.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from alignment.messaging.models import ObjectiveTarget
from alignment.models import Feature
from alignment.models import Product
from launches.models import Campaign
from metrics.kpis.definitions import KPIS
from metrics.kpis.display import DEFAULT_CURRENCY
from metrics.kpis.display import format_kpi
from metrics.kpis.display import format_target
from metrics.kpis.display import input_unit
from metrics.kpis.display import target_from_input
from metrics.kpis.engine import Scope
from metrics.kpis.engine import kpi_measure
from metrics.kpis.engine import validate_scope
from metrics.kpis.judging import Verdict
from metrics.kpis.judging import judge

__all__ = [
    "default_direction",
    "format_target_of",
    "input_unit",
    "scope_choices",
    "target_from_input",
    "target_progress",
    "target_value",
    "target_verdict",
    "validate_target",
]

SCOPE_MODELS = {
    ObjectiveTarget.Scope.PRODUCT: Product,
    ObjectiveTarget.Scope.FEATURE: Feature,
    ObjectiveTarget.Scope.CAMPAIGN: Campaign,
}


def default_direction(kpi: str) -> str:
    """The way the KPI gets better: a new target's direction unless one is given."""
    return KPIS[kpi].direction


def _currency(target) -> str:
    return getattr(target.workspace, "currency", "") or DEFAULT_CURRENCY


def target_scope(target: ObjectiveTarget) -> Scope | None:
    """The engine's Scope of the target; None when its product, feature or campaign is gone
    (or belongs to another workspace)."""
    model = SCOPE_MODELS.get(target.scope)
    if model is not None:
        row = model.objects.in_workspace(target.workspace_id).filter(pk=target.scope_id).first()
        return None if row is None else Scope(**{target.scope: row})
    if target.scope == ObjectiveTarget.Scope.CHANNEL:
        return Scope(channel=target.scope_value)
    return Scope()  # the whole workspace


def _period(target: ObjectiveTarget, today: date) -> tuple[date, int, int] | None:
    """(end of the period so far, days gone, days in the period); None before it starts."""
    objective = target.objective
    if today < objective.period_start:
        return None
    end = min(objective.period_end, today)
    period_days = (objective.period_end - objective.period_start).days + 1
    return end, (end - objective.period_start).days + 1, period_days


def target_verdict(target: ObjectiveTarget, *, today: date | None = None) -> Verdict:
    """The target's KPI over the objective's period so far, in its scope, judged."""
    today = today or timezone.localdate()
    period = _period(target, today)
    scope = target_scope(target)
    value = sample = elapsed = days = None
    if period is not None and scope is not None:
        end, elapsed, days = period
        try:
            value, sample = kpi_measure(
                workspace=target.workspace,
                kpi=target.kpi,
                start=target.objective.period_start,
                end=end,
                scope=scope,
            )
        except ValidationError:
            value = sample = None  # a KPI the scope cannot have (refused on new targets)
    return judge(
        target.kpi,
        target=target.target,
        direction=target.direction,
        value=value,
        sample=sample,
        elapsed_days=elapsed,
        period_days=days,
    )


def target_value(target: ObjectiveTarget, *, today: date | None = None):
    return target_verdict(target, today=today).value


def format_target_of(target: ObjectiveTarget) -> str:
    """ "≥ 3.00%": the target as it reads, in the workspace's currency for money."""
    return format_target(target.kpi, target.target, target.direction, currency=_currency(target))


def target_progress(target: ObjectiveTarget, *, today: date | None = None) -> dict:
    """The verdict's machine values ({value, state, label, due, sample}, what the API
    returns) and, for pages, the same as they read."""
    verdict = target_verdict(target, today=today)
    currency = _currency(target)
    return {
        **verdict.as_dict(),
        "value_display": format_kpi(target.kpi, verdict.value, currency=currency),
        "target_display": format_target_of(target),
        "due_display": format_kpi(target.kpi, verdict.due, currency=currency),
        "prorated": verdict.due is not None and verdict.due != verdict.target,
        "detail": verdict.detail(currency=currency),
        "verdict": verdict,
    }


# --- Writing a target: what its scope may be ----------------------------------------------


def scope_choices(workspace) -> list:
    """Grouped choices for a target's scope, by name: the whole workspace, its products,
    features and campaigns, and the channels seen in its data ("feature:12", "channel:email")."""
    from metrics.selectors import channel_names

    features = Feature.objects.in_workspace(workspace).select_related("product")
    groups = [
        (
            "Products",
            [(f"product:{p.pk}", p.name) for p in Product.objects.in_workspace(workspace)],
        ),
        ("Features", [(f"feature:{f.pk}", str(f)) for f in features]),
        (
            "Campaigns",
            [(f"campaign:{c.pk}", c.name) for c in Campaign.objects.in_workspace(workspace)],
        ),
        ("Channels", [(f"channel:{name}", name) for name in channel_names(workspace=workspace)]),
    ]
    return [("workspace", "The whole workspace"), *[group for group in groups if group[1]]]


def validate_target(target: ObjectiveTarget) -> None:
    """Refuse a target the engine cannot measure: a channel never seen in the workspace's
    data, or a KPI its scope cannot have (adoption needs a feature; NPS and CSAT are
    workspace-wide). Raises ValidationError naming the target's field."""
    from metrics.selectors import channel_names

    label = KPIS[target.kpi].label
    if target.scope == ObjectiveTarget.Scope.CHANNEL:
        known = channel_names(workspace=target.workspace)
        match = {name.lower(): name for name in known}.get(target.scope_value.strip().lower())
        if match is None:
            seen = ", ".join(known[:12]) if known else "none yet: import campaign data first"
            raise ValidationError(
                {
                    "scope_value": [
                        f"Unknown channel “{target.scope_value}”. Channels seen in this "
                        f"workspace's data: {seen}."
                    ]
                }
            )
        target.scope_value = match
    scope = target_scope(target)
    if scope is None:
        return  # the service says which product, feature or campaign is missing
    try:
        validate_scope(target.kpi, scope)
    except ValidationError:
        if target.kpi == "adoption":
            reason = "adoption is measured for one feature: choose a feature as the scope."
        elif KPIS[target.kpi].source == "survey":
            reason = f"{label} is measured for the whole workspace only."
        else:
            reason = f"{label} is a usage KPI: scope it to the workspace, a product or a feature."
        raise ValidationError({"scope": [reason]}) from None
