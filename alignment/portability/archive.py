"""The archive format and the models that go in it: every concrete workspace-scoped
model, parents first."""

from __future__ import annotations

import base64
import datetime
import logging

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from alignment.portability.refs import _concrete_scoped
from alignment.portability.refs import ref_targets

FORMAT_VERSION = 1
BATCH = 2000
# An export smaller than this stays in memory; a larger one is written to a temporary file.
SPOOL_SIZE = 1024 * 1024
# How a stored file that is compressed already begins: zip (XLSX workbooks), gzip.
COMPRESSED = (b"PK\x03\x04", b"\x1f\x8b")

logger = logging.getLogger(__name__)


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder keeps milliseconds only: a restore keeps every microsecond. Binary
    columns (a theme's centroid) go as base64, which BinaryField.to_python reads back."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        if isinstance(o, bytes | bytearray | memoryview):
            return base64.b64encode(bytes(o)).decode("ascii")
        return super().default(o)


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
