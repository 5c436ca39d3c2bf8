"""Workspace export and restore (issue 10, point 6): a restore into a new, empty workspace
reproduces every workspace-scoped model (found through the app registry), its links and
its KPI values exactly, and every reference (foreign key or not) points inside it."""

import io
import logging
import zipfile
from collections import Counter
from datetime import date
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models
from django.urls import resolve

from alignment.demo import DEMO_USERS
from alignment.messaging.models import ActionItem
from alignment.messaging.models import ActivityEvent
from alignment.messaging.models import Claim
from alignment.messaging.models import Feedback
from alignment.messaging.models import FeedbackComment
from alignment.messaging.models import Objective
from alignment.messaging.models import ObjectiveTarget
from alignment.messaging.selectors import kpi_current_value
from alignment.messaging.services import SUBJECT_MODELS
from alignment.messaging.services import activity_record
from alignment.messaging.services import scope_model
from alignment.models import Feature
from alignment.models import Membership
from alignment.models import Role
from alignment.models import Workspace
from alignment.portability import DROP
from alignment.portability import NOT_EXPORTED
from alignment.portability import NULL
from alignment.portability import RECOMPUTED
from alignment.portability import REFS
from alignment.portability import IdRef
from alignment.portability import UrlRef
from alignment.portability import export_file
from alignment.portability import ref_targets
from alignment.portability import scoped_models
from alignment.portability import workspace_restore
from alignment.tenancy import WorkspaceScopedModel
from launches.models import Campaign
from launches.models import Launch
from metrics.diagnostics.snapshot import snapshot_write
from metrics.kpis import KPIS
from metrics.kpis import kpi_compute
from metrics.kpis import kpi_value
from metrics.models import CampaignMetric
from metrics.models import DashboardSnapshot
from metrics.models import Diagnosis
from metrics.models import ImportJob
from metrics.services import diagnosis_to_feedback
from research.models import Insight
from tests.alignment.factories import FeedbackCommentFactory
from tests.alignment.factories import FeedbackFactory
from tests.alignment.factories import ObjectiveFactory
from tests.alignment.factories import feature_in
from tests.factories import MembershipFactory
from tests.factories import UserFactory
from tests.factories import WorkspaceFactory
from tests.metrics.factories import DiagnosisFactory
from tests.metrics.factories import ImportJobFactory

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
    ordered = scoped_models()
    concrete = {
        model
        for model in WorkspaceScopedModel.__subclasses__()
        if not model._meta.abstract and model._meta.label not in NOT_EXPORTED
    }
    assert concrete <= set(ordered)
    assert not {model._meta.label for model in ordered} & NOT_EXPORTED
    for position, model in enumerate(ordered):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in ordered:
                assert ordered.index(field.related_model) <= position, (model, field.name)
        # Rows named by an id without a foreign key are restored first too.
        for target in ref_targets(model) - {model}:
            assert ordered.index(target) < position, (model, target)


def test_every_reference_without_a_foreign_key_is_declared():
    """A new integer `*_id`, `*_url` or `link` column must say in REFS how it is remapped."""
    for model in scoped_models():
        declared = REFS.get(model._meta.label, ())
        ids = {ref.field for ref in declared if isinstance(ref, IdRef) and not ref.key}
        urls = {ref.field for ref in declared if isinstance(ref, UrlRef)}
        for field in model._meta.concrete_fields:
            if field.is_relation:
                continue
            if isinstance(field, models.IntegerField) and field.name.endswith("_id"):
                assert field.name in ids, f"{model._meta.label}.{field.name} is not in REFS"
            if field.name.endswith("_url") or field.name == "link":
                assert field.name in urls, f"{model._meta.label}.{field.name} is not in REFS"
    names = [str(model._meta.verbose_name) for model in scoped_models()]
    assert len(names) == len(set(names)), "activity targets are told apart by verbose name"
    for label, refs in REFS.items():
        model = apps.get_model(label)
        assert model in scoped_models()
        for ref in refs:
            field = model._meta.get_field(ref.field)
            if isinstance(ref, UrlRef):
                continue
            for target in ref.labels():
                assert apps.get_model(target) in scoped_models(), (label, ref)
            if ref.key:
                assert isinstance(field, models.JSONField), (label, ref)
            kind = model._meta.get_field(ref.kind) if ref.kind else None
            if kind is not None and kind.choices:  # every type is mapped, to a model or None
                assert set(ref.choices()) == {value for value, _ in kind.choices}, (label, ref)
            if ref.missing == DROP:  # nothing may refer to a row a restore can leave out
                assert not [
                    (other, f.name)
                    for other in scoped_models()
                    for f in other._meta.concrete_fields
                    if f.is_relation and f.related_model is model
                ], label
            elif not ref.key and not field.null:
                assert ref.missing != NULL, f"{label}.{ref.field} is NOT NULL"
    # The same mappings as the services that write these columns.
    feedback = dict(REFS["alignment.Feedback"][0].choices())
    assert feedback == {kind: ".".join(model) for kind, model in SUBJECT_MODELS.items()}
    scopes = REFS["alignment.ObjectiveTarget"][0].choices()
    assert {k: v and tuple(v.split(".")) for k, v in scopes.items()} == {
        scope: scope_model(scope) for scope in ObjectiveTarget.Scope.values
    }


