import django_filters

from alignment.filters import WorkspaceFilterSet
from metrics.diagnostics import RULE_CHOICES
from metrics.models import Diagnosis
from metrics.models import ImportJob

DIAGNOSIS_TEAMS = [
    ("product", "Product"),
    ("marketing", "Marketing"),
    ("sales", "Sales"),
    ("support", "Support"),
]


class ImportJobFilterSet(WorkspaceFilterSet):
    class Meta:
        model = ImportJob
        fields = ["kind", "status", "source"]


class DiagnosisFilterSet(WorkspaceFilterSet):
    rule = django_filters.ChoiceFilter(choices=RULE_CHOICES)
    team = django_filters.ChoiceFilter(choices=DIAGNOSIS_TEAMS)
    id = django_filters.NumberFilter()

    class Meta:
        model = Diagnosis
        fields = ["rule", "team", "severity", "state", "subject_type", "subject_id"]
