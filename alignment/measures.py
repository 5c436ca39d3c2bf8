"""Where objectives get their numbers: the KPI engine, registered here by metrics.

Objectives (their targets, pages, forms and API) live in the core, and the core imports
no other app (STYLE.md, "arrows point one way"). metrics, which computes, judges and
formats every KPI, registers its `metrics.kpis.targets` module here when it starts
(metrics/apps.py); the core calls it through `engine()`. What it offers:

- target_progress(target, today=None) -> {value, state, label, due, sample, value_display,
  target_display, due_display, detail, verdict}
- target_value(target, today=None) -> the machine value, or None
- format_target_of(target) -> "≥ 3.00%"
- validate_target(target) -> raises ValidationError naming the field
- scope_choices(workspace) -> grouped choices by name for a target's scope
- input_unit(kpi, currency=...) and target_from_input(kpi, number): targets typed as read
"""

from __future__ import annotations

from types import ModuleType

from django.core.exceptions import ImproperlyConfigured

_engine: ModuleType | None = None


def register(engine: ModuleType) -> None:
    global _engine
    _engine = engine


def engine() -> ModuleType:
    if _engine is None:
        raise ImproperlyConfigured("No KPI engine registered: is metrics in INSTALLED_APPS?")
    return _engine
