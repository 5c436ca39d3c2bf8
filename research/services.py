"""Writes of the research app: every rule that changes customer knowledge lives here."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from alignment.models import Feature, Workspace
from alignment.services import _apply
from research.models import (
    Competitor,
    Evidence,
    Insight,
    JourneyMap,
    JourneyStage,
    Opportunity,
    OpportunityStatusChange,
    Persona,
    Segment,
    Study,
    StudyResponse,
    Tag,
)

PERSONA_FIELDS = {
    "name", "summary", "goals", "pains", "jobs_to_be_done", "channels", "current_tools",
}  # fmt: skip
SEGMENT_FIELDS = {"name", "criteria", "description"}
STUDY_FIELDS = {"kind", "title", "started_on", "ended_on", "summary"}
INSIGHT_FIELDS = {"title", "body", "evidence", "source", "sentiment", "study"}
OPPORTUNITY_FIELDS = {"title", "persona", "problem", "reason", "signal", "description"}
COMPETITOR_FIELDS = {"name", "website", "positioning", "strengths", "weaknesses"}
JOURNEY_MAP_FIELDS = {"persona", "name", "description"}
STAGE_FIELDS = {"name", "touchpoints", "pains", "opportunities"}
MAX_TAGS = 20


def _split(data: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """Pop the many-to-many values out of `data` (they are set after the row is saved)."""
    return {name: data.pop(name) for name in list(data) if name in names}


def _check_same_workspace(workspace: Workspace, name: str, rows) -> list:
    """Related rows given as objects must be the workspace's own; else a 400 on `name`."""
    rows = list(rows or [])
    if any(row.workspace_id != workspace.pk for row in rows):
        raise ValidationError({name: ["Select a valid choice. That choice does not exist."]})
    return rows


def _save(instance) -> None:
    instance.full_clean()
    instance.save()


# --- Personas, segments, competitors ----------------------------------------------------


@transaction.atomic
def persona_create(*, actor, workspace: Workspace, **data) -> Persona:
    persona = Persona(workspace=workspace)
    _apply(persona, data, PERSONA_FIELDS)
    _save(persona)
    return persona


@transaction.atomic
def persona_update(*, actor, persona: Persona, **data) -> Persona:
    _apply(persona, data, PERSONA_FIELDS)
    _save(persona)
    return persona


@transaction.atomic
def segment_create(*, actor, workspace: Workspace, **data) -> Segment:
    personas = _split(data, {"personas"}).get("personas", [])
    segment = Segment(workspace=workspace)
    _apply(segment, data, SEGMENT_FIELDS)
    _save(segment)
    segment.personas.set(_check_same_workspace(workspace, "personas", personas))
    return segment


@transaction.atomic
def segment_update(*, actor, segment: Segment, **data) -> Segment:
    related = _split(data, {"personas"})
    _apply(segment, data, SEGMENT_FIELDS)
    _save(segment)
    if "personas" in related:
        segment.personas.set(
            _check_same_workspace(segment.workspace, "personas", related["personas"])
        )
    return segment


@transaction.atomic
def competitor_create(*, actor, workspace: Workspace, **data) -> Competitor:
    competitor = Competitor(workspace=workspace)
    _apply(competitor, data, COMPETITOR_FIELDS)
    _save(competitor)
    return competitor


@transaction.atomic
def competitor_update(*, actor, competitor: Competitor, **data) -> Competitor:
    _apply(competitor, data, COMPETITOR_FIELDS)
    _save(competitor)
    return competitor


# --- Studies and survey responses -------------------------------------------------------

STUDY_M2M = {"personas", "segments"}


def _set_related(instance, workspace: Workspace, related: dict[str, Any]) -> None:
    for name, rows in related.items():
        getattr(instance, name).set(_check_same_workspace(workspace, name, rows))


