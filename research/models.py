from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from alignment.tenancy import WorkspaceScopedModel


class Persona(WorkspaceScopedModel):
    """Who the product is for: goals, pains, jobs to be done, where they are, what they use."""

    name = models.CharField(max_length=120)
    summary = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    pains = models.TextField(blank=True)
    jobs_to_be_done = models.TextField(blank=True)
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


class Competitor(WorkspaceScopedModel):
    """A competing product; insights mention it and battlecards argue against it."""

    name = models.CharField(max_length=120)
    website = models.URLField(blank=True)
    positioning = models.TextField(blank=True, help_text="How they describe themselves.")
    strengths = models.TextField(blank=True)
    weaknesses = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "workspace",
                Lower("name"),
                name="competitor_unique_name_per_workspace",
                violation_error_message="A competitor with this name already exists.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "research:competitor_detail",
            kwargs={"workspace_slug": self.workspace.slug, "pk": self.pk},
        )
