import factory

from metrics.models import ColumnMapping, ImportJob, ImportKind
from tests.factories import WorkspaceFactory


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    workspace = factory.SubFactory(WorkspaceFactory)
    kind = ImportKind.CAMPAIGN
    checksum = factory.Sequence(lambda n: f"{n:064x}")
    original_name = "campaign.csv"
    status = ImportJob.Status.SUCCEEDED


class ColumnMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ColumnMapping

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Mapping {n}")
    kind = ImportKind.CAMPAIGN
    columns = {"Day": "date", "Campaign": "campaign", "Cost": "spend"}
