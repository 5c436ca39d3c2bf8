"""Reads of the metrics app's lists: import jobs, column mappings, diagnoses, and the
diagnostics settings. Filters are the FilterSets of metrics.filters, applied here.
"""

from __future__ import annotations

from django.db.models import QuerySet

from metrics.filters import ImportJobFilterSet
from metrics.models import ColumnMapping
from metrics.models import Diagnosis
from metrics.models import DiagnosticSettings
from metrics.models import ImportJob


def import_job_list(*, workspace, filters=None) -> QuerySet[ImportJob]:
    queryset = ImportJob.objects.in_workspace(workspace).select_related("workspace", "mapping")
    return ImportJobFilterSet.apply(filters, queryset, workspace=workspace)


def columnmapping_list(*, workspace, kind: str | None = None) -> QuerySet[ColumnMapping]:
    queryset = ColumnMapping.objects.in_workspace(workspace)
    return queryset.filter(kind=kind) if kind else queryset


def diagnosis_list(*, workspace, filters=None) -> QuerySet[Diagnosis]:
    """Diagnoses, the live ones first, then by severity and newest."""
    from django.db.models import Case
    from django.db.models import IntegerField
    from django.db.models import Value
    from django.db.models import When

    from metrics.filters import DiagnosisFilterSet

    queryset = (
        Diagnosis.objects.in_workspace(workspace)
        .select_related("workspace", "state_changed_by")
        .annotate(
            live_rank=Case(
                When(state="open", then=Value(0)),
                When(state="acknowledged", then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            severity_rank=Case(
                *[When(severity=k, then=Value(v)) for k, v in Diagnosis.SEVERITY_ORDER.items()],
                output_field=IntegerField(),
            ),
        )
        .order_by("live_rank", "severity_rank", "-detected_at", "-id")
    )
    return DiagnosisFilterSet.apply(filters, queryset, workspace=workspace)


def diagnosis_folded_into(*, workspace, diagnosis: Diagnosis) -> Diagnosis | None:
    """The diagnosis a folded one went to (engine: `evidence.folded_into`), if still there."""
    host = (diagnosis.evidence or {}).get("folded_into")
    return diagnosis_list(workspace=workspace).filter(pk=host).first() if host else None


def diagnoses_for_subject(workspace, subject_type: str, subject_id: int) -> list[Diagnosis]:
    """The live (open or acknowledged) diagnoses about one campaign, feature or launch."""
    return list(
        diagnosis_list(workspace=workspace).filter(
            subject_type=subject_type, subject_id=subject_id, state__in=Diagnosis.LIVE
        )
    )


def diagnostic_settings_get(*, workspace) -> DiagnosticSettings:
    from metrics.diagnostics.engine import settings_for

    return settings_for(workspace)
