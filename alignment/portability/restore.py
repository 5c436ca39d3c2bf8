"""Restore: a new workspace from an archive, in one transaction, every reference remapped."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from collections import defaultdict
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models
from django.db import transaction
from django.urls import NoReverseMatch
from django.urls import Resolver404
from django.urls import resolve
from django.urls import reverse

from alignment.models import Membership
from alignment.models import Role
from alignment.models import Workspace
from alignment.portability.archive import BATCH
from alignment.portability.archive import FORMAT_VERSION
from alignment.portability.archive import _auto_m2m
from alignment.portability.archive import logger
from alignment.portability.archive import scoped_models
from alignment.portability.export import _in_archive
from alignment.portability.refs import DROP
from alignment.portability.refs import RECOMPUTED
from alignment.portability.refs import REFS
from alignment.portability.refs import ZERO
from alignment.portability.refs import IdRef
from alignment.portability.refs import UrlRef


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
    workspace = workspace_create(
        actor=actor,
        name=name or manifest["workspace"]["name"],
        slug=slug,
        currency=manifest["workspace"].get("currency", ""),
    )
    # The new workspace must be empty: drop what creating it seeded (default templates).
    for model in reversed(scoped_models()):
        model._default_manager.filter(workspace=workspace).delete()
    users = _user_map(manifest, actor)
    _restore_members(manifest, workspace, users)
    ids: dict[type, dict[int, int]] = defaultdict(dict)
    links: list[tuple[models.ManyToManyField, int, list[int]]] = []
    for model in scoped_models():
        path = f"data/{model._meta.label_lower}.jsonl"
        if not _in_archive(bundle, path) or model._meta.label in RECOMPUTED:
            continue
        with bundle.open(path) as handle:
            _load_model(model, handle, workspace, actor, users, ids, links, bundle)
    ids[get_user_model()] = {old: new for old, new in users.items() if new is not None}
    _restore_links(links, ids)
    _rebuild_urls(workspace, ids)
    _rebuild_text_links(workspace, manifest["workspace"]["slug"], ids)
    for label, (recompute, defer) in RECOMPUTED.items():
        if manifest.get("counts", {}).get(apps.get_model(label)._meta.label_lower):
            _recompute_or_defer(recompute, defer, workspace)
    return workspace


def _recompute_or_defer(recompute, defer, workspace: Workspace) -> None:
    """A cache that fails to compute does not undo the restore: its rows roll back alone
    (a savepoint) and a worker computes them again once the restore commits (`defer`)."""
    try:
        with transaction.atomic():
            recompute(workspace)
    except Exception:
        logger.exception("Restore of workspace %s: recompute failed, deferred", workspace.slug)
        defer(workspace)


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
    refs = [ref for ref in REFS.get(model._meta.label, ()) if isinstance(ref, IdRef)]
    unmapped: Counter = Counter()
    dropped: list[int] = []
    relations = {field.attname: field.related_model for field in fields if field.is_relation}
    user_model = get_user_model()
    scoped = set(scoped_models())
    m2m = {field.name: field for field in _auto_m2m(model)}
    batch: list[tuple[int, models.Model, dict]] = []
    # bulk_create stamps auto_now(_add) fields with the current time (pre_save);
    # bulk_update does not, so it puts the exported times back.
    stamps = [
        field.attname
        for field in fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]

    def flush():
        exported = [[getattr(obj, name) for name in stamps] for _, obj, _ in batch]
        objects = model._default_manager.bulk_create([obj for _, obj, _ in batch])
        for (old, _, row_links), obj in zip(batch, objects, strict=True):
            ids[model][old] = obj.pk
            for name, targets in row_links.items():
                links.append((m2m[name], obj.pk, targets))
        if stamps:
            for obj, times in zip(objects, exported, strict=True):
                for name, value in zip(stamps, times, strict=True):
                    setattr(obj, name, value)
            model._default_manager.bulk_update(objects, stamps, batch_size=500)
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
        if not _remap_refs(refs, values, ids, unmapped):
            dropped.append(old_pk)
            continue
        batch.append((old_pk, model(**values), row.get("_m2m", {})))
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    if unmapped:
        logger.warning(
            "Restore of %s into workspace %s: references to rows missing from the export: "
            "%s; rows dropped: %s (exported ids %s)",
            model._meta.label,
            workspace.slug,
            ", ".join(f"{field} -> {outcome} x{n}" for (field, outcome), n in unmapped.items()),
            len(dropped),
            dropped[:20],
        )


_UNKNOWN = object()


def _ref_target(ref: IdRef, values: dict):
    """The model the row's reference points at; None: no reference in this row; _UNKNOWN:
    a type that names no model."""
    if not ref.kind:
        return apps.get_model(ref.to)
    label = ref.choices().get(values[ref.kind], _UNKNOWN)
    return label if label is None or label is _UNKNOWN else apps.get_model(label)


def _remap_refs(refs: list[IdRef], values: dict, ids, unmapped: Counter) -> bool:
    """Point the row's declared ids at the restored rows; False when the row is dropped."""
    for ref in refs:
        holder = values[ref.field] if ref.key else values
        name = ref.key or ref.field
        if not isinstance(holder, dict) or holder.get(name) is None:
            continue
        target = _ref_target(ref, values)
        if target is None:
            continue
        new = None if target is _UNKNOWN else ids[target].get(holder[name])
        if new is None:
            unmapped[(f"{ref.field}.{ref.key}" if ref.key else ref.field, ref.missing)] += 1
            if ref.missing == DROP:
                return False
            new = 0 if ref.missing == ZERO else None
        if ref.key:
            values[ref.field] = {**holder, name: new}
        else:
            values[ref.field] = new
    return True


