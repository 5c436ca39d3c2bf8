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

The archive is written as it is read, a batch of rows and a megabyte of a file at a time,
to a stream: `export_file` gives it in a temporary file, so a workspace of any size costs
the web process the same memory.

A restore creates a new workspace, loads the models in foreign-key order with fresh
primary keys (remapping every foreign key between scoped models, users by username),
re-adds many-to-many links and files, all in one transaction.

Some columns refer to rows without a ForeignKey: generic references picked by a type
column (a feedback's subject), ids written without a constraint (a fact's import job),
ids inside JSON (a diagnosis' evidence) and URLs that embed the workspace's slug and a
row's id. Each is declared once, in REFS, and remapped like a foreign key; its targets
load first. Rows that only cache what can be computed from the rest (RECOMPUTED: the
dashboard snapshot, full of ids) are recomputed instead of copied.

The core declares its own models here; every other app declares its models from its
AppConfig.ready through `register` (metrics/portability.py, launches/apps.py), so this
module names no other app's code.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import re
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from alignment.models import Membership, Role, Workspace
from alignment.tenancy import WorkspaceScopedModel

FORMAT_VERSION = 1
BATCH = 2000
# An export smaller than this stays in memory; a larger one is written to a temporary file.
SPOOL_SIZE = 1024 * 1024
# How a stored file that is compressed already begins: zip (XLSX workbooks), gzip.
COMPRESSED = (b"PK\x03\x04", b"\x1f\x8b")

logger = logging.getLogger(__name__)


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder keeps milliseconds only: a restore keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


# Rows that hold a credential (a member's secret calendar-feed URL, an invitation's link):
# never exported, so an archive opens nothing; members make new ones in the restored
# workspace. Invitations also name people of this server who never joined: a restore
# elsewhere must not invite them into a workspace they never heard of. Background-run
# leases are a worker's bookkeeping, not the workspace's data.
NOT_EXPORTED = {"alignment.Invitation"}  # and those registered with exported=False


def _concrete_scoped() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, WorkspaceScopedModel)
        and not model._meta.abstract
        and not model._meta.proxy
        and model._meta.label not in NOT_EXPORTED
    ]