def test_restore_reproduces_the_workspace_exactly(demo, admin):
    before = _snapshot(demo)
    assert sum(before["counts"].values()) > 100, "the demo should exercise many models"
    assert any(before["links"].values()), "the demo should have many-to-many links"
    assert any(isinstance(v, dict) and v["value"] is not None for v in before["kpis"].values())

    with export_file(workspace=demo) as archive:
        restored = workspace_restore(actor=admin, archive=archive, slug="acme-copy")

    assert restored.pk != demo.pk
    assert _snapshot(restored) == before
    assert _snapshot(demo) == before  # the source is untouched
    roles = dict(Membership.objects.filter(workspace=demo).values_list("user_id", "role"))
    assert dict(Membership.objects.filter(workspace=restored).values_list("user_id", "role")) == (
        roles
    )
    # Every row's own values, timestamps included, in the same order.
    for model in scoped_models():
        if model._meta.label not in RECOMPUTED:
            rows = [
                model._default_manager.filter(workspace=ws).order_by("pk")
                for ws in (demo, restored)
            ]
            assert [_content(r) for r in rows[1]] == [_content(r) for r in rows[0]], model
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


def test_the_download_is_written_to_a_file_and_streamed_from_it(settings, tmp_path, client):
    """The archive of a workspace holding a 24 MB stored workbook (incompressible) costs
    the process a few megabytes, not the archive's size: it is written to a temporary file
    as it is read, and the response streams that file. The workbook, a zip already, is
    stored as it is. A restore copies the file back from the archive a chunk at a time."""
    import os
    import tracemalloc

    from django.core.files import File
    from django.http import FileResponse

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    workspace = WorkspaceFactory(slug="big")
    admin = UserFactory()
    MembershipFactory(user=admin, workspace=workspace, role=Role.ADMIN)
    source = tmp_path / "upload.xlsx"
    with source.open("wb") as handle:
        handle.write(b"PK\x03\x04")  # how a workbook begins
        for _ in range(24):
            handle.write(os.urandom(1024 * 1024))
    job = ImportJobFactory(workspace=workspace)
    with source.open("rb") as handle:
        job.file.save("upload.xlsx", File(handle))
    client.force_login(admin)
    # What the first export of the process loads once (modules, the URL resolver) is not
    # the archive's cost: an empty workspace's export loads it before memory is traced.
    empty = WorkspaceFactory(slug="empty")
    MembershipFactory(user=admin, workspace=empty, role=Role.ADMIN)
    b"".join(client.get(f"/w/{empty.slug}/export.zip").streaming_content)

    download = tmp_path / "download.zip"
    tracemalloc.start()
    try:
        response = client.get(f"/w/{workspace.slug}/export.zip")
        with download.open("wb") as handle:
            for chunk in response.streaming_content:  # the client closes it at the end
                handle.write(chunk)
        _, export_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        settings.MEDIA_ROOT = tmp_path / "elsewhere"  # another deployment's storage
        restored = workspace_restore(actor=admin, archive=download, slug="big-copy")
        _, restore_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert download.stat().st_size == int(response["Content-Length"]) > 24 * 1024 * 1024
    assert export_peak < 8 * 1024 * 1024, f"export peak {export_peak / 1024 / 1024:.1f} MB"
    assert restore_peak < 8 * 1024 * 1024, f"restore peak {restore_peak / 1024 / 1024:.1f} MB"
    # The temporary archive is gone once the response closed.
    assert sorted(path.name for path in tmp_path.iterdir() if path.is_file()) == [
        "download.zip",
        "upload.xlsx",
    ]
    with zipfile.ZipFile(download) as archive:
        member = archive.getinfo(f"files/{job.file.name}")
    assert member.compress_type == zipfile.ZIP_STORED
    copy = ImportJob.objects.get(workspace=restored)
    with copy.file.open("rb") as stored:
        assert stored.read() == source.read_bytes()


