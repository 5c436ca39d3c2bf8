"""What every research model module shares: the length caps on long text, the detail
URL and the case-insensitive unique name per workspace."""

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

# Long text is capped so one request cannot store megabytes of prose.
MAX_BODY_LENGTH = 20_000
MAX_TEXT_LENGTH = 5_000


def _url(name: str, obj) -> str:
    return reverse(f"research:{name}", kwargs={"workspace_slug": obj.workspace.slug, "pk": obj.pk})


def _unique_name(model: str, field: str = "name"):
    return models.UniqueConstraint(
        "workspace",
        Lower(field),
        name=f"{model}_unique_{field}_per_workspace",
        violation_error_message=f"A {model.replace('_', ' ')} with this {field} already exists.",
    )