def scoped_models() -> list[type[models.Model]]:
    """Every concrete workspace-scoped model, parents before the rows that refer to them
    (by a foreign key or by a reference declared in REFS)."""
    found = _concrete_scoped()
    depends = {
        model: {
            field.related_model
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model in found and field.related_model != model
        }
        | (ref_targets(model) - {model})
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


# --- References without a ForeignKey ------------------------------------------------------

NULL, ZERO, DROP = "null", "zero", "drop"


@dataclass(frozen=True)
class IdRef:
    """Column `field` holds the id of a row of `to` (a model label), or, with `kind`, of
    the model that the row's `kind` column names in `to` ({value: label}, or a function
    returning it); a value mapped to None is no reference (a channel scope). With `key`,
    `field` is a JSON object and the id is its `key`.

    An id the restore cannot remap (its row was deleted before the export, or its type is
    unknown) never keeps the source's id; `missing` says what happens instead:
    NULL: the column (or JSON key) becomes null;
    ZERO: 0, no row's id, for a NOT NULL column whose row is worth keeping;
    DROP: the row is not restored, with a warning (only for rows nothing refers to).
    """

    field: str
    to: str | Mapping[str, str | None] | Callable[[], Mapping[str, str | None]]
    kind: str = ""
    key: str = ""
    missing: str = NULL

    def choices(self) -> Mapping[str, str | None]:
        return self.to() if callable(self.to) else self.to

    def labels(self) -> set[str]:
        if isinstance(self.to, str):
            return {self.to}
        return {label for label in self.choices().values() if label is not None}


@dataclass(frozen=True)
class UrlRef:
    """Column `field` holds a path of this site, `/w/<slug>/.../<pk>/`: it is rebuilt with
    the new workspace's slug and the new id of the row it shows (the view's model says
    which), once every row is restored; emptied when that cannot be done."""

    field: str


@cache
def _models_by_verbose_name() -> dict[str, str]:
    """An activity's target_type is its target's verbose name (activity_record)."""
    return {str(model._meta.verbose_name): model._meta.label for model in _concrete_scoped()}


# Every column that refers to a row without a ForeignKey, by model label (the core's here,
# the other apps' through `register`). A test fails on a scoped model's integer `*_id`,
# `*_url` or `link` column that is neither a relation nor declared.
REFS: dict[str, tuple[IdRef | UrlRef, ...]] = {
    # Any scoped row (alignment.messaging.services.activity_record). An event whose target was
    # deleted keeps its line of history, without a link.
    "alignment.ActivityEvent": (
        IdRef("target_id", kind="target_type", to=_models_by_verbose_name, missing=ZERO),
        UrlRef("target_url"),
    ),
    # alignment.messaging.services.SUBJECT_MODELS. The feedback and its comments outlive
    # the subject.
    "alignment.Feedback": (
        IdRef(
            "subject_id",
            kind="subject_type",
            to={
                "feature": "alignment.Feature",
                "campaign": "launches.Campaign",
                "launch": "launches.Launch",
            },
            missing=ZERO,
        ),
    ),
    # alignment.messaging.services.scope_model; a channel scope names its channel in
    # scope_value, and a workspace-wide target refers to no row.
    # Without its row the target has no value, as when the scope was deleted.
    "alignment.ObjectiveTarget": (
        IdRef(
            "scope_id",
            kind="scope",
            to={
                "product": "alignment.Product",
                "feature": "alignment.Feature",
                "campaign": "launches.Campaign",
                "channel": None,
                "workspace": None,
            },
        ),
    ),
}


def ref_targets(model) -> set[type[models.Model]]:
    """The models `model`'s declared ids point at: they are restored before it."""
    return {
        apps.get_model(label)
        for ref in REFS.get(model._meta.label, ())
        if isinstance(ref, IdRef)
        for label in ref.labels()
    }


# Rows that cache what the rest of the workspace computes, ids included (campaign rankings,
# diagnoses and their links): recomputed after a restore, when the export had one, instead
# of copied. By model label: (recompute now, ask a worker to do it later).
RECOMPUTED: dict[str, tuple[Callable[[Workspace], None], Callable[[Workspace], None]]] = {}


def register(
    label: str,
    *,
    refs: tuple[IdRef | UrlRef, ...] = (),
    exported: bool = True,
    recompute: Callable[[Workspace], None] | None = None,
    defer: Callable[[Workspace], None] | None = None,
) -> None:
    """How export and restore treat one of an app's models, declared from its AppConfig:
    its references without a ForeignKey (`refs`), whether it is left out (`exported`), or
    that it is recomputed after a restore (`recompute`, and `defer` to leave that to a
    worker when it fails in the restore's transaction)."""
    if refs:
        REFS[label] = tuple(refs)
    if not exported:
        NOT_EXPORTED.add(label)
    if recompute is not None:
        RECOMPUTED[label] = (recompute, defer or recompute)


# --- Export -------------------------------------------------------------------------------


def workspace_export(*, workspace: Workspace, stream) -> dict:
    """Write the workspace's archive to `stream` (a binary file); returns the manifest."""
    manifest = {
        "format": FORMAT_VERSION,
        "workspace": {
            "name": workspace.name,
            "slug": workspace.slug,
            "currency": workspace.currency,
        },
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
            with archive.open(f"data/{label}.jsonl", "w", force_zip64=True) as handle:
                for row in _rows(model, workspace):
                    handle.write(json.dumps(row, cls=_Encoder).encode() + b"\n")
                    count += 1
                    for field in _user_fields(model):
                        if row.get(field.attname) is not None:
                            user_ids.add(row[field.attname])
                    for field in _auto_m2m(model):
                        if field.related_model is get_user_model():
                            user_ids.update(row["_m2m"][field.name])
            _add_files(archive, model, workspace)  # once the rows' handle is closed
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


def export_file(*, workspace: Workspace):
    """The workspace's archive in a temporary binary file, rewound; closing it deletes it."""
    # Not a `with`: the file outlives this call, the response that streams it closes it.
    stream = tempfile.SpooledTemporaryFile(  # noqa: SIM115
        max_size=SPOOL_SIZE, suffix=".zip", dir=settings.FILE_UPLOAD_TEMP_DIR
    )
    try:
        workspace_export(workspace=workspace, stream=stream)
    except BaseException:
        stream.close()
        raise
    stream.seek(0)
    return stream


def _in_archive(archive: zipfile.ZipFile, name: str) -> bool:
    try:
        archive.getinfo(name)
    except KeyError:
        return False
    return True


def _add_files(archive: zipfile.ZipFile, model, workspace) -> None:
    """The stored files the model's rows name, read again from the database by name."""
    fields = _file_fields(model)
    if not fields:
        return
    names = (
        model._default_manager.filter(workspace=workspace)
        .order_by("pk")
        .values_list(*[field.attname for field in fields])
    )
    for row in names.iterator(chunk_size=BATCH):
        for field, name in zip(fields, row, strict=True):
            _add_file(archive, field, name)


def _add_file(archive: zipfile.ZipFile, field, name) -> None:
    if not name or _in_archive(archive, f"files/{name}"):
        return
    storage = field.storage
    if not storage.exists(name):
        return  # a missing file is exported as a reference only
    with storage.open(name, "rb") as source:
        head = source.read(4)
        member = zipfile.ZipInfo(f"files/{name}", date_time=time.localtime()[:6])
        # A workbook or an archive is compressed already: deflating it again costs the
        # request seconds per hundred megabytes and saves nothing.
        member.compress_type = (
            zipfile.ZIP_STORED if head.startswith(COMPRESSED) else zipfile.ZIP_DEFLATED
        )
        with archive.open(member, "w", force_zip64=True) as target:
            target.write(head)
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
