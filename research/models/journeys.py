"""Journey maps of a persona and their ordered stages."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower

from alignment.routing import detail_url
from alignment.tenancy import WorkspaceScopedModel
from research.models._common import MAX_TEXT_LENGTH
from research.models.personas import Persona


class JourneyMap(WorkspaceScopedModel):
    """A persona's journey: ordered stages with touchpoints, pains and opportunities."""

    persona = models.ForeignKey(Persona, on_delete=models.CASCADE, related_name="journey_maps")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["persona__name", "name"]
        constraints = [
            models.UniqueConstraint(
                "persona",
                Lower("name"),
                name="journey_map_unique_name_per_persona",
                violation_error_message="This persona already has a journey map with this name.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_url("research:journeymap_detail", self)


class JourneyStage(WorkspaceScopedModel):
    journey_map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    touchpoints = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    pains = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    opportunities = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])

    class Meta:
        ordering = ["journey_map", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey_map", "position"], name="journey_stage_unique_position"
            )
        ]

    def __str__(self):
        return self.name
