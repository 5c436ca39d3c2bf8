"""Demo messaging for the demo workspace: positioning, claims (one about a feature still in
beta, so flagged), a press release, a battlecard, an objective with KPI targets, feedback
both ways and a sync meeting with action items. Idempotent: natural keys, update_or_create.

The content lives in `data.json` next to this module; dates are offsets in days from
`today`. The rows are written here, not through messaging's services: those also record
the activity of each change, and the demo shows exactly the three events in `activity`.

The persona and the competitor it names are research's rows, laid out by research's demo
before this step (`alignment.demo.Stage.SUBJECTS`; research reads `subjects()` to know
which). They are found through messaging's own relations to them, so the core imports no
other app.
"""

from __future__ import annotations

import json
from datetime import date
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from alignment.messaging.handoff_templates import document_template
from alignment.messaging.models import ActionItem
from alignment.messaging.models import ActivityEvent
from alignment.messaging.models import Claim
from alignment.messaging.models import Feedback
from alignment.messaging.models import FeedbackComment
from alignment.messaging.models import HandoffDocument
from alignment.messaging.models import Objective
from alignment.messaging.models import ObjectiveTarget
from alignment.messaging.models import Positioning
from alignment.messaging.models import PositioningVersion
from alignment.messaging.models import ReviewStatus
from alignment.messaging.models import SyncMeeting
from alignment.models import Feature
from alignment.models import Product
from alignment.models import Workspace

DATA_FILE = Path(__file__).with_name("data.json")


