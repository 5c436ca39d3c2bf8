"""A workspace's currency: a setting (API and settings page) every money figure reads in."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from alignment.models import Role
from alignment.models import Workspace
from metrics import services
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import csv_bytes
from tests.metrics.helpers import run_import

pytestmark = pytest.mark.django_db


def test_a_new_workspace_counts_in_usd(workspace):
    assert Workspace.objects.get(pk=workspace.pk).currency == "USD"


def test_the_api_reads_and_admins_change_the_currency(api_client, workspace, member):
    admin = member(Role.ADMIN)
    api_client.force_authenticate(admin)
    url = f"/api/v1/workspaces/{workspace.slug}/"
    assert api_client.get(url).json()["currency"] == "USD"
    response = api_client.patch(url, {"currency": "EUR"}, format="json")
    assert response.status_code == 200 and response.json()["currency"] == "EUR"
    assert api_client.patch(url, {"currency": "XYZ"}, format="json").status_code == 400
    pm = APIClient()
    pm.force_authenticate(member(Role.PM))
    assert pm.patch(url, {"currency": "GBP"}, format="json").status_code == 403
    workspace.refresh_from_db()
    assert workspace.currency == "EUR"


def test_the_settings_page_is_for_admins(client, workspace, member, web):
    url = reverse("workspace_settings", args=[workspace.slug])
    assert web.get(url).status_code == 403  # a PM
    client.force_login(member(Role.ADMIN))
    assert "currency" in client.get(url).content.decode()
    response = client.post(url, {"name": "Acme", "currency": "GBP"})
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.currency == "GBP"


def test_money_reads_in_the_workspace_currency(web, workspace):
    workspace.currency = "EUR"
    workspace.save()
    run_import(
        workspace,
        "campaign",
        csv_bytes(CAMPAIGN_HEADER, "2026-01-05,Spring,email,1234.5,1000,50,40,10,4,300"),
    )
    services.dashboard_recompute(workspace=workspace)
    home = web.get(reverse("workspace_home", args=[workspace.slug]))
    spend = next(t for t in home.context["tiles"] if t["name"] == "spend")
    assert spend["display"] == "€1,235"
    metrics = web.get(reverse("metrics:index", args=[workspace.slug])).content.decode()
    assert "€1,235" in metrics and "€308.62" in metrics  # spend and CPA
    # The series export lives on Metrics (Home's old link is redirected there).
    export = web.get(
        reverse("workspace_home", args=[workspace.slug]), {"export": "series"}, follow=True
    )
    assert export.content.decode().splitlines()[0] == "Day,Spend (EUR),Revenue (EUR)"
