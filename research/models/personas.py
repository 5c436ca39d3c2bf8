"""Who the research is about: personas and the segments they fall in."""

from django.core.validators import MaxLengthValidator
from django.db import models

from alignment.routing import detail_url
from alignment.tenancy import WorkspaceScopedModel
from alignment.tenancy import unique_per_workspace
from research.models._common import MAX_TEXT_LENGTH


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
        constraints = [unique_per_workspace("persona")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_url("research:persona_detail", self)


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
        constraints = [unique_per_workspace("segment")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_url("research:segment_detail", self)