# --- References without a foreign key --------------------------------------------------------


def _content(obj) -> dict:
    """A row's own values, which a restore reproduces whatever the new ids (timestamps
    included): not its relations, declared references or fresh secrets."""
    skip = {ref.field for ref in REFS.get(obj._meta.label, ())}
    return {
        field.name: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if not field.is_relation
        and not field.primary_key
        and field.name not in skip
        and not (field.unique and callable(field.default))
    }


def _ref_model(ref: IdRef, obj):
    if not ref.kind:
        return apps.get_model(ref.to)
    label = ref.choices().get(getattr(obj, ref.kind))
    return apps.get_model(label) if label else None


def _ref_id(ref: IdRef, obj):
    value = getattr(obj, ref.field)
    return value.get(ref.key) if ref.key else value


def _url_row(url: str):
    match = resolve(urlsplit(url).path)
    model = getattr(getattr(match.func, "view_class", None), "model", None)
    return match, (model._default_manager.get(pk=match.kwargs["pk"]) if model else None)


def _assert_same_url(old: str, new: str, source, restored) -> None:
    if not old:
        assert new == old
        return
    old_match, old_row = _url_row(old)
    new_match, new_row = _url_row(new)
    assert new_match.view_name == old_match.view_name
    assert old_match.kwargs["workspace_slug"] == source.slug
    assert new_match.kwargs["workspace_slug"] == restored.slug
    assert urlsplit(new).query == urlsplit(old).query
    if old_row is not None:
        assert (old_row.workspace, new_row.workspace) == (source, restored)
        assert _content(new_row) == _content(old_row)


def _assert_references_point_inside(source, restored) -> Counter:
    """Row by row (a restore keeps the order of ids), every declared reference of the copy
    names the copy's row with the same content as the source's. Returns what was checked."""
    checked = Counter()
    for label, refs in REFS.items():
        model = apps.get_model(label)
        old_rows = list(model._default_manager.filter(workspace=source).order_by("pk"))
        new_rows = list(model._default_manager.filter(workspace=restored).order_by("pk"))
        assert len(new_rows) == len(old_rows), label
        for old, new in zip(old_rows, new_rows, strict=True):
            assert _content(new) == _content(old), label
            for ref in refs:
                if isinstance(ref, UrlRef):
                    urls = getattr(old, ref.field), getattr(new, ref.field)
                    _assert_same_url(*urls, source, restored)
                    checked[(label, ref.field, "")] += bool(urls[0])
                    continue
                target = _ref_model(ref, old)
                if target is None or _ref_id(ref, old) is None:
                    assert _ref_id(ref, new) == _ref_id(ref, old), (label, ref)
                    continue
                old_target = target._default_manager.get(pk=_ref_id(ref, old))
                new_target = target._default_manager.filter(pk=_ref_id(ref, new)).first()
                assert old_target.workspace == source, (label, ref, "the source is sound")
                assert new_target is not None, (label, ref, _ref_id(ref, new))
                assert new_target.workspace == restored, (label, ref, "points outside")
                assert _content(new_target) == _content(old_target), (label, ref)
                checked[(label, ref.field, ref.key)] += 1
                checked[(label, ref.field, target._meta.label)] += 1
    return checked


IDS_IN_SNAPSHOTS = {"id", "subject_id", "link"}