@transaction.atomic
def study_create(*, actor, workspace: Workspace, **data) -> Study:
    related = _split(data, STUDY_M2M)
    study = Study(workspace=workspace)
    _apply(study, data, STUDY_FIELDS)
    _save(study)
    _set_related(study, workspace, related)
    return study


@transaction.atomic
def study_update(*, actor, study: Study, **data) -> Study:
    related = _split(data, STUDY_M2M)
    _apply(study, data, STUDY_FIELDS)
    _save(study)
    _set_related(study, study.workspace, related)
    return study


@transaction.atomic
def study_response_create(*, actor, study: Study, **data) -> StudyResponse:
    response = StudyResponse(workspace=study.workspace, study=study)
    _apply(response, data, {"scale", "score", "respondent", "comment", "submitted_at"})
    if response.submitted_at is None:
        response.submitted_at = timezone.now()
    _save(response)
    return response


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
            _save(tag)
        tags.append(tag)
    return tags


INSIGHT_M2M = {"personas", "features", "competitors"}


@transaction.atomic
def insight_create(*, actor, workspace: Workspace, **data) -> Insight:
    related = _split(data, INSIGHT_M2M)
    tag_names = data.pop("tags", [])
    insight = Insight(workspace=workspace, created_by=actor)
    _apply(insight, data, INSIGHT_FIELDS)
    _save(insight)
    _set_related(insight, workspace, related)
    insight.tags.set(tags_resolve(workspace=workspace, names=tag_names))
    return insight


@transaction.atomic
def insight_update(*, actor, insight: Insight, **data) -> Insight:
    related = _split(data, INSIGHT_M2M)
    tag_names = data.pop("tags", None)
    _apply(insight, data, INSIGHT_FIELDS)
    _save(insight)
    _set_related(insight, insight.workspace, related)
    if tag_names is not None:
        insight.tags.set(tags_resolve(workspace=insight.workspace, names=tag_names))
    return insight


# --- CSV bulk import of insights --------------------------------------------------------

IMPORT_COLUMNS = ["title", "body", "source", "tags", "persona", "feature"]
REQUIRED_COLUMNS = {"title"}
MAX_IMPORT_ROWS = 5_000  # imported in the request: larger files are split by the user


@dataclass
class InsightImportResult:
    rows_read: int = 0
    created: list[Insight] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)  # {line, column, reason}

    @property
    def rows_imported(self) -> int:
        return len(self.created)

    @property
    def rows_rejected(self) -> int:
        return len(self.errors)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": ["The file is not text."]})  # pragma: no cover