def _rebuild_urls(workspace: Workspace, ids) -> None:
    """Second pass, once every row has its new id: rebuild the declared URL columns."""
    for model in scoped_models():
        fields = [ref.field for ref in REFS.get(model._meta.label, ()) if isinstance(ref, UrlRef)]
        if not fields:
            continue
        changed, emptied = [], Counter()
        rows = model._default_manager.filter(workspace=workspace).only("pk", *fields)
        for obj in rows.order_by("pk").iterator(chunk_size=BATCH):
            before = [getattr(obj, field) for field in fields]
            for field, url in zip(fields, before, strict=True):
                setattr(obj, field, _rebuild_url(url, workspace, ids))
                if url and not getattr(obj, field):
                    emptied[field] += 1
            if [getattr(obj, field) for field in fields] != before:
                changed.append(obj)
            if len(changed) >= BATCH:
                model._default_manager.bulk_update(changed, fields)
                changed.clear()
        model._default_manager.bulk_update(changed, fields)
        if emptied:
            logger.warning(
                "Restore of %s into workspace %s: links to rows missing from the export "
                "emptied: %s",
                model._meta.label,
                workspace.slug,
                dict(emptied),
            )


def _rebuild_text_links(workspace: Workspace, exported_slug: str, ids) -> None:
    """Third pass: links to the exported workspace's pages written inside text (Markdown
    notes, descriptions) point at the restored rows. A link that cannot be rebuilt (its row
    was not exported) is left as written: the prose around it stays readable."""
    marker = f"/w/{exported_slug}/"
    link = re.compile(
        r"(?:https?://[^\s/()<>\[\]\"']+)?" + re.escape(marker) + r"[^\s()<>\[\]\"']*"
    )

    def rebuilt(match: re.Match) -> str:
        url = match.group(0)
        tail = url[len(url.rstrip(".,;:!?")) :]  # the sentence's punctuation, not the path's
        url = url[: len(url) - len(tail)]
        return (_rebuild_url(url, workspace, ids) or url) + tail

    for model in scoped_models():
        url_fields = {
            ref.field for ref in REFS.get(model._meta.label, ()) if isinstance(ref, UrlRef)
        }
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.TextField) or field.attname in url_fields:
                continue
            rows = model._default_manager.filter(
                workspace=workspace, **{f"{field.attname}__contains": marker}
            ).only("pk", field.attname)
            changed = []
            for obj in rows.iterator(chunk_size=BATCH):
                text = getattr(obj, field.attname)
                setattr(obj, field.attname, link.sub(rebuilt, text))
                if getattr(obj, field.attname) != text:
                    changed.append(obj)
            model._default_manager.bulk_update(changed, [field.attname], batch_size=BATCH)


def _rebuild_url(url: str, workspace: Workspace, ids) -> str:
    """`url` with the new workspace's slug and the new id of the row it shows; "" when that
    row was not restored or the path holds an id of unknown kind. Paths outside any
    workspace are kept."""
    if not url:
        return url
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ""
    kwargs = dict(match.kwargs)
    if "workspace_slug" not in kwargs:
        return url
    kwargs["workspace_slug"] = workspace.slug
    model = getattr(getattr(match.func, "view_class", None), "model", None)
    for name, value in kwargs.items():
        if isinstance(value, int):
            kwargs[name] = ids[model].get(value) if name == "pk" and model else None
            if kwargs[name] is None:
                return ""
    try:
        return parts._replace(path=reverse(match.view_name, kwargs=kwargs)).geturl()
    except NoReverseMatch:
        return ""


def _restore_file(field, name: str, bundle: zipfile.ZipFile) -> None:
    if field.storage.exists(name) or not _in_archive(bundle, f"files/{name}"):
        return
    with bundle.open(f"files/{name}") as source:  # copied a chunk at a time
        field.storage.save(name, File(source, name=name))


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