@cache
def load_data() -> dict:
    """The demo content, read once per process (it is the same for every workspace)."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def subjects() -> dict[str, list[str]]:
    """The names of the research rows this demo cites: {"personas": [...], "competitors":
    [...]}, in the order they are first cited."""
    data = load_data()
    personas = [data["positioning"]["persona"]]
    personas += [name for claim in data["claims"] for name in claim["personas"]]
    competitors = [doc["competitor"] for doc in data["documents"] if doc["competitor"]]
    return {"personas": list(dict.fromkeys(personas)), "competitors": competitors}


def _cited(model, relation: str, workspace: Workspace, names) -> dict:
    """The rows of research that `model.relation` points at, by name (the demo's subjects)."""
    related = model._meta.get_field(relation).related_model
    return {row.name: row for row in related.objects.in_workspace(workspace).filter(name__in=names)}


def _quarter(today: date) -> tuple[date, date]:
    start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end_month = start.month + 2
    next_start = date(start.year + (end_month // 12), end_month % 12 + 1, 1)
    return start, next_start - timedelta(days=1)


@transaction.atomic
def seed(workspace: Workspace, today: date | None = None) -> None:
    today = today or date.today()
    data = load_data()
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__startswith="demo-")
    }
    products = {product.name: product for product in Product.objects.in_workspace(workspace)}
    features = {feature.name: feature for feature in Feature.objects.in_workspace(workspace)}
    cited = subjects()
    personas = _cited(Positioning, "persona", workspace, cited["personas"])
    competitors = _cited(HandoffDocument, "competitor", workspace, cited["competitors"])

    spec = data["positioning"]
    statement = spec["statement"]
    positioning, _ = Positioning.objects.update_or_create(
        workspace=workspace,
        product=products[spec["product"]],
        persona=personas[spec["persona"]],
        defaults={**statement, "version": 2},
    )
    first = {**statement, **spec["first_version"]}
    for number, version in [(1, first), (2, statement)]:
        PositioningVersion.objects.update_or_create(
            workspace=workspace,
            positioning=positioning,
            number=number,
            defaults={**version, "author": users[spec["author"]]},
        )

    now = timezone.now()
    claims = {}
    for spec in data["claims"]:
        feature, reviewer = features[spec["feature"]], users.get(spec["reviewer"] or "")
        claims[spec["headline"]], _ = Claim.objects.update_or_create(
            workspace=workspace,
            headline=spec["headline"],
            defaults={
                "feature": feature,
                "author": users[spec["author"]],
                "status": ReviewStatus(spec["status"]),
                "proof_point": spec["proof_point"],
                "body": f"{feature.anticipated_value}",
                "reviewed_by": reviewer,
                "reviewed_at": now if reviewer else None,
            },
        )
        claims[spec["headline"]].personas.set([personas[name] for name in spec["personas"]])

    for spec in data["documents"]:
        kind, feature = HandoffDocument.Kind(spec["kind"]), features[spec["feature"]]
        against = competitors[spec["competitor"]] if spec["competitor"] else None
        HandoffDocument.objects.get_or_create(
            workspace=workspace,
            title=spec["title"],
            defaults={
                "kind": kind,
                "feature": feature,
                "competitor": against,
                "author": users[spec["author"]],
                "body": document_template(kind, feature, against),
            },
        )

    _seed_objective(workspace, data["objective"], today, users, products, features)
    feedback = _seed_feedback(workspace, data["feedback"], users, features)
    meeting = _seed_meeting(workspace, data["meeting"], today, users)

    targets = {"claim": claims, "feedback": feedback, "meeting": {meeting.title: meeting}}
    for spec in data["activity"]:
        instance = targets[spec["target"]][spec["title"]]
        ActivityEvent.objects.get_or_create(
            workspace=workspace,
            verb=spec["verb"],
            target_type=instance._meta.verbose_name,
            target_id=instance.pk,
            defaults={
                "actor": users[spec["actor"]],
                "target_label": str(instance)[:200],
                "target_url": instance.get_absolute_url(),
            },
        )


def _seed_objective(workspace, spec, today, users, products, features) -> None:
    start, end = _quarter(today)
    product = products[spec["product"]]
    objective, _ = Objective.objects.update_or_create(
        workspace=workspace,
        title=spec["title"],
        defaults={
            "description": spec["description"],
            "product": product,
            "product_owner": users[spec["product_owner"]],
            "marketing_owner": users[spec["marketing_owner"]],
            "period_start": start,
            "period_end": end,
        },
    )
    for target in spec["targets"]:
        scoped = {"product": products, "feature": features}.get(target["scope"])
        ObjectiveTarget.objects.update_or_create(
            workspace=workspace,
            objective=objective,
            kpi=target["kpi"],
            scope=target["scope"],
            defaults={
                "target": target["target"],
                "direction": target["direction"],
                "scope_id": scoped[target[target["scope"]]].pk if scoped else None,
                "scope_value": target.get("scope_value", ""),
            },
        )


def _seed_feedback(workspace, items, users, features) -> dict[str, Feedback]:
    written = {}
    for spec in items:
        feedback, _ = Feedback.objects.update_or_create(
            workspace=workspace,
            title=spec["title"],
            defaults={
                "from_team": spec["from_team"],
                "to_team": spec["to_team"],
                "subject_type": Feedback.SubjectType.FEATURE,
                "subject_id": features[spec["feature"]].pk,
                "author": users[spec["author"]],
                "body": spec["body"],
                "status": Feedback.Status(spec["status"]),
            },
        )
        if spec["reply"]:
            FeedbackComment.objects.get_or_create(
                workspace=workspace,
                feedback=feedback,
                body=spec["reply"]["body"],
                defaults={"author": users[spec["reply"]["author"]]},
            )
        written[spec["title"]] = feedback
    return written


def _seed_meeting(workspace, spec, today, users) -> SyncMeeting:
    meeting, created = SyncMeeting.objects.get_or_create(
        workspace=workspace,
        title=spec["title"],
        defaults={
            "date": today + timedelta(days=spec["date_days"]),
            "updates": spec["updates"],
            "goals": spec["goals"],
            "challenges": spec["challenges"],
            "decisions": spec["decisions"],
            "created_by": users[spec["created_by"]],
        },
    )
    if created:
        meeting.attendees.set([users[name] for name in spec["attendees"]])
    for item in spec["action_items"]:
        if "due_days_after_meeting" in item:
            due = meeting.date + timedelta(days=item["due_days_after_meeting"])
        else:
            due = today + timedelta(days=item["due_days"])
        ActionItem.objects.get_or_create(
            workspace=workspace,
            meeting=meeting,
            title=item["title"],
            defaults={"owner": users[item["owner"]], "due_date": due},
        )
    return meeting