def _read_table(upload) -> tuple[list[str], csv.DictReader]:
    size = getattr(upload, "size", None)
    if size is not None and size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError({"file": ["The file is too large."]})
    raw = upload.read()
    if len(raw) > settings.MAX_UPLOAD_SIZE:
        raise ValidationError({"file": ["The file is too large."]})
    if b"\x00" in raw[:4096]:
        raise ValidationError({"file": ["This is not a CSV file."]})
    text = _decode(raw)
    if not text.strip():
        raise ValidationError({"file": ["The file is empty."]})
    first_line = text.splitlines()[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = REQUIRED_COLUMNS - set(headers)
    if missing:
        message = (
            f"Missing column(s): {', '.join(sorted(missing))}. "
            f"Expected: {', '.join(IMPORT_COLUMNS)}."
        )
        raise ValidationError({"file": [message]})
    reader.fieldnames = headers
    return headers, reader


def _find_by_name(queryset, name: str):
    matches = list(queryset.annotate(lower=Lower("name")).filter(lower=name.lower())[:2])
    return matches[0] if len(matches) == 1 else (None if not matches else "ambiguous")


def _resolve_feature(workspace: Workspace, name: str):
    """`Feature` or `Product / Feature`: a name used by two products must say which."""
    features = Feature.objects.in_workspace(workspace).select_related("product")
    if "/" in name:
        product, _, feature = (part.strip() for part in name.partition("/"))
        features = features.annotate(product_lower=Lower("product__name")).filter(
            product_lower=product.lower()
        )
        name = feature
    return _find_by_name(features, name)


def _row_data(workspace: Workspace, row: dict[str, str]) -> tuple[dict[str, Any], list[tuple]]:
    values = {key: (value or "").strip() for key, value in row.items() if key}
    data = {name: values.get(name, "") for name in ("title", "body", "source")}
    data["tags"] = values.get("tags", "")
    errors = []
    if values.get("persona"):
        persona = _find_by_name(Persona.objects.in_workspace(workspace), values["persona"])
        if persona is None:
            errors.append(("persona", f"Unknown persona “{values['persona']}”."))
        else:
            data["personas"] = [persona]
    if values.get("feature"):
        feature = _resolve_feature(workspace, values["feature"])
        if feature is None:
            errors.append(("feature", f"Unknown feature “{values['feature']}”."))
        elif feature == "ambiguous":
            message = (
                f"Several products have a feature “{values['feature']}”: write “Product / Feature”."
            )
            errors.append(("feature", message))
        else:
            data["features"] = [feature]
    return data, errors


def insight_import_csv(*, actor, workspace: Workspace, file) -> InsightImportResult:
    """Create one insight per CSV row (title, body, source, tags, persona, feature).

    A bad row is reported with its line number, column and reason; the good rows still land
    (each row is its own savepoint). A file that is not a usable table fails as a whole.
    """
    _, reader = _read_table(file)
    rows = []
    for row in reader:
        rows.append((reader.line_num, row))
        if len(rows) > MAX_IMPORT_ROWS:
            raise ValidationError(
                {
                    "file": [
                        f"At most {MAX_IMPORT_ROWS} rows per file: split it and import each part."
                    ]
                }
            )
    result = InsightImportResult()
    for line, row in rows:
        result.rows_read += 1
        if None in row:  # more cells than headers
            result.errors.append(
                {"line": line, "column": "", "reason": "Too many cells in this row."}
            )
            continue
        data, errors = _row_data(workspace, row)
        if errors:
            result.errors.extend({"line": line, "column": c, "reason": r} for c, r in errors)
            continue
        try:
            result.created.append(insight_create(actor=actor, workspace=workspace, **data))
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                column = "" if column == "__all__" else column
                result.errors.extend(
                    {"line": line, "column": column, "reason": message} for message in messages
                )
    return result


# --- Opportunities, evidence and the status flow ----------------------------------------


HYPOTHESIS = re.compile(
    r"^\s*we believe\s+(?P<persona>.+?)\s+(?:has|have)\s+(?P<problem>.+?)\s+because\s+"
    r"(?P<reason>.+?)\s*;\s*we will know we are right when\s+(?P<signal>.+?)\s*\.?\s*$",
    re.IGNORECASE | re.DOTALL,
)
ANY_CUSTOMER = "our customers"


def _hypothesis_parts(workspace: Workspace, text: str) -> dict[str, Any]:
    """'We believe <persona> has <problem> because <reason>; we will know we are right when
    <signal>' -> the opportunity's persona, problem, reason and signal."""
    match = HYPOTHESIS.match(text or "")
    if match is None:
        raise ValidationError(
            {
                "hypothesis": [
                    "Write it as “We believe <persona> has <problem> because <reason>; "
                    "we will know we are right when <signal>”."
                ]
            }
        )
    parts = {name: match.group(name).strip() for name in ("problem", "reason", "signal")}
    name = match.group("persona").strip()
    persona = None
    if name.lower() != ANY_CUSTOMER:
        persona = _find_by_name(Persona.objects.in_workspace(workspace), name)
        if persona is None:
            raise ValidationError({"hypothesis": [f"Unknown persona “{name}”."]})
    return {"persona": persona, **parts}


def _with_hypothesis(workspace: Workspace, data: dict[str, Any]) -> dict[str, Any]:
    """A hypothesis sentence fills the parts it names; parts given explicitly win."""
    hypothesis = data.pop("hypothesis", None)
    if not hypothesis:
        return data
    return {**_hypothesis_parts(workspace, hypothesis), **data}


@transaction.atomic
def opportunity_create(*, actor, workspace: Workspace, **data) -> Opportunity:
    data = _with_hypothesis(workspace, data)
    related = _split(data, {"features"})
    opportunity = Opportunity(workspace=workspace, created_by=actor)
    _apply(opportunity, data, OPPORTUNITY_FIELDS)
    _save(opportunity)
    _set_related(opportunity, workspace, related)
    return opportunity


@transaction.atomic
def opportunity_update(*, actor, opportunity: Opportunity, **data) -> Opportunity:
    if "status" in data:
        raise ValidationError({"status": ["Change the status through the status action."]})
    data = _with_hypothesis(opportunity.workspace, data)
    related = _split(data, {"features"})
    _apply(opportunity, data, OPPORTUNITY_FIELDS)
    _save(opportunity)
    _set_related(opportunity, opportunity.workspace, related)
    return opportunity


@transaction.atomic
def opportunity_set_status(
    *, actor, opportunity: Opportunity, status: str, reason: str = ""
) -> Opportunity:
    """Move along identified -> validating -> validated | invalidated, recording who and why."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if status not in Opportunity.Status.values:
        raise ValidationError({"status": [f"“{status}” is not a status."]})
    if not opportunity.can_move_to(status):
        allowed = ", ".join(sorted(opportunity.TRANSITIONS[opportunity.status])) or "none"
        message = (
            f"An opportunity cannot go from {opportunity.status} to {status} (allowed: {allowed})."
        )
        raise ValidationError({"status": [message]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Say why the status changes."]})
    change = OpportunityStatusChange(
        workspace=opportunity.workspace,
        opportunity=opportunity,
        from_status=opportunity.status,
        to_status=status,
        reason=reason,
        changed_by=actor,
    )
    _save(change)
    opportunity.status = status
    opportunity.status_reason = reason
    opportunity.status_changed_by = actor
    opportunity.status_changed_at = change.changed_at
    _save(opportunity)
    return opportunity


@transaction.atomic
def evidence_add(*, actor, opportunity: Opportunity, insight: Insight, stance: str) -> Evidence:
    """Link an insight for or against the hypothesis; linking it again changes its stance."""
    _check_same_workspace(opportunity.workspace, "insight", [insight])
    evidence = Evidence.objects.filter(opportunity=opportunity, insight=insight).first()
    if evidence is None:
        evidence = Evidence(
            workspace=opportunity.workspace,
            opportunity=opportunity,
            insight=insight,
            added_by=actor,
        )
    evidence.stance = stance
    _save(evidence)
    Opportunity.objects.filter(pk=opportunity.pk).update(updated_at=timezone.now())
    return evidence


@transaction.atomic
def evidence_remove(*, actor, evidence: Evidence) -> None:
    evidence.delete()


# --- Journey maps -----------------------------------------------------------------------


def _replace_stages(journey_map: JourneyMap, stages: list[dict[str, Any]]) -> None:
    journey_map.stages.all().delete()
    errors = {}
    for position, stage_data in enumerate(stages, start=1):
        stage = JourneyStage(
            workspace=journey_map.workspace, journey_map=journey_map, position=position
        )
        try:
            _apply(stage, dict(stage_data), STAGE_FIELDS)
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
    _apply(journey_map, data, JOURNEY_MAP_FIELDS)
    _save(journey_map)
    _replace_stages(journey_map, stages)
    return journey_map


@transaction.atomic
def journey_map_update(*, actor, journeymap: JourneyMap, **data) -> JourneyMap:
    stages = data.pop("stages", None)
    _apply(journeymap, data, JOURNEY_MAP_FIELDS)
    _save(journeymap)
    if stages is not None:
        _replace_stages(journeymap, stages)
    return journeymap
