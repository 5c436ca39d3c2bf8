"""Many-to-many links stay inside one workspace on every write path, generated over every
many-to-many field of a scoped model, from both sides: a link to another tenant's row (or
to a user who is not a member) is refused before it is stored, whoever writes it."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from alignment.models import Workspace
from alignment.tenancy import WorkspaceScopedModel
from tests.factories import UserFactory
from tests.factories import WorkspaceFactory

LINKS = sorted(
    (
        (model, field)
        for model in apps.get_models()
        if issubclass(model, WorkspaceScopedModel)
        for field in model._meta.local_many_to_many
    ),
    key=lambda link: f"{link[0]._meta.label}.{link[1].name}",
)


@pytest.fixture(scope="module")
def demo(demo_token, django_db_blocker, tmp_path_factory):
    """The demo with its research and launches: a row of every model that links."""
    from django.test import override_settings

    from launches.demo import seed as seed_launches
    from research.demo import seed as seed_research

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
    ):
        workspace = Workspace.objects.get(slug="acme")
        seed_research(workspace)
        seed_launches(workspace)


def _rows(model, field):
    """(a row of `model`, one of its possible targets in the same workspace, another)."""
    acme = Workspace.objects.get(slug="acme")
    owner = model.objects.filter(workspace=acme).first()
    assert owner is not None, f"the demo has no {model._meta.label}"
    target_model = field.related_model
    if target_model is get_user_model():
        targets = target_model.objects.filter(memberships__workspace=acme)
    else:
        targets = target_model.objects.filter(workspace=acme).exclude(pk=owner.pk)
    getattr(owner, field.name).clear()  # each link below is new
    targets = list(targets.order_by("pk")[:2])
    assert len(targets) == 2, f"the demo has too few {target_model._meta.label}"
    return owner, *targets


def _objectives():
    """The demo sets no objectives: two of the demo workspace's own."""
    from tests.alignment.factories import ObjectiveFactory

    acme = Workspace.objects.get(slug="acme")
    ObjectiveFactory.create_batch(2, workspace=acme)


def _foreign(field, target):
    """`target` made another tenant's: moved to a new workspace, or a user of none."""
    if field.related_model is get_user_model():
        return UserFactory()
    field.related_model.objects.filter(pk=target.pk).update(workspace=WorkspaceFactory())
    target.refresh_from_db()
    return target


def _add(owner, field, target, side: str) -> None:
    through = field.remote_field.through
    # A link model of its own (opportunity evidence) is a scoped row: it carries the workspace.
    extra = {} if through._meta.auto_created else {"workspace_id": owner.workspace_id}
    if side == "forward":
        getattr(owner, field.name).add(target, through_defaults=extra)
    else:
        getattr(target, field.remote_field.get_accessor_name()).add(owner, through_defaults=extra)


@pytest.mark.parametrize("side", ["forward", "reverse"])
@pytest.mark.parametrize("model, field", LINKS, ids=[f"{m._meta.label}.{f.name}" for m, f in LINKS])
def test_a_link_across_workspaces_is_refused(demo, db, model, field, side):
    if side == "reverse" and field.remote_field.hidden:
        pytest.skip("no reverse side (related_name='+')")
    through = field.remote_field.through
    if field.related_model._meta.label == "alignment.Objective":
        _objectives()
    owner, same, other = _rows(model, field)
    _add(owner, field, same, side)  # the workspace's own rows link fine
    stored = through.objects.count()

    foreign = _foreign(field, other)
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        _add(owner, field, foreign, side)
    assert refused.value.message_dict, "the refusal names no field"
    assert through.objects.count() == stored  # nothing of it was stored


def test_every_link_is_covered():
    names = {f"{model._meta.label}.{field.name}" for model, field in LINKS}
    assert {"alignment.Claim.personas", "launches.LaunchTask.depends_on"} <= names
    assert len(LINKS) >= 15
