"""Export: a workspace written to a zip as it is read, a batch of rows and a megabyte of a
file at a time."""

from __future__ import annotations

import json
import tempfile
import time
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder

from alignment.models import Membership
from alignment.models import Workspace
from alignment.portability.archive import BATCH
from alignment.portability.archive import COMPRESSED
from alignment.portability.archive import FORMAT_VERSION
from alignment.portability.archive import SPOOL_SIZE
from alignment.portability.archive import _auto_m2m
from alignment.portability.archive import _Encoder
from alignment.portability.archive import _file_fields
from alignment.portability.archive import _user_fields
from alignment.portability.archive import scoped_models


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
