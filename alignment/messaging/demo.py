"""Demo messaging for the demo workspace: positioning, claims (one about a feature still in
beta, so flagged), a press release, a battlecard, an objective with KPI targets, feedback
both ways and a sync meeting with action items. Idempotent: natural keys, update_or_create.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from alignment.messaging.handoff_templates import document_template
from alignment.messaging.models import (
    ActionItem,
    ActivityEvent,
    Claim,
    Feedback,
    FeedbackComment,
    HandoffDocument,
    Objective,
    ObjectiveTarget,
    Positioning,
    PositioningVersion,
    ReviewStatus,
    SyncMeeting,
)
from alignment.models import Feature, Product
from research.models import Competitor, Persona

STATEMENT = {
    "target_customer": "product teams at B2B SaaS companies",
    "need": "need to know why trial users do not convert",
    "alternative": "spreadsheets and SQL requests to the data team",
    "our_product": "Acme Insights is self-serve product analytics",
    "differentiator": "funnels and cohorts are ready in minutes, without a data engineer",
}


def _quarter(today: date) -> tuple[date, date]:
    start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end_month = start.month + 2
    next_start = date(start.year + (end_month // 12), end_month % 12 + 1, 1)
    return start, next_start - timedelta(days=1)


@transaction.atomic
def seed(workspace, today: date | None = None) -> None:
    today = today or date.today()
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__startswith="demo-")
    }
    pm, pmm, marketing = users["demo-pm"], users["demo-pmm"], users["demo-marketing"]
    insights = Product.objects.get(workspace=workspace, name="Acme Insights")
    features = {f.name: f for f in Feature.objects.in_workspace(workspace)}
    funnels, ai = features["Funnel reports"], features["AI summaries"]

    persona, _ = Persona.objects.get_or_create(
        workspace=workspace,
        name="Growth PM",
        defaults={
            "goals": "Raise trial-to-paid conversion.",
            "pains": "Waits days for the data team to answer funnel questions.",
        },
    )
    competitor, _ = Competitor.objects.get_or_create(
        workspace=workspace,
        name="Metricly",
        defaults={
            "positioning": "Enterprise analytics suite for data teams.",
            "strengths": "Deep SQL customisation; large enterprise customer base.",
            "weaknesses": "Needs a data engineer to set up; slow for product teams.",
        },
    )

    positioning, _ = Positioning.objects.update_or_create(
        workspace=workspace, product=insights, persona=persona, defaults={**STATEMENT, "version": 2}
    )
    first = {**STATEMENT, "differentiator": "it is fast"}
    for number, statement in [(1, first), (2, STATEMENT)]:
        PositioningVersion.objects.update_or_create(
            workspace=workspace,
            positioning=positioning,
            number=number,
            defaults={**statement, "author": pmm},
        )

    now = timezone.now()
    claims = [
        (
            "See where every signup drops off",
            funnels,
            pm,
            ReviewStatus.APPROVED,
            pmm,
            "Funnel reports show each step's conversion; Northwind found a 40% drop at "
            "onboarding in their first week.",
        ),
        (
            "Dashboards that explain themselves",
            ai,
            pmm,
            ReviewStatus.IN_REVIEW,
            None,
            "Beta users read summaries instead of building charts.",
        ),
    ]
    for headline, feature, author, status, reviewer, proof in claims:
        claim, _ = Claim.objects.update_or_create(
            workspace=workspace,
            headline=headline,
            defaults={
                "feature": feature,
                "author": author,
                "status": status,
                "proof_point": proof,
                "body": f"{feature.anticipated_value}",
                "reviewed_by": reviewer,
                "reviewed_at": now if reviewer else None,
            },
        )
        claim.personas.set([persona])

    documents = [
        (HandoffDocument.Kind.PRESS_RELEASE, "AI summaries: your dashboards, explained", ai, None),
        (
            HandoffDocument.Kind.FEATURE_DEFINITION,
            "Feature definition: Funnel reports",
            funnels,
            None,
        ),
        (HandoffDocument.Kind.BATTLECARD, "Acme Insights vs Metricly", funnels, competitor),
    ]
    for kind, title, feature, against in documents:
        HandoffDocument.objects.get_or_create(
            workspace=workspace,
            title=title,
            defaults={
                "kind": kind,
                "feature": feature,
                "competitor": against,
                "author": pmm,
                "body": document_template(kind, feature, against),
            },
        )

    start, end = _quarter(today)
    objective, _ = Objective.objects.update_or_create(
        workspace=workspace,
        title="Turn more trials into paying teams",
        defaults={
            "description": "Product improves onboarding funnels; marketing targets Growth PMs.",
            "product": insights,
            "product_owner": pm,
            "marketing_owner": pmm,
            "period_start": start,
            "period_end": end,
        },
    )
    targets = [
        ("conversion_rate", "0.0300", "up", "workspace", None, ""),
        ("conversion_rate", "0.0400", "up", "product", insights.pk, ""),
        ("adoption", "0.3500", "up", "feature", funnels.pk, ""),
        ("cpa", "120.0000", "down", "channel", None, "paid_search"),
    ]
    for kpi, value, direction, scope, scope_id, scope_value in targets:
        ObjectiveTarget.objects.update_or_create(
            workspace=workspace,
            objective=objective,
            kpi=kpi,
            scope=scope,
            defaults={
                "target": value,
                "direction": direction,
                "scope_id": scope_id,
                "scope_value": scope_value,
            },
        )

    feedback_items = [
        (
            "Summaries need an export",
            "marketing",
            "product",
            ai,
            marketing,
            "Prospects at webinars ask to paste AI summaries into their weekly report.",
            Feedback.Status.ACKNOWLEDGED,
        ),
        (
            "Funnel campaign promises CSV export",
            "product",
            "marketing",
            funnels,
            pm,
            "The funnel landing page says 'export anywhere'; only PNG export exists today.",
            Feedback.Status.OPEN,
        ),
    ]
    for title, from_team, to_team, feature, author, body, status in feedback_items:
        feedback, _ = Feedback.objects.update_or_create(
            workspace=workspace,
            title=title,
            defaults={
                "from_team": from_team,
                "to_team": to_team,
                "subject_type": Feedback.SubjectType.FEATURE,
                "subject_id": feature.pk,
                "author": author,
                "body": body,
                "status": status,
            },
        )
        if status == Feedback.Status.ACKNOWLEDGED:
            FeedbackComment.objects.get_or_create(
                workspace=workspace,
                feedback=feedback,
                body="Planned for the GA release; we will share the design next week.",
                defaults={"author": pm},
            )

    meeting, created = SyncMeeting.objects.get_or_create(
        workspace=workspace,
        title="Weekly product & marketing sync",
        defaults={
            "date": today - timedelta(days=3),
            "updates": "AI summaries beta has 40 teams. Funnel campaign live on paid search.",
            "goals": "Agree the AI summaries launch date and the claims we can make in beta.",
            "challenges": "Beta feedback on summary accuracy is mixed.",
            "decisions": "No accuracy claims until GA. Press release drafted working backwards.",
            "created_by": pm,
        },
    )
    if created:
        meeting.attendees.set([pm, pmm, marketing])
    items = [
        ("Share AI summaries accuracy numbers", pm, meeting.date + timedelta(days=1)),
        ("Fix 'export anywhere' on the funnel page", marketing, today + timedelta(days=4)),
        ("Review the press release draft", pmm, today + timedelta(days=7)),
    ]
    for title, owner, due in items:
        ActionItem.objects.get_or_create(
            workspace=workspace,
            meeting=meeting,
            title=title,
            defaults={"owner": owner, "due_date": due},
        )

    approved = Claim.objects.get(workspace=workspace, headline=claims[0][0])
    for actor, verb, instance in [
        (pmm, "approved", approved),
        (
            marketing,
            "opened",
            Feedback.objects.get(workspace=workspace, title="Summaries need an export"),
        ),
        (pm, "held", meeting),
    ]:
        ActivityEvent.objects.get_or_create(
            workspace=workspace,
            verb=verb,
            target_type=instance._meta.verbose_name,
            target_id=instance.pk,
            defaults={
                "actor": actor,
                "target_label": str(instance)[:200],
                "target_url": instance.get_absolute_url(),
            },
        )
