"""Workspace export and restore: a zip that reproduces a workspace exactly elsewhere.

Every concrete WorkspaceScopedModel is included, found by walking the app registry, so
models added later (research, messaging, ...) are exported without touching this module.
The archive holds:

- `manifest.json`: format version, the workspace's name and slug, row counts per model,
  the members as (username, role) and the usernames of users that rows refer to;
- `data/<app_label>.<model>.jsonl`: one JSON object per row, fields by attname (foreign
  keys as the ids of the exporting instance), auto-created many-to-many links under
  "_m2m";
- `files/<storage name>`: the stored files rows refer to (uploads, error reports).

A restore creates a new workspace, loads the models in foreign-key order with fresh
primary keys (remapping every foreign key between scoped models, users by username),
re-adds many-to-many links and files, all in one transaction.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterator

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from alignment.models import Membership, Role, Workspace
from alignment.tenancy import WorkspaceScopedModel

FORMAT_VERSION = 1
BATCH = 2000


def scoped_models() -> list[type[models.Model]]:
    """Every concrete workspace-scoped model, parents before the rows that refer to them."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, WorkspaceScopedModel)
        and not model._meta.abstract
        and not model._meta.proxy
    ]
    depends = {
        model: {
            field.related_model
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model in found and field.related_model != model
        }
        for model in found
    }
    ordered: list[type[models.Model]] = []
    while depends:
        ready = sorted(
            (model for model, needs in depends.items() if not needs - set(ordered)),
            key=lambda model: model._meta.label,
        )
        if not ready:  # a cycle: load the rest in label order, cross references as found
            ready = sorted(depends, key=lambda model: model._meta.label)
        for model in ready:
            ordered.append(model)
            depends.pop(model)
    return ordered


def _auto_m2m(model) -> list[models.ManyToManyField]:
    return [
        field for field in model._meta.many_to_many if field.remote_field.through._meta.auto_created
    ]


def _user_fields(model) -> list[models.Field]:
    user_model = get_user_model()
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model
    ]


def _file_fields(model) -> list[models.FileField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


# --- Export -------------------------------------------------------------------------------


def workspace_export(*, workspace: Workspace, stream) -> dict:
    """Write the workspace's archive to `stream` (a binary file); returns the manifest."""
    manifest = {
        "format": FORMAT_VERSION,
        "workspace": {"name": workspace.name, "slug": workspace.slug},
        "counts": {},
        "members": [
            {"username": username, "role": role}
            for username, role in Membership.objects.filter(workspace=workspace)
            .order_by("user__username")
            .values_list("user__username", "role")
        ],
        "users": {},
    }
    user_ids: set[int] = set()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model in scoped_models():
            label = model._meta.label_lower
            count = 0
            files: list[tuple[models.FileField, str]] = []
            with archive.open(f"data/{label}.jsonl", "w") as handle:
                for row in _rows(model, workspace):
                    handle.write(json.dumps(row, cls=DjangoJSONEncoder).encode() + b"\n")
                    count += 1
                    for field in _user_fields(model):
                        if row.get(field.attname) is not None:
                            user_ids.add(row[field.attname])
                    for field in _auto_m2m(model):
                        if field.related_model is get_user_model():
                            user_ids.update(row["_m2m"][field.name])
                    files.extend((field, row.get(field.attname)) for field in _file_fields(model))
            for field, name in files:  # one write handle at a time
                _add_file(archive, field, name)
            manifest["counts"][label] = count
        manifest["users"] = {
            str(pk): username
            for pk, username in get_user_model()
            .objects.filter(pk__in=user_ids)
            .values_list("pk", get_user_model().USERNAME_FIELD)
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, cls=DjangoJSONEncoder))
    return manifest


def _rows(model, workspace) -> Iterator[dict]:
    attnames = [field.attname for field in model._meta.concrete_fields]
    m2m = _auto_m2m(model)
    queryset = model._default_manager.filter(workspace=workspace).order_by("pk")
    if not m2m:
        yield from queryset.values(*attnames).iterator(chunk_size=BATCH)
        return
    for obj in queryset.prefetch_related(*[field.name for field in m2m]).iterator(chunk_size=500):
        row = {name: getattr(obj, name) for name in attnames}
        row["_m2m"] = {
            field.name: sorted(related.pk for related in getattr(obj, field.name).all())
            for field in m2m
        }
        yield row


def _add_file(archive: zipfile.ZipFile, field, name) -> None:
    if not name or f"files/{name}" in archive.namelist():
        return
    storage = field.storage
    if not storage.exists(name):
        return  # a missing file is exported as a reference only
    with storage.open(name, "rb") as source, archive.open(f"files/{name}", "w") as target:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            target.write(chunk)


# --- Restore ------------------------------------------------------------------------------


