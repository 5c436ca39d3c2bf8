"""Opportunities: hypotheses, their evidence and the status flow."""

from __future__ import annotations

import difflib
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alignment.models import Workspace
from alignment.writes import assign_fields
from alignment.writes import check_same_workspace
from alignment.writes import save_clean
from research import scoring
from research.models import MAX_TEXT_LENGTH
from research.models import Evidence
from research.models import Highlight
from research.models import Insight
from research.models import Opportunity
from research.models import OpportunityStatusChange
from research.models import Persona
from research.services._common import set_related
from research.services._common import split_related
from research.services.roadmap import opportunity_score_input

OPPORTUNITY_FIELDS = {
    "title",
    "persona",
    "problem",
    "reason",
    "signal",
    "description",
    "hypothesis_text",
    # RICE inputs and the roadmap (research.scoring, research.services.roadmap)
    *scoring.RICE_FIELDS,
    "horizon",
    "roadmap_position",
}
HYPOTHESIS_PARTS = ("persona", "problem", "reason", "signal")


HYPOTHESIS = re.compile(
    r"^\s*we believe\s+(?P<persona>.+?)\s+(?:has|have)\s+(?P<problem>.+?)\s+because\s+"
    r"(?P<reason>.+?)\s*;\s*we will know we are right when\s+(?P<signal>.+?)\s*\.?\s*$",
    re.IGNORECASE | re.DOTALL,
)
ANY_CUSTOMER = "our customers"
# "We believe a/the/our freelance designers …": the persona is what follows.
ARTICLES = re.compile(r"^(?:(?:a|an|the|our|some|many|most|all|of|these|those)\s+)+", re.I)
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
MAX_PERSONA_PHRASE = 200  # longer "who" parts are not a persona's name


def _singular(word: str) -> str:
    """A plural English word's singular, by the common rules (designers, companies, coaches)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def persona_key(text: str) -> str:
    """What a persona's name and a phrase naming it share: lower case, no leading article,
    every word singular ("The freelance Designers" -> "freelance designer")."""
    text = ARTICLES.sub("", " ".join((text or "")[:MAX_PERSONA_PHRASE].split()))
    return " ".join(_singular(word) for word in WORD.findall(text.lower()))


def _personas(workspace: Workspace, personas=None) -> list[Persona]:
    if personas is not None:
        return personas
    return list(Persona.objects.in_workspace(workspace).only("id", "name").order_by("name"))


def persona_named(workspace: Workspace, phrase: str, personas=None) -> Persona | None:
    """The workspace's one persona `phrase` names, in any case, singular or plural."""
    key = persona_key(phrase)
    if not key:
        return None
    matches = [
        persona for persona in _personas(workspace, personas) if persona_key(persona.name) == key
    ]
    return matches[0] if len(matches) == 1 else None


def hypothesis_suggested_persona(*, opportunity: Opportunity, personas=None) -> Persona | None:
    """The persona an unlinked hypothesis most likely means: the closest name (difflib) to
    its "We believe <who>" part, or a persona its free text names. None when it is linked."""
    text = opportunity.hypothesis_text
    if opportunity.persona_id or not text:
        return None
    personas = _personas(opportunity.workspace, personas)
    by_key = {}
    for persona in personas:
        by_key.setdefault(persona_key(persona.name), persona)
    by_key.pop("", None)
    match = HYPOTHESIS.match(text)
    if match is not None:
        who = persona_key(match.group("persona"))
        if not who or who == persona_key(ANY_CUSTOMER):
            return None
        close = difflib.get_close_matches(who, list(by_key), n=1, cutoff=0.6)
        return by_key[close[0]] if close else None
    # Free text: a persona named anywhere in it (word for word, any case or number).
    words = f" {persona_key(text[:MAX_TEXT_LENGTH])} "
    for key, persona in sorted(by_key.items(), key=lambda item: -len(item[0])):
        if f" {key} " in words:
            return persona
    return None