def _without_ids(value):
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k not in IDS_IN_SNAPSHOTS}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def test_restore_points_every_untyped_reference_at_the_new_rows(demo, admin):
    """Activity on an objective and an action item, feedback on a feature, a campaign and a
    launch, objective targets scoped to a product, a feature and a campaign, facts from
    import jobs, diagnoses (subject, feedback, evidence, link) and the dashboard."""
    pmm = get_user_model().objects.get(username="demo-pmm")
    objective = Objective.objects.get(workspace=demo)
    campaign = Campaign.objects.filter(workspace=demo).order_by("pk").first()
    launch = Launch.objects.filter(workspace=demo).first()
    activity_record(actor=pmm, instance=objective, verb="edited")
    activity_record(
        actor=pmm, instance=ActionItem.objects.filter(workspace=demo).first(), verb="completed"
    )
    FeedbackFactory(workspace=demo, author=pmm, subject_type="launch", subject_id=launch.pk)
    ObjectiveTarget.objects.create(
        workspace=demo, objective=objective, kpi="roi", target="0.5", scope="campaign",
        scope_id=campaign.pk,
    )  # fmt: skip
    roi = Diagnosis.objects.filter(workspace=demo, rule="negative_roi").first()
    diagnosis_to_feedback(actor=pmm, diagnosis=roi)  # feedback on a campaign, feedback_id
    claim = Claim.objects.filter(workspace=demo).first()
    DiagnosisFactory(
        workspace=demo, rule="unsupported_claim", subject_type="claim", subject_id=claim.pk,
        evidence={"claim": claim.pk, "headline": claim.headline}, link=claim.get_absolute_url(),
    )  # fmt: skip
    snapshot_write(workspace=demo)  # the dashboard lists the live diagnoses, as after a run
    before = _snapshot(demo)

    archive = export_file(workspace=demo)
    restored = workspace_restore(actor=admin, archive=archive, slug="acme-copy")

    assert _snapshot(restored) == before  # row counts, links and KPI values
    checked = _assert_references_point_inside(demo, restored)
    declared = {
        (label, ref.field, getattr(ref, "key", ""))
        for label, refs in REFS.items()
        for ref in refs
        if label not in RECOMPUTED
    }
    assert not [key for key in declared if not checked[key]], "every kind of reference is met"
    for label, field, targets in [
        ("alignment.ObjectiveTarget", "scope_id", ["Product", "Feature", "Campaign"]),
        ("alignment.Feedback", "subject_id", ["Feature", "Campaign", "Launch"]),
        ("alignment.ActivityEvent", "target_id", ["Objective", "ActionItem", "Feedback"]),
        ("metrics.CampaignMetric", "import_job_id", ["ImportJob"]),
        ("metrics.UsageMetric", "import_job_id", ["ImportJob"]),
        ("metrics.SurveyResponse", "import_job_id", ["ImportJob"]),
    ]:
        for target in targets:
            key = next(m._meta.label for m in scoped_models() if m.__name__ == target)
            assert checked[(label, field, key)], (label, field, target)
    # An activity's link is its restored target's own page.
    for event in ActivityEvent.objects.filter(workspace=restored):
        target = next(m for m in scoped_models() if m._meta.verbose_name == event.target_type)
        assert event.target_url == target.objects.get(pk=event.target_id).get_absolute_url()
    # Objective targets read their KPI in the restored scope: the same values.
    values = [
        [kpi_current_value(t) for t in ObjectiveTarget.objects.filter(workspace=ws).order_by("pk")]
        for ws in (demo, restored)
    ]
    assert values[1] == values[0]
    assert sum(value is not None for value in values[0]) >= 3
    # The dashboard is recomputed: the same numbers, ids of the restored rows.
    old, new = (DashboardSnapshot.objects.get(workspace=ws) for ws in (demo, restored))
    assert _without_ids(new.data) == _without_ids(old.data)
    assert new.daily_sums == old.daily_sums
    assert new.data["top_campaigns"] and new.data["diagnostics"]
    for key, model in [
        ("top_campaigns", Campaign),
        ("bottom_campaigns", Campaign),
        ("feature_adoption", Feature),
        ("diagnostics", Diagnosis),
    ]:
        for old_item, new_item in zip(old.data[key], new.data[key], strict=True):
            row = model.objects.get(pk=new_item["id"])
            assert row.workspace == restored
            assert _content(row) == _content(model.objects.get(pk=old_item["id"]))
            if model is Diagnosis:
                assert new_item["subject_id"] == row.subject_id  # checked above, row by row
                _assert_same_url(old_item["link"], new_item["link"], demo, restored)


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def test_references_to_rows_outside_the_export_keep_no_foreign_id(settings, tmp_path):
    """Rows deleted before the export (or another workspace's, in damaged data) cannot be
    remapped: nullable ids become NULL, NOT NULL ones 0 with the row kept (feedback and
    its comments, a line of activity), and a diagnosis about nothing is left out."""
    settings.MEDIA_ROOT = tmp_path / "media"
    source, other = WorkspaceFactory(), WorkspaceFactory()
    admin = UserFactory()
    MembershipFactory(user=admin, workspace=source, role=Role.ADMIN)
    kept, gone = (Campaign.objects.create(workspace=source, name=n) for n in ("Kept", "Gone"))
    theirs = Campaign.objects.create(workspace=other, name="Theirs")
    objective, gone_objective = (
        ObjectiveFactory(workspace=source),
        ObjectiveFactory(workspace=source),
    )
    for target, campaign in (("1", kept), ("2", gone), ("3", theirs)):
        ObjectiveTarget.objects.create(
            workspace=source, objective=objective, kpi="spend", target=target,
            scope="campaign", scope_id=campaign.pk,
        )  # fmt: skip
    feature = feature_in(source)
    feedback = FeedbackFactory(workspace=source, subject_type="feature", subject_id=feature.pk)
    FeedbackCommentFactory(workspace=source, feedback=feedback)
    gone_feedback = FeedbackFactory(workspace=source)
    activity_record(actor=admin, instance=gone_objective, verb="created")
    activity_record(actor=admin, instance=objective, verb="created")
    DiagnosisFactory(workspace=source, subject_id=gone.pk, subject_label="Gone")
    live = DiagnosisFactory(workspace=source, feedback_id=gone_feedback.pk)
    DiagnosisFactory(
        workspace=source, rule="conversion_drop", subject_type="channel", subject_id=0,
        subject_key="email", link=f"/w/{source.slug}/metrics/?channel=email",
    )  # fmt: skip
    job, gone_job = ImportJobFactory(workspace=source), ImportJobFactory(workspace=source)
    for day, spend, import_job in ((1, 100, job), (2, 50, gone_job)):
        CampaignMetric.objects.create(
            workspace=source, campaign=kept, date=date(2026, 3, day), spend=spend,
            import_job_id=import_job.pk,
        )  # fmt: skip
    for row in (gone, feature, gone_objective, gone_feedback, gone_job):
        row.delete()
    spend = kpi_value(source, "spend", date(2026, 3, 1), date(2026, 3, 31))
    handler = _Warnings()
    logging.getLogger("alignment.portability").addHandler(handler)
    try:
        restored = workspace_restore(
            actor=admin, archive=export_file(workspace=source), slug="copy"
        )
    finally:
        logging.getLogger("alignment.portability").removeHandler(handler)

    new_kept = Campaign.objects.get(workspace=restored, name="Kept")
    targets = ObjectiveTarget.objects.filter(workspace=restored).order_by("target")
    assert [t.scope_id for t in targets] == [new_kept.pk, None, None]
    assert [kpi_current_value(t, today=date(2026, 3, 31)) for t in targets] == [
        kpi_current_value(t, today=date(2026, 3, 31))
        for t in ObjectiveTarget.objects.filter(workspace=source).order_by("target")
    ]
    restored_feedback = Feedback.objects.get(workspace=restored)
    assert restored_feedback.subject_id == 0  # no row has id 0
    assert FeedbackComment.objects.filter(feedback=restored_feedback).count() == 1
    events = ActivityEvent.objects.filter(workspace=restored).order_by("pk")
    new_objective = Objective.objects.get(workspace=restored)
    assert [(e.target_id, e.target_url) for e in events] == [
        (0, ""), (new_objective.pk, new_objective.get_absolute_url())
    ]  # fmt: skip
    # The diagnosis about "Gone" is left out; a channel's has no id, its link a new slug.
    diagnosis, channel = Diagnosis.objects.filter(workspace=restored).order_by("subject_type")
    assert (channel.subject_id, channel.link) == (0, "/w/copy/metrics/?channel=email")
    assert diagnosis.subject_label == live.subject_label
    assert Campaign.objects.get(pk=diagnosis.subject_id, workspace=restored)
    assert diagnosis.feedback_id is None
    new_job = ImportJob.objects.get(workspace=restored)
    facts = CampaignMetric.objects.filter(workspace=restored).order_by("date")
    assert [(f.campaign_id, f.import_job_id) for f in facts] == [
        (new_kept.pk, new_job.pk), (new_kept.pk, None)
    ]  # fmt: skip
    assert kpi_value(restored, "spend", date(2026, 3, 1), date(2026, 3, 31)) == spend == "150.00"
    assert any("metrics.Diagnosis" in m and "rows dropped: 1" in m for m in handler.messages)
    assert any("alignment.Feedback" in m and "subject_id -> zero" in m for m in handler.messages)


