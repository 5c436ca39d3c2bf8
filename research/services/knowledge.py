"""Writes of personas, segments, competitors, studies, tags, insights and journey maps."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from alignment.models import Workspace
from alignment.writes import assign_fields
from alignment.writes import check_same_workspace
from alignment.writes import create_row
from alignment.writes import save_clean
from alignment.writes import update_row
from research.models import Competitor
from research.models import Insight
from research.models import JourneyMap
from research.models import JourneyStage
from research.models import Persona
from research.models import Segment
from research.models import Study
from research.models import Tag
from research.semantic.embeddings import EMBEDDED_FIELDS
from research.services._common import set_related
from research.services._common import split_related
from research.services.similarity import insight_embeddings_enqueue
from research.services.themes import themes_recompute_soon

PERSONA_FIELDS = (
    "name",
    "summary",
    "goals",
    "pains",
    "jobs_to_be_done",
    "channels",
    "current_tools",
)
SEGMENT_FIELDS = {"name", "criteria", "description"}
STUDY_FIELDS = ("title", "kind", "started_on", "ended_on", "summary", "survey")
INSIGHT_FIELDS = ("title", "body", "evidence", "source", "sentiment", "study")
COMPETITOR_FIELDS = ("name", "website", "positioning", "strengths", "weaknesses")
JOURNEY_MAP_FIELDS = ("persona", "name", "description")
STAGE_FIELDS = {"name", "touchpoints", "pains", "opportunities"}
MAX_TAGS = 20


# --- Personas, segments, competitors ----------------------------------------------------


@transaction.atomic
def persona_create(*, actor, workspace: Workspace, **data) -> Persona:
    return create_row(Persona, workspace=workspace, data=data, fields=PERSONA_FIELDS)


@transaction.atomic
def persona_update(*, actor, persona: Persona, **data) -> Persona:
    return update_row(persona, data=data, fields=PERSONA_FIELDS)


@transaction.atomic
def segment_create(*, actor, workspace: Workspace, **data) -> Segment:
    personas = split_related(data, {"personas"}).get("personas", [])
    segment = Segment(workspace=workspace)
    assign_fields(segment, data, SEGMENT_FIELDS)
    save_clean(segment)
    segment.personas.set(check_same_workspace(workspace, "personas", personas))
    return segment


@transaction.atomic
def segment_update(*, actor, segment: Segment, **data) -> Segment:
    related = split_related(data, {"personas"})
    assign_fields(segment, data, SEGMENT_FIELDS)
    save_clean(segment)
    if "personas" in related:
        segment.personas.set(
            check_same_workspace(segment.workspace, "personas", related["personas"])
        )
    return segment


@transaction.atomic
def competitor_create(*, actor, workspace: Workspace, **data) -> Competitor:
    return create_row(Competitor, workspace=workspace, data=data, fields=COMPETITOR_FIELDS)


@transaction.atomic
def competitor_update(*, actor, competitor: Competitor, **data) -> Competitor:
    return update_row(competitor, data=data, fields=COMPETITOR_FIELDS)


# --- Studies and survey responses -------------------------------------------------------

STUDY_M2M = {"personas", "segments"}


@transaction.atomic
def study_create(*, actor, workspace: Workspace, **data) -> Study:
    related = split_related(data, STUDY_M2M)
    study = Study(workspace=workspace)
    assign_fields(study, data, STUDY_FIELDS)
    save_clean(study)
    set_related(study, workspace, related)
    return study


@transaction.atomic
def study_update(*, actor, study: Study, **data) -> Study:
    related = split_related(data, STUDY_M2M)
    assign_fields(study, data, STUDY_FIELDS)
    save_clean(study)
    set_related(study, study.workspace, related)
    return study


# --- Tags and insights ------------------------------------------------------------------


def _clean_tag_names(names) -> list[str]:
    if isinstance(names, str):
        names = names.replace(";", ",").split(",")
    cleaned, seen = [], set()
    for name in names or []:
        name = " ".join(str(name).split()).strip().lstrip("#")
        if not name:
            continue
        if len(name) > Tag._meta.get_field("name").max_length:
            raise ValidationError(
                {"tags": [f"Tag “{name[:20]}…” is too long (60 characters at most)."]}
            )
        if name.lower() not in seen:
            seen.add(name.lower())
            cleaned.append(name)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": [f"At most {MAX_TAGS} tags per insight."]})
    return cleaned


def tags_resolve(*, workspace: Workspace, names) -> list[Tag]:
    """The workspace's tags with these names (any case), creating the missing ones."""
    names = _clean_tag_names(names)
    existing = {
        tag.name.lower(): tag
        for tag in Tag.objects.in_workspace(workspace)
        .annotate(lower=Lower("name"))
        .filter(lower__in=[name.lower() for name in names])
    }
    tags = []
    for name in names:
        tag = existing.get(name.lower())
        if tag is None:
            tag = Tag(workspace=workspace, name=name)
            save_clean(tag)
        tags.append(tag)
    return tags


