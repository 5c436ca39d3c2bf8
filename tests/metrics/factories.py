import factory
from django.utils import timezone

from launches.models import Campaign
from metrics.models import ColumnMapping
from metrics.models import Diagnosis
from metrics.models import ImportJob
from metrics.models import ImportKind
from tests.factories import ScopedFactory


class ImportJobFactory(ScopedFactory):
    class Meta:
        model = ImportJob

    kind = ImportKind.CAMPAIGN
    checksum = factory.Sequence(lambda n: f"{n:064x}")
    original_name = "campaign.csv"
    status = ImportJob.Status.SUCCEEDED


class ColumnMappingFactory(ScopedFactory):
    class Meta:
        model = ColumnMapping

    name = factory.Sequence(lambda n: f"Mapping {n}")
    kind = ImportKind.CAMPAIGN
    columns = {"Day": "date", "Campaign": "campaign", "Cost": "spend"}


class DiagnosisFactory(ScopedFactory):
    """A live diagnosis about a campaign of the same workspace."""

    class Meta:
        model = Diagnosis

    rule = "negative_roi"
    severity = "medium"
    team = "marketing"
    informed_team = "product"
    subject_type = "campaign"
    subject_id = factory.LazyAttribute(
        lambda d: (
            Campaign.objects.create(
                workspace=d.workspace, name=f"Diagnosed {Campaign.objects.count() + 1}"
            ).pk
        )
    )
    subject_label = "A campaign"
    message = "Spends more than it earns."
    next_step = "Cut the worst ad sets."
    level = 0.3
    detected_at = factory.LazyFunction(timezone.now)