@transaction.atomic
def workspace_restore(*, actor, archive, slug: str, name: str = "") -> Workspace:
    """Create workspace `slug` from an export archive (a path or a binary file)."""
    from alignment.services import workspace_create

    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("A restore needs a user, who becomes the workspace's admin.")
    try:
        bundle = zipfile.ZipFile(archive)
        manifest = json.loads(bundle.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ValidationError({"archive": [f"Not a workspace export: {error}"]}) from error
    if manifest.get("format") != FORMAT_VERSION:
        raise ValidationError({"archive": ["Unknown export format version."]})
    workspace = workspace_create(actor=actor, name=name or manifest["workspace"]["name"], slug=slug)
    # The new workspace must be empty: drop what creating it seeded (default templates).
    for model in reversed(scoped_models()):
        model._default_manager.filter(workspace=workspace).delete()
    users = _user_map(manifest, actor)
    _restore_members(manifest, workspace, users)
    ids: dict[type, dict[int, int]] = defaultdict(dict)
    links: list[tuple[models.ManyToManyField, int, list[int]]] = []
    for model in scoped_models():
        path = f"data/{model._meta.label_lower}.jsonl"
        if path not in bundle.namelist():
            continue
        with bundle.open(path) as handle:
            _load_model(model, handle, workspace, actor, users, ids, links, bundle)
    ids[get_user_model()] = {old: new for old, new in users.items() if new is not None}
    _restore_links(links, ids)
    return workspace


def _user_map(manifest, actor) -> dict[int, int]:
    user_model = get_user_model()
    by_name = dict(
        user_model.objects.filter(
            **{f"{user_model.USERNAME_FIELD}__in": list(manifest.get("users", {}).values())}
        ).values_list(user_model.USERNAME_FIELD, "pk")
    )
    return {int(old): by_name.get(username) for old, username in manifest.get("users", {}).items()}


def _restore_members(manifest, workspace, users) -> None:
    user_model = get_user_model()
    names = {member["username"]: member["role"] for member in manifest.get("members", [])}
    existing = set(Membership.objects.filter(workspace=workspace).values_list("user_id", flat=True))
    for user in user_model.objects.filter(**{f"{user_model.USERNAME_FIELD}__in": list(names)}):
        role = names[getattr(user, user_model.USERNAME_FIELD)]
        if user.pk not in existing and role in Role.values:
            Membership.objects.create(user=user, workspace=workspace, role=role)


def _load_model(model, handle, workspace, actor, users, ids, links, bundle) -> None:
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    relations = {field.attname: field.related_model for field in fields if field.is_relation}
    user_model = get_user_model()
    scoped = set(scoped_models())
    m2m = {field.name: field for field in _auto_m2m(model)}
    batch: list[tuple[int, models.Model, dict]] = []

    def flush():
        objects = model._default_manager.bulk_create([obj for _, obj, _ in batch])
        for (old, _, row_links), obj in zip(batch, objects, strict=True):
            ids[model][old] = obj.pk
            for name, targets in row_links.items():
                links.append((m2m[name], obj.pk, targets))
        batch.clear()

    for line in io.TextIOWrapper(handle, encoding="utf-8"):
        row = json.loads(line)
        old_pk = row[model._meta.pk.attname]
        values = {}
        for field in fields:
            value = row.get(field.attname)
            target = relations.get(field.attname)
            if field.attname == "workspace_id":
                value = workspace.pk
            elif target is user_model:
                value = users.get(value) if value is not None else None
                if value is None and not field.null:
                    value = actor.pk  # the restoring admin stands in for a missing user
            elif target in scoped:
                value = None if value is None else ids[target].get(value)
            elif field.unique and callable(field.default):
                value = field.get_default()  # a per-row secret or token: a fresh one
            elif value is not None:
                value = field.to_python(value)
            if isinstance(field, models.FileField) and value:
                _restore_file(field, value, bundle)
            values[field.attname] = value
        batch.append((old_pk, model(**values), row.get("_m2m", {})))
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()


def _restore_file(field, name: str, bundle: zipfile.ZipFile) -> None:
    if field.storage.exists(name) or f"files/{name}" not in bundle.namelist():
        return
    field.storage.save(name, ContentFile(bundle.read(f"files/{name}")))


def _restore_links(links, ids) -> None:
    by_field: dict = defaultdict(list)
    for field, source, targets in links:
        through = field.remote_field.through
        source_name = field.m2m_field_name() + "_id"
        target_name = field.m2m_reverse_field_name() + "_id"
        target_ids = ids.get(field.related_model, {})
        for target in targets:
            if target in target_ids:
                by_field[through].append(
                    through(**{source_name: source, target_name: target_ids[target]})
                )
    for through, rows in by_field.items():
        through.objects.bulk_create(rows, batch_size=BATCH)


def export_bytes(*, workspace: Workspace) -> bytes:
    buffer = io.BytesIO()
    workspace_export(workspace=workspace, stream=buffer)
    return buffer.getvalue()