def _hypothesis_parts(workspace: Workspace, text: str) -> dict[str, Any]:
    """A hypothesis is free text and is never refused.

    In the "We believe <who> has <problem> because <reason>; we will know we are right
    when <signal>" shape it fills the parts, and links the persona <who> names (any case,
    singular or plural, with or without an article); an unknown <who> leaves the persona
    empty and keeps the sentence as written in hypothesis_text. In any other shape the
    whole text is kept in hypothesis_text and the parts are left alone.
    """
    text = (text or "").strip()
    match = HYPOTHESIS.match(text)
    if match is None:
        return {"hypothesis_text": text}
    parts = {name: match.group(name).strip() for name in ("problem", "reason", "signal")}
    who = match.group("persona").strip()
    if persona_key(who) == persona_key(ANY_CUSTOMER):
        return {"persona": None, "hypothesis_text": "", **parts}
    persona = persona_named(workspace, who)
    return {"persona": persona, "hypothesis_text": "" if persona else text, **parts}


def _with_hypothesis(
    workspace: Workspace, data: dict[str, Any], opportunity: Opportunity | None = None
) -> dict[str, Any]:
    """A hypothesis sentence fills the parts it names; parts given explicitly win. Parts
    changed without a sentence replace a hypothesis kept as written."""
    hypothesis = data.pop("hypothesis", None)
    if hypothesis is None:
        if (
            opportunity is not None
            and opportunity.hypothesis_text
            and "hypothesis_text" not in data
        ):
            changed = {
                name
                for name in HYPOTHESIS_PARTS
                if name in data and data[name] != getattr(opportunity, name)
            }
            # New parts replace the sentence; a persona linked to a sentence in the shape
            # too (its parts rebuild it), but never to free text (it would be lost).
            shaped = HYPOTHESIS.match(opportunity.hypothesis_text) is not None
            if changed - {"persona"} or (changed and shaped):
                data["hypothesis_text"] = ""
        return data
    if not hypothesis.strip():
        return {"hypothesis_text": "", **data}
    return {**_hypothesis_parts(workspace, hypothesis), **data}


@transaction.atomic
def opportunity_create(*, actor, workspace: Workspace, **data) -> Opportunity:
    data = _with_hypothesis(workspace, data)
    related = split_related(data, {"features"})
    opportunity = Opportunity(workspace=workspace, created_by=actor)
    data = opportunity_score_input(opportunity=opportunity, data=data)
    assign_fields(opportunity, data, OPPORTUNITY_FIELDS)
    save_clean(opportunity)
    set_related(opportunity, workspace, related)
    return opportunity


@transaction.atomic
def opportunity_update(*, actor, opportunity: Opportunity, **data) -> Opportunity:
    if "status" in data:
        raise ValidationError({"status": ["Change the status through the status action."]})
    data = _with_hypothesis(opportunity.workspace, data, opportunity)
    related = split_related(data, {"features"})
    data = opportunity_score_input(opportunity=opportunity, data=data)
    assign_fields(opportunity, data, OPPORTUNITY_FIELDS)
    save_clean(opportunity)
    set_related(opportunity, opportunity.workspace, related)
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
    save_clean(change)
    opportunity.status = status
    opportunity.status_reason = reason
    opportunity.status_changed_by = actor
    opportunity.status_changed_at = change.changed_at
    save_clean(opportunity)
    return opportunity


@transaction.atomic
def evidence_add(
    *,
    actor,
    opportunity: Opportunity,
    stance: str,
    insight: Insight | None = None,
    highlight: Highlight | None = None,
) -> Evidence:
    """Link an insight, or a highlighted passage of one, for or against the hypothesis;
    linking the same again changes its stance."""
    if highlight is not None:
        check_same_workspace(opportunity.workspace, "highlight", [highlight])
        if insight is not None and insight.pk != highlight.insight_id:
            raise ValidationError(
                {"highlight": ["This highlight is a passage of another insight."]}
            )
        insight = highlight.insight
    if insight is None:
        raise ValidationError({"insight": ["Name the insight (or a highlight of it)."]})
    check_same_workspace(opportunity.workspace, "insight", [insight])
    existing = Evidence.objects.filter(opportunity=opportunity)
    if highlight is not None:
        existing = existing.filter(highlight=highlight)
    else:
        existing = existing.filter(insight=insight, highlight__isnull=True)
    evidence = existing.first()
    if evidence is None:
        evidence = Evidence(
            workspace=opportunity.workspace,
            opportunity=opportunity,
            insight=insight,
            highlight=highlight,
            added_by=actor,
        )
    evidence.stance = stance
    save_clean(evidence)
    Opportunity.objects.filter(pk=opportunity.pk).update(updated_at=timezone.now())
    return evidence


@transaction.atomic
def evidence_remove(*, actor, evidence: Evidence) -> None:
    evidence.delete()
