"""The demo workspace that `make run` loads. Idempotent: running it again changes nothing.

The content is data: each app's `demo/data.json` (this one: the workspace, its members,
products and features), laid out by the `__init__.py` beside it, through the app's services
where those write only the rows (products and features here; the workspace is not made by
`workspace_create`, whose signal would bring launches' templates into the core demo). Dates
are offsets in days from `today`, so the demo always looks recent.

Each app adds its part as a step it registers from its `AppConfig.ready` (`register`), so
this package names no other app. Steps run by stage, and within a stage in INSTALLED_APPS
order (an app after those it builds on):

- `Stage.SUBJECTS`: what the core's messaging speaks of (research: the personas and the
  competitor that its positioning, claims and battlecard name);
- `Stage.CORE`: the core's messaging, then the conversation on it (collaboration);
- `Stage.CONTENT`: each app's own content (research, launches, then metrics, which imports
  data about launches' campaigns).

`seed_demo()` lays out the core demo (the workspace, SUBJECTS and CORE), what tests start
from; `manage.py seed_demo` lays out all of it (`complete=True`).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from enum import IntEnum
from functools import cache
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from alignment.models import Feature
from alignment.models import Membership
from alignment.models import Product
from alignment.models import Role
from alignment.models import Workspace
from alignment.services import feature_create
from alignment.services import feature_update
from alignment.services import product_create
from alignment.services import product_update

DATA_FILE = Path(__file__).with_name("data.json")


@cache
def load_data() -> dict:
    """The demo content, read once per process."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


DEMO_PASSWORD = load_data()["password"]
# The ops login of the embedded default: a superuser for /admin/, in no workspace. In
# production ops accounts are made with `manage.py createsuperuser` (README).
DEMO_OPS = load_data()["ops"]
DEMO_WORKSPACE = load_data()["workspace"]
# (username, first name, last name, role): the demo's members.
DEMO_USERS = [
    (user["username"], user["first_name"], user["last_name"], Role(user["role"]))
    for user in load_data()["users"]
]


class Stage(IntEnum):
    SUBJECTS = 1
    CORE = 2
    CONTENT = 3


@dataclass(frozen=True)
class Step:
    seed: Callable[..., None]  # seed(workspace, today=...)
    stage: Stage


_steps: dict[str, Step] = {}


def register(seed: Callable[..., None], *, stage: Stage) -> None:
    """Add `seed(workspace, today=...)` to the demo (from an AppConfig.ready). Registering
    the same function again replaces it in place."""
    _steps[f"{seed.__module__}.{seed.__qualname__}"] = Step(seed, stage)


def registered_steps(*, stages=tuple(Stage)) -> list[Step]:
    """The steps of those stages, in the order they run."""
    chosen = [step for step in _steps.values() if step.stage in stages]
    return sorted(chosen, key=lambda step: step.stage)  # stable: registration order within


@transaction.atomic
def seed_demo(today: date | None = None, *, complete: bool = False) -> Workspace:
    """The core demo; with `complete`, every app's content too (what `make run` shows)."""
    today = today or date.today()
    data = load_data()
    workspace, _ = Workspace.objects.update_or_create(
        slug=DEMO_WORKSPACE["slug"], defaults={"name": DEMO_WORKSPACE["name"]}
    )
    _seed_members(workspace)
    for spec in data["products"]:
        product = _seed_product(workspace, spec)
        for feature in spec["features"]:
            _seed_feature(workspace, product, feature, today)
    stages = tuple(Stage) if complete else (Stage.SUBJECTS, Stage.CORE)
    for step in registered_steps(stages=stages):
        step.seed(workspace, today=today)
    return workspace


def _seed_members(workspace: Workspace) -> None:
    User = get_user_model()
    for username, first, last, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.update_or_create(user=user, workspace=workspace, defaults={"role": role})


def _seed_product(workspace: Workspace, spec: dict) -> Product:
    fields = {"stage": Product.Stage(spec["stage"]), "description": spec["description"]}
    product = Product.objects.in_workspace(workspace).filter(name=spec["name"]).first()
    if product is None:
        return product_create(actor=None, workspace=workspace, name=spec["name"], **fields)
    return product_update(actor=None, product=product, **fields)


def _seed_feature(workspace: Workspace, product: Product, spec: dict, today: date) -> Feature:
    days = spec["release_days"]
    fields = {
        "status": Feature.Status(spec["status"]),
        "release_date": today + timedelta(days=days) if days is not None else None,
        "anticipated_value": spec["anticipated_value"],
    }
    feature = Feature.objects.in_workspace(workspace).filter(product=product, name=spec["name"])
    if not feature.exists():
        return feature_create(
            actor=None, workspace=workspace, product=product, name=spec["name"], **fields
        )
    return feature_update(actor=None, feature=feature.get(), **fields)


def seed_demo_ops():
    """The demo's ops account (superuser); idempotent, its password reset to the demo's."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DEMO_OPS, defaults={"email": f"{DEMO_OPS}@example.com"}
    )
    if created or not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user
