"""Every date a person enters is refused outside 1900-2199 with the field named, whatever
writes it (form, API, service, admin): Python's dates end at the years 1 and 9999, and the
calendar, readiness and period arithmetic move a stored date by days or months, so a date
near either end would fail every page that shows it. Generated over every such field."""

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from alignment.dates import EARLIEST
from alignment.dates import LATEST
from alignment.tenancy import WorkspaceScopedModel

# Dates the system writes itself (import ranges, fact days read and checked by the import
# contract, snapshot and digest days, background-run ranges).
COMPUTED = {
    "launches.OverdueDigest.sent_on",
    "metrics.ImportJob.date_from",
    "metrics.ImportJob.date_to",
    "metrics.BackgroundRun.date_from",
    "metrics.BackgroundRun.date_to",
    "metrics.CampaignMetric.date",
    "metrics.UsageMetric.date",
    "metrics.DashboardSnapshot.as_of",
    "metrics.DiagnosticDigest.sent_on",
}
ENTERED = sorted(
    f"{model._meta.label}.{field.name}"
    for model in apps.get_models()
    if issubclass(model, WorkspaceScopedModel)
    for field in model._meta.local_fields
    if type(field) is models.DateField and not (field.auto_now or field.auto_now_add)
    and f"{model._meta.label}.{field.name}" not in COMPUTED
)  # fmt: skip


def _field(label: str):
    app_model, name = label.rsplit(".", 1)
    return apps.get_model(app_model)._meta.get_field(name)


@pytest.mark.parametrize("label", ENTERED)
@pytest.mark.parametrize("value", [date(1, 1, 1), date(1899, 12, 31), date(2200, 1, 1)])
def test_an_entered_date_outside_the_span_is_refused(label, value):
    field = _field(label)
    with pytest.raises(ValidationError) as refused:
        field.run_validators(value)
    assert "Enter a date on or" in refused.value.messages[0]
    field.run_validators(EARLIEST)
    field.run_validators(LATEST)


def test_the_generated_list_holds_the_dates_people_enter():
    assert {"launches.Launch.launch_date", "research.Study.started_on"} <= set(ENTERED)
    assert len(ENTERED) >= 12


@pytest.mark.django_db
def test_the_api_names_the_field(client):
    from rest_framework.test import APIClient

    from alignment.models import Membership
    from alignment.models import Role
    from tests.factories import UserFactory
    from tests.factories import WorkspaceFactory

    workspace = WorkspaceFactory()
    user = UserFactory()
    Membership.objects.create(user=user, workspace=workspace, role=Role.ADMIN)
    api = APIClient()
    api.force_authenticate(user)
    answer = api.post(
        f"/api/v1/workspaces/{workspace.slug}/studies/",
        {"title": "Churn interviews", "started_on": "0001-01-01"},
        format="json",
    )
    assert answer.status_code == 400, answer.content
    assert "started_on" in answer.json()