def test_a_failed_snapshot_recompute_keeps_the_restore_and_is_retried_after_commit(
    demo, admin, django_capture_on_commit_callbacks
):
    """The snapshot is a cache: when computing it fails, the restored data stays and the
    dashboard task computes it once the restore has committed."""
    archive = export_file(workspace=demo)
    failing = mock.patch(
        "metrics.services.dashboard_recompute", side_effect=RuntimeError("database hiccup")
    )
    with (
        failing,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        restored = workspace_restore(actor=admin, archive=archive, slug="acme-3")
    before = _snapshot(demo)
    assert _snapshot(restored)["counts"] == {
        **before["counts"], "metrics.DashboardSnapshot": 0,
    }  # fmt: skip
    assert not DashboardSnapshot.objects.filter(workspace=restored).exists()
    for callback in callbacks:
        callback()  # Celery runs eagerly in the unit tests
    snapshot = DashboardSnapshot.objects.get(workspace=restored)
    assert snapshot.data["kpis"] == DashboardSnapshot.objects.get(workspace=demo).data["kpis"]


def test_links_written_in_text_point_at_the_restored_rows(demo, admin):
    """A Markdown body linking to the workspace's own pages links to the restored
    workspace's rows; a link whose row was not exported is left as written."""
    insights = list(Insight.objects.filter(workspace=demo).order_by("pk")[:2])
    target, note = insights
    launch = Launch.objects.filter(workspace=demo).first()
    body = (
        f"See [the insight]({target.get_absolute_url()}) and "
        f"http://testserver{launch.get_absolute_url()}. Also /w/acme/launches/, and "
        "[a deleted one](/w/acme/research/insights/999999/)."
    )
    Insight.objects.filter(pk=note.pk).update(body=body)

    restored = workspace_restore(
        actor=admin, archive=export_file(workspace=demo), slug="acme-linked"
    )
    new_target = Insight.objects.get(workspace=restored, title=target.title)
    new_launch = Launch.objects.get(workspace=restored, name=launch.name)
    new_body = Insight.objects.get(workspace=restored, title=note.title).body
    assert new_body == (
        f"See [the insight]({new_target.get_absolute_url()}) and "
        f"http://testserver{new_launch.get_absolute_url()}. Also /w/acme-linked/launches/, and "
        "[a deleted one](/w/acme/research/insights/999999/)."
    )
    assert "/w/acme-linked/" in new_target.get_absolute_url()
    assert Insight.objects.get(pk=note.pk).body == body  # the source is untouched


def test_an_archive_carries_no_calendar_feed_secret(demo, admin):
    from launches.services import calendar_feed_get_or_create

    feed = calendar_feed_get_or_create(actor=admin, workspace=demo)
    archive = zipfile.ZipFile(export_file(workspace=demo))
    assert not [name for name in archive.namelist() if "calendarfeed" in name]
    assert not [name for name in archive.namelist() if feed.token.encode() in archive.read(name)]


def test_an_archive_carries_no_invitation(demo, admin):
    from alignment.services import invitation_create

    UserFactory(username="outsider")
    invitation = invitation_create(actor=admin, workspace=demo, username="outsider", role="pm")
    archive = zipfile.ZipFile(export_file(workspace=demo))
    assert not [name for name in archive.namelist() if "invitation" in name]
    for name in archive.namelist():
        content = archive.read(name)
        assert invitation.token.encode() not in content, name
        assert b"outsider" not in content, name
