"""Demo research for the demo workspace: personas, studies, 30+ insights, opportunities with
evidence, competitors and a journey map. Idempotent: rows are matched on natural keys.

Two steps of the demo (`alignment.demo`, registered in `ResearchConfig.ready`):
`seed_subjects`, the personas and competitors the core's messaging cites, before it; and
`seed`, all of research's content, after the core.

The content lives in `data.json` next to this module, so it can be read and edited as data;
this module only lays it out. Dates are offsets from `today` (a study's `start_days` and
`length_days`), so the demo always looks recent.
"""

import json
from datetime import date
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from alignment.messaging.demo import subjects
from alignment.models import Feature
from alignment.models import Workspace
from research.models import Competitor
from research.models import Evidence
from research.models import Insight
from research.models import JourneyMap
from research.models import JourneyStage
from research.models import Opportunity
from research.models import OpportunityStatusChange
from research.models import Persona
from research.models import Segment
from research.models import Study
from research.models import Tag

DATA_FILE = Path(__file__).with_name("data.json")


@cache
def load_data() -> dict:
    """The demo content, read once per process (it is the same for every workspace)."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def _features(workspace: Workspace) -> dict[str, Feature]:
    return {feature.name: feature for feature in Feature.objects.in_workspace(workspace)}


STEPS = {
    Opportunity.Status.VALIDATING: [("identified", "validating")],
    Opportunity.Status.VALIDATED: [("identified", "validating"), ("validating", "validated")],
}


def _record_history(opportunity: Opportunity, status: str, reason: str) -> None:
    """The status changes that led to the demo status, by the demo PMM."""
    actor = get_user_model().objects.filter(username="demo-pmm").first()
    for from_status, to_status in STEPS.get(status, []):
        OpportunityStatusChange.objects.update_or_create(
            workspace=opportunity.workspace,
            opportunity=opportunity,
            to_status=to_status,
            defaults={
                "from_status": from_status,
                "changed_by": actor,
                "reason": reason if to_status == status else "Enough early signal to test.",
            },
        )
    if status in STEPS:
        Opportunity.objects.filter(pk=opportunity.pk).update(status_changed_by=actor)
        Opportunity.objects.filter(pk=opportunity.pk, status_changed_at__isnull=True).update(
            status_changed_at=timezone.now()
        )


def _seed_rows(model, workspace: Workspace, specs: dict[str, dict], names=None) -> dict:
    """Personas or competitors by name (those `names` only, if given)."""
    return {
        name: model.objects.update_or_create(workspace=workspace, name=name, defaults=fields)[0]
        for name, fields in specs.items()
        if names is None or name in names
    }


@transaction.atomic
def seed_subjects(workspace: Workspace, today: date | None = None) -> None:
    """The personas and competitors the core's demo messaging cites (its positioning,
    claims and battlecard), laid out before it (`alignment.demo.Stage.SUBJECTS`)."""
    data, cited = load_data(), subjects()
    for model, key in ((Persona, "personas"), (Competitor, "competitors")):
        missing = set(cited[key]) - set(data[key])
        if missing:
            raise ValueError(f"The demo's messaging cites {key} research has not: {missing}")
        _seed_rows(model, workspace, data[key], names=cited[key])


@transaction.atomic
def seed(workspace: Workspace, today: date | None = None) -> None:
    today = today or date.today()
    data = load_data()
    features = _features(workspace)

    def pick(names, table):
        return [table[name] for name in names if name in table]

    personas = _seed_rows(Persona, workspace, data["personas"])
    for name, spec in data["segments"].items():
        segment, _ = Segment.objects.update_or_create(
            workspace=workspace, name=name, defaults={"criteria": spec["criteria"]}
        )
        segment.personas.set(pick(spec["personas"], personas))
    competitors = _seed_rows(Competitor, workspace, data["competitors"])
    studies = {}
    for key, spec in data["studies"].items():
        studies[key], _ = Study.objects.update_or_create(
            workspace=workspace,
            title=spec["title"],
            defaults={
                "kind": Study.Kind(spec["kind"]),
                "started_on": today + timedelta(days=spec["start_days"]),
                "ended_on": today + timedelta(days=spec["start_days"] + spec["length_days"]),
                "summary": spec["summary"],
                # The survey that metrics' demo imports: the study page shows its NPS.
                "survey": spec.get("survey", ""),
            },
        )
        studies[key].personas.set(pick(spec["personas"], personas))

    insights = {}
    for spec in data["insights"]:
        insight, _ = Insight.objects.update_or_create(
            workspace=workspace,
            title=spec["title"],
            defaults={
                "sentiment": spec["sentiment"],
                "source": spec["source"],
                "study": studies[spec["study"]],
                "evidence": spec["evidence"],
                "body": spec["body"],
            },
        )
        insight.personas.set(pick(spec["personas"], personas))
        insight.features.set(pick(spec["features"], features))
        insight.competitors.set(pick(spec["competitors"], competitors))
        insight.tags.set(
            [Tag.objects.get_or_create(workspace=workspace, name=name)[0] for name in spec["tags"]]
        )
        insights[spec["title"]] = insight

    for title, spec in data["opportunities"].items():
        status = Opportunity.Status(spec["status"])
        opportunity, _ = Opportunity.objects.update_or_create(
            workspace=workspace,
            title=title,
            defaults={
                "persona": personas[spec["persona"]],
                "problem": spec["problem"],
                "reason": spec["reason"],
                "signal": spec["signal"],
                "status": status,
                "status_reason": spec["status_reason"],
            },
        )
        opportunity.features.set(pick(spec["features"], features))
        scoring = spec.get("scoring", {})
        Opportunity.objects.filter(pk=opportunity.pk).update(
            impact=scoring.get("impact"),
            effort=scoring.get("effort"),
            horizon=scoring.get("horizon"),
        )
        _record_history(opportunity, status, spec["status_reason"])
        for insight_title, stance in spec["evidence"].items():
            Evidence.objects.update_or_create(
                workspace=workspace,
                opportunity=opportunity,
                insight=insights[insight_title],
                defaults={"stance": stance},
            )

    _seed_highlights(workspace, data, insights, personas)
    _seed_themes(workspace, data, insights)

    spec = data["journey"]
    journey, _ = JourneyMap.objects.update_or_create(
        workspace=workspace,
        persona=personas[spec["persona"]],
        name=spec["name"],
        defaults={"description": spec["description"]},
    )
    for position, stage in enumerate(spec["stages"], start=1):
        JourneyStage.objects.update_or_create(
            workspace=workspace,
            journey_map=journey,
            position=position,
            defaults={
                "name": stage["name"],
                "touchpoints": stage["touchpoints"],
                "pains": stage["pains"],
                "opportunities": stage["opportunities"],
            },
        )


def _seed_highlights(workspace, data, insights, personas) -> None:
    """Passages of the demo's insights, highlighted through the service (once)."""
    from research.services.highlights import highlight_create

    for spec in data["highlights"]:
        insight = insights[spec["insight"]]
        start = insight.body.find(spec["passage"])
        if start < 0 or insight.highlights.filter(start=start).exists():
            continue
        highlight_create(
            actor=None,
            workspace=workspace,
            insight=insight,
            start=start,
            end=start + len(spec["passage"]),
            tags=spec["tags"],
            persona=personas.get(spec["persona"] or ""),
        )


def _seed_themes(workspace, data, insights) -> None:
    """Themes named by hand (a recompute adds the ones the text model finds)."""
    from research.models import Theme
    from research.services.theme_edits import theme_create

    for spec in data["themes"]:
        if Theme.objects.in_workspace(workspace).filter(label=spec["label"]).exists():
            continue
        theme_create(
            actor=None,
            workspace=workspace,
            label=spec["label"],
            insights=[insights[title] for title in spec["insights"]],
            pinned=spec["pinned"],
        )
