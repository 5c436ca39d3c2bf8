"""Who the research is about: personas and the segments they fall in."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from alignment.tenancy import WorkspaceScopedModel
from research.models._common import MAX_TEXT_LENGTH
from research.models._common import _unique_name
from research.models._common import _url


class Persona(WorkspaceScopedModel):
    """Who the product is for: goals, pains, jobs to be done, where they are, what they use."""

    name = models.CharField(max_length=120)
    summary = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    goals = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    pains = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    jobs_to_be_done = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    channels = models.TextField(blank=True, help_text="Where they are: communities, media, events.")
    current_tools = models.TextField(blank=True, help_text="What they use now.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "workspace",
                Lower("name"),
                name="persona_unique_name_per_workspace",
                violation_error_message="A persona with this name already exists.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "research:persona_detail",
            kwargs={"workspace_slug": self.workspace.slug, "pk": self.pk},
        )


class Segment(WorkspaceScopedModel):
    """A group of customers defined by criteria (size, industry, behaviour...)."""

    name = models.CharField(max_length=120)
    criteria = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    description = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    personas = models.ManyToManyField(Persona, blank=True, related_name="segments")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [_unique_name("segment")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return _url("segment_detail", self)