INSIGHT_M2M = {"personas", "features", "competitors"}


@transaction.atomic
def insight_create(*, actor, workspace: Workspace, **data) -> Insight:
    related = split_related(data, INSIGHT_M2M)
    tag_names = data.pop("tags", [])
    insight = Insight(workspace=workspace, created_by=actor)
    assign_fields(insight, data, INSIGHT_FIELDS)
    save_clean(insight)
    set_related(insight, workspace, related)
    insight.tags.set(tags_resolve(workspace=workspace, names=tag_names))
    themes_recompute_soon(workspace=workspace)
    insight_embeddings_enqueue(workspace=workspace, insight_ids=[insight.pk])
    return insight


@transaction.atomic
def insight_update(*, actor, insight: Insight, **data) -> Insight:
    related = split_related(data, INSIGHT_M2M)
    tag_names = data.pop("tags", None)
    assign_fields(insight, data, INSIGHT_FIELDS)
    save_clean(insight)
    set_related(insight, insight.workspace, related)
    if tag_names is not None:
        insight.tags.set(tags_resolve(workspace=insight.workspace, names=tag_names))
    themes_recompute_soon(workspace=insight.workspace)
    if EMBEDDED_FIELDS & data.keys():
        insight_embeddings_enqueue(workspace=insight.workspace, insight_ids=[insight.pk])
    return insight


@transaction.atomic
def insight_delete(*, actor, instance: Insight) -> None:
    workspace = instance.workspace
    instance.delete()
    themes_recompute_soon(workspace=workspace)


# --- Journey maps -----------------------------------------------------------------------


def _replace_stages(journey_map: JourneyMap, stages: list[dict[str, Any]]) -> None:
    journey_map.stages.all().delete()
    errors = {}
    for position, stage_data in enumerate(stages, start=1):
        stage = JourneyStage(
            workspace=journey_map.workspace, journey_map=journey_map, position=position
        )
        try:
            assign_fields(stage, dict(stage_data), STAGE_FIELDS)
            stage.full_clean()
        except ValidationError as error:
            errors[f"stages[{position - 1}]"] = [
                f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
            ]
            continue
        stage.save()
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def journey_map_create(*, actor, workspace: Workspace, **data) -> JourneyMap:
    stages = data.pop("stages", [])
    journey_map = JourneyMap(workspace=workspace)
    assign_fields(journey_map, data, JOURNEY_MAP_FIELDS)
    save_clean(journey_map)
    _replace_stages(journey_map, stages)
    return journey_map


@transaction.atomic
def journey_map_update(*, actor, journeymap: JourneyMap, **data) -> JourneyMap:
    stages = data.pop("stages", None)
    assign_fields(journeymap, data, JOURNEY_MAP_FIELDS)
    save_clean(journeymap)
    if stages is not None:
        _replace_stages(journeymap, stages)
    return journeymap
