"""What export and restore must know beyond the foreign keys: references without one
(REFS), models left out (NOT_EXPORTED) or recomputed (RECOMPUTED), and `register`,
through which the other apps declare theirs."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models

from alignment.models import Workspace
from alignment.tenancy import WorkspaceScopedModel

# Rows that hold a credential (a member's secret calendar-feed URL, an invitation's link):
# never exported, so an archive opens nothing; members make new ones in the restored
# workspace. Invitations also name people of this server who never joined: a restore
# elsewhere must not invite them into a workspace they never heard of. Background-run
# leases (metrics) are a worker's bookkeeping, not the workspace's data.
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
    that it is recomputed after a restore (`recompute`, with `defer` to leave that to a
    worker when it fails in the restore's transaction: both or neither)."""
    if (recompute is None) != (defer is None):
        raise ValueError(f"{label}: register recompute and defer together.")
    if refs:
        REFS[label] = tuple(refs)
    if not exported:
        NOT_EXPORTED.add(label)
    if recompute is not None:
        RECOMPUTED[label] = (recompute, defer)
