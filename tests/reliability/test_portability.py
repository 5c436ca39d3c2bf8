"""Workspace export and restore (issue 10, point 6): a restore into a new, empty workspace
reproduces every workspace-scoped model (found through the app registry), its links and
its KPI values exactly."""

import io
import zipfile
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command

from alignment.demo import DEMO_USERS
from alignment.models import Membership, Workspace
from alignment.portability import export_bytes, scoped_models, workspace_restore
from alignment.tenancy import WorkspaceScopedModel
from metrics.kpis import KPIS, kpi_compute
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())
    return Workspace.objects.get(slug="acme")


@pytest.fixture
def admin(demo):
    return get_user_model().objects.get(username=DEMO_USERS[0][0])


def _snapshot(workspace) -> dict:
    counts = {
        model._meta.label: model._default_manager.filter(workspace=workspace).count()
        for model in scoped_models()
    }
    links = {
        f"{model._meta.label}.{field.name}": field.remote_field.through.objects.filter(
            **{f"{field.m2m_field_name()}__workspace": workspace}
        ).count()
        for model in scoped_models()
        for field in model._meta.many_to_many
    }
    kpis = {}
    for name in KPIS:
        try:
            kpis[name] = kpi_compute(
                workspace=workspace, kpi=name, start=date(2000, 1, 1), end=date(2030, 12, 31),
                granularity="month",
            )  # fmt: skip
        except ValidationError:
            kpis[name] = "needs a scope"  # e.g. adoption is per feature
    return {"counts": counts, "links": links, "kpis": kpis}


def test_every_scoped_model_is_exported_parents_first():
    models = scoped_models()
    concrete = {
        model for model in WorkspaceScopedModel.__subclasses__() if not model._meta.abstract
    }
    assert concrete <= set(models)
    for position, model in enumerate(models):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in models:
                assert models.index(field.related_model) <= position, (model, field.name)


def test_restore_reproduces_the_workspace_exactly(demo, admin):
    before = _snapshot(demo)
    assert sum(before["counts"].values()) > 100, "the demo should exercise many models"
    assert any(before["links"].values()), "the demo should have many-to-many links"
    assert any(isinstance(v, dict) and v["value"] is not None for v in before["kpis"].values())

    archive = export_bytes(workspace=demo)
    restored = workspace_restore(actor=admin, archive=io.BytesIO(archive), slug="acme-copy")

    assert restored.pk != demo.pk
    assert _snapshot(restored) == before
    assert _snapshot(demo) == before  # the source is untouched
    roles = dict(Membership.objects.filter(workspace=demo).values_list("user_id", "role"))
    assert dict(Membership.objects.filter(workspace=restored).values_list("user_id", "role")) == (
        roles
    )
    # Foreign keys point inside the new workspace only.
    for model in scoped_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and issubclass(field.related_model, WorkspaceScopedModel):
                ids = model._default_manager.filter(workspace=restored).values_list(
                    field.attname, flat=True
                )
                foreign = field.related_model._default_manager.filter(pk__in=set(ids) - {None})
                assert not foreign.exclude(workspace=restored).exists(), (model, field.name)


def test_export_restore_commands_round_trip(demo, admin, tmp_path):
    path = tmp_path / "acme.zip"
    call_command("export_workspace", "acme", str(path), stdout=io.StringIO())
    with zipfile.ZipFile(path) as archive:
        assert "manifest.json" in archive.namelist()
    call_command(
        "restore_workspace", str(path), "--slug", "acme-2", "--admin", admin.username,
        stdout=io.StringIO(),
    )  # fmt: skip
    assert _snapshot(Workspace.objects.get(slug="acme-2")) == _snapshot(demo)


def test_a_broken_archive_is_refused_and_creates_nothing(admin):
    with pytest.raises(ValidationError) as error:
        workspace_restore(actor=admin, archive=io.BytesIO(b"not a zip"), slug="broken")
    assert "archive" in error.value.message_dict
    assert not Workspace.objects.filter(slug="broken").exists()


def test_download_is_for_admins_only(demo, admin, client):
    api = f"/api/v1/workspaces/{demo.slug}/export/"
    page = f"/w/{demo.slug}/export.zip"
    client.force_login(admin)
    for url in (api, page):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/zip"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert zipfile.ZipFile(io.BytesIO(body)).read("manifest.json")
    viewer = get_user_model().objects.get(username=DEMO_USERS[-1][0])
    client.force_login(viewer)
    assert client.get(api).status_code == 403
    assert client.get(page).status_code == 403
    client.force_login(UserFactory())  # not a member: the workspace does not exist
    assert client.get(api).status_code == 404
    assert client.get(page).status_code == 404
