from alignment.filters import WorkspaceFilterSet
from metrics.models import ImportJob


class ImportJobFilterSet(WorkspaceFilterSet):
    class Meta:
        model = ImportJob
        fields = ["kind", "status", "source"]
