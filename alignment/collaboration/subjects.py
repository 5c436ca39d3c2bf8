"""The registry of what events name and comments attach to.

Each app registers its own types in its AppConfig.ready (alignment registers features,
claims and documents; research insights and opportunities; launches launches and tasks;
metrics diagnoses and imports), so this package never imports another app. A type names a
model by its label and says who follows an object of it: who hears of a comment on it.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class SubjectType:
    name: str
    model_label: str
    followers: Callable[[models.Model], Iterable[int]]
    commentable: bool

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)


_TYPES: dict[str, SubjectType] = {}


def _nobody(instance) -> list[int]:
    return []


def register(
    name: str,
    model_label: str,
    *,
    followers: Callable[[models.Model], Iterable[int]] = _nobody,
    commentable: bool = True,
) -> None:
    _TYPES[name] = SubjectType(name, model_label, followers, commentable)


def get(name: str) -> SubjectType | None:
    return _TYPES.get(name)


def model_labels() -> dict[str, str]:
    """{type name: model label}, for export and restore."""
    return {name: subject.model_label for name, subject in _TYPES.items()}


def commentable_names() -> list[str]:
    return sorted(name for name, subject in _TYPES.items() if subject.commentable)


def name_of(instance: models.Model) -> str:
    """The registered name of an instance's type ("" when its model is not registered)."""
    label = instance._meta.label
    for name, subject in _TYPES.items():
        if subject.model_label == label:
            return name
    return ""


def resolve(*, workspace, name: str, pk) -> models.Model | None:
    """The workspace's object of that type and id, or None (unknown type, id or workspace)."""
    subject = _TYPES.get(name)
    if subject is None:
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return subject.model.objects.in_workspace(workspace).filter(pk=pk).first()


def followers_of(instance: models.Model) -> list[int]:
    subject = _TYPES.get(name_of(instance))
    return [pk for pk in (subject.followers(instance) if subject else []) if pk]


def register_core() -> None:
    """The core domain's own subjects."""

    def author(instance):
        return [instance.author_id]

    register("feature", "alignment.Feature", commentable=False)
    register("claim", "alignment.Claim", followers=author)
    register("document", "alignment.HandoffDocument", followers=author)
    register(
        "feedback",
        "alignment.Feedback",
        followers=lambda feedback: [feedback.author_id],
        commentable=False,  # feedback has its own answers
    )
    register(
        "objective",
        "alignment.Objective",
        followers=lambda objective: [objective.product_owner_id, objective.marketing_owner_id],
        commentable=False,
    )
