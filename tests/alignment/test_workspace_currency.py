"""A workspace's currency: a setting of the API and of the settings page."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from alignment.models import Role, Workspace

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
