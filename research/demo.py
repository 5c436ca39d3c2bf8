"""Demo research for the demo workspace: personas, studies, 30+ insights, opportunities with
evidence, competitors and a journey map. Idempotent: rows are matched on natural keys."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from alignment.models import Feature, Workspace
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
    Tag,
)

PERSONAS = {
    "Growth PM": {
        "summary": "Product manager at a 50-500 person B2B SaaS company, owns activation.",
        "goals": "Lift trial-to-paid conversion.\nShow the impact of each release.",
        "pains": "Waits days for the data team.\nDashboards nobody trusts.",
        "jobs_to_be_done": "When a release ships, I want to see whether it moved activation, "
        "so I can decide what to build next.",
        "channels": "Lenny's Newsletter, Mind the Product, r/ProductManagement",
        "current_tools": "Spreadsheets, Mixpanel, SQL via the data team",
    },
    "Data-savvy Marketer": {
        "summary": "Lifecycle and product marketer who runs campaigns and owns the funnel story.",
        "goals": "Tie campaigns to product usage, not just clicks.",
        "pains": "Attribution stops at sign-up.\nCannot see which features convert.",
        "jobs_to_be_done": "When a campaign launches, I want to see which features new users "
        "adopt, so I can tell the right story.",
        "channels": "LinkedIn, Demand Curve, webinars",
        "current_tools": "HubSpot, Google Analytics, Looker Studio",
    },
    "Analytics Engineer": {
        "summary": "Owns the warehouse and the models everyone else queries.",
        "goals": "One definition of each metric.\nFewer ad-hoc requests.",
        "pains": "Tools that copy data out of the warehouse and drift.",
        "jobs_to_be_done": "When a team asks for a metric, I want to define it once in the "
        "warehouse, so every tool shows the same number.",
        "channels": "dbt Slack, Locally Optimistic, GitHub",
        "current_tools": "dbt, Snowflake, Hex",
    },
}

SEGMENTS = {
    "Mid-market SaaS": ("50-500 employees, product-led, self-serve trial", ["Growth PM"]),
    "Data-mature teams": (
        "Has a cloud warehouse and a dbt project",
        ["Analytics Engineer", "Data-savvy Marketer"],
    ),
}

COMPETITORS = {
    "Amplitude": (
        "https://amplitude.com",
        "The digital analytics platform for product-led growth.",
        "Deep behavioural analytics; strong brand with PMs.",
        "Expensive at scale; steep learning curve for marketers.",
    ),
    "Mixpanel": (
        "https://mixpanel.com",
        "Simple, self-serve product analytics.",
        "Fast time to first chart; generous free tier.",
        "Weak warehouse story; limited survey data.",
    ),
    "Spreadsheets": (
        "",
        "The default: export, pivot, paste into slides.",
        "Everyone knows them; infinitely flexible.",
        "Stale the day they are made; no single source of truth.",
    ),
}

# key: (kind, title, start offset days, length days, summary, personas)
STUDIES = {
    "interviews": (
        Study.Kind.INTERVIEW,
        "Q3 activation interviews",
        -120,
        21,
        "Twelve 45-minute calls with PMs and marketers at trial accounts about how they "
        "measure activation.",
        ["Growth PM", "Data-savvy Marketer"],
    ),
    "beta": (
        Study.Kind.BETA_TEST,
        "AI summaries beta",
        -45,
        30,
        "Closed beta of AI summaries with 18 accounts; weekly check-ins and in-app feedback.",
        ["Growth PM"],
    ),
    "survey": (
        Study.Kind.SURVEY,
        "Quarterly NPS survey",
        -30,
        14,
        "In-app NPS and CSAT survey sent to every active workspace.",
        ["Growth PM", "Data-savvy Marketer", "Analytics Engineer"],
    ),
    "support": (
        Study.Kind.SUPPORT_ANALYSIS,
        "Support ticket review: warehouse questions",
        -60,
        10,
        "Tagged 240 support tickets from the last quarter that mention the warehouse or exports.",
        ["Analytics Engineer"],
    ),
}

SURVEYS = {"survey": "Quarterly NPS"}

# (title, sentiment, source, study, personas, features, competitors, tags, evidence, body)
N, P, M, X = "negative", "positive", "mixed", "neutral"
INSIGHTS = [
    (
        "PMs wait a week for activation numbers",
        N,
        "Interview #3",
        "interviews",
        ["Growth PM"],
        ["Funnel reports"],
        ["Spreadsheets"],
        ["activation", "data-access"],
        "Every Monday I ask the data team for last week's activation and get it on Friday.",
        "Waiting on the data team is the norm. The **funnel report** is trusted only "
        "once someone in data has checked it.",
    ),
    (
        "Funnel reports replace a weekly spreadsheet",
        P,
        "Interview #5",
        "interviews",
        ["Growth PM"],
        ["Funnel reports"],
        ["Spreadsheets"],
        ["activation", "time-saved"],
        "We killed the Monday spreadsheet the week we turned funnels on.",
        "Self-serve funnels saved this team about **3 hours a week**.",
    ),
    (
        "Marketers cannot see feature adoption per campaign",
        N,
        "Interview #2",
        "interviews",
        ["Data-savvy Marketer"],
        ["Cohort retention"],
        ["Amplitude"],
        ["attribution", "campaigns"],
        "I know the campaign brought 2,000 sign-ups. I have no idea what they did next.",
        "Attribution stops at sign-up; product usage lives in another tool.",
    ),
    (
        "Retention cohorts are the chart execs ask for",
        P,
        "Interview #7",
        "interviews",
        ["Growth PM"],
        ["Cohort retention"],
        [],
        ["retention", "exec-reporting"],
        "The board only looks at one chart: week-4 retention.",
        "Cohort retention is the chart that gets shared upwards.",
    ),
    (
        "Amplitude felt too heavy for the marketing team",
        M,
        "Interview #9",
        "interviews",
        ["Data-savvy Marketer"],
        [],
        ["Amplitude"],
        ["onboarding", "switching"],
        "Our marketers never logged in after the training.",
        "Power is not the issue; the learning curve is.",
    ),
    (
        "Activation definitions differ between teams",
        N,
        "Interview #4",
        "interviews",
        ["Growth PM", "Analytics Engineer"],
        ["Funnel reports"],
        [],
        ["metric-definitions", "activation"],
        "Product says activated means three reports, marketing says one login.",
        "Two definitions of the same metric cause weekly arguments.",
    ),
    (
        "Mixpanel free tier got them started",
        X,
        "Interview #11",
        "interviews",
        ["Growth PM"],
        [],
        ["Mixpanel"],
        ["switching", "pricing"],
        "We started on the free tier and never looked back until the warehouse project.",
        "The free tier is the entry point; the warehouse project is the trigger to re-evaluate.",
    ),
    (
        "Marketers want a story, not a chart",
        M,
        "Interview #12",
        "interviews",
        ["Data-savvy Marketer"],
        ["AI summaries"],
        [],
        ["storytelling"],
        "Give me the sentence I can paste into the launch recap.",
        "Marketers translate charts into sentences by hand for every recap.",
    ),
    (
        "Onboarding checklist hides the funnel builder",
        N,
        "Interview #6",
        "interviews",
        ["Growth PM"],
        ["Funnel reports"],
        [],
        ["onboarding"],
        "I didn't find funnels until day six.",
        "The checklist promotes dashboards first; funnels are two clicks deeper.",
    ),
    (
        "AI summaries save time in weekly reviews",
        P,
        "Beta check-in, week 2",
        "beta",
        ["Growth PM"],
        ["AI summaries"],
        [],
        ["time-saved", "ai"],
        "I read the summary in the standup instead of screen-sharing six charts.",
        "Summaries replace the walk-through of dashboards in weekly reviews.",
    ),
    (
        "Beta users distrust summaries without numbers",
        N,
        "Beta check-in, week 1",
        "beta",
        ["Growth PM"],
        ["AI summaries"],
        [],
        ["trust", "ai"],
        "It says 'conversion improved'. By how much? Compared to what?",
        "Every claim in a summary needs its number and its comparison period.",
    ),
    (
        "Summaries get forwarded to executives",
        P,
        "In-app feedback",
        "beta",
        ["Growth PM"],
        ["AI summaries"],
        [],
        ["exec-reporting", "ai"],
        "My VP asked to get this every Monday.",
        "Forwarding is the strongest sign of value we saw in the beta.",
    ),
    (
        "Summaries misread a holiday dip as churn",
        N,
        "Beta check-in, week 3",
        "beta",
        ["Growth PM"],
        ["AI summaries", "Cohort retention"],
        [],
        ["trust", "ai", "seasonality"],
        "It told my boss retention collapsed. It was Thanksgiving.",
        "Seasonality needs to be part of the comparison.",
    ),
    (
        "Marketers edit summaries before sharing",
        M,
        "Beta check-in, week 2",
        "beta",
        ["Data-savvy Marketer"],
        ["AI summaries"],
        [],
        ["storytelling", "ai"],
        "I always rewrite the first line.",
        "An editable draft is more useful to marketers than a finished text.",
    ),
    (
        "Weekly digest email wanted",
        P,
        "In-app feedback",
        "beta",
        ["Growth PM", "Data-savvy Marketer"],
        ["AI summaries"],
        [],
        ["notifications"],
        "Just email it to me on Monday at 9.",
        "Pull is not enough; a scheduled digest would make it a habit.",
    ),
    (
        "Warehouse export is the top support topic",
        N,
        "Ticket analysis",
        "support",
        ["Analytics Engineer"],
        ["Warehouse sync"],
        [],
        ["warehouse", "support-load"],
        "31% of tagged tickets ask how to get events into Snowflake.",
        "Exports are the biggest support driver this quarter.",
    ),
    (
        "Copying data out of the warehouse is a deal-breaker",
        N,
        "Ticket #4821",
        "support",
        ["Analytics Engineer"],
        ["Warehouse sync"],
        ["Amplitude", "Mixpanel"],
        ["warehouse", "governance"],
        "Security will not approve another copy of our customer data.",
        "Warehouse-native reading beats syncing for security-conscious accounts.",
    ),
    (
        "dbt metrics should be the source of truth",
        M,
        "Ticket #4977",
        "support",
        ["Analytics Engineer"],
        ["Warehouse sync"],
        [],
        ["metric-definitions", "warehouse"],
        "Can you read our dbt semantic layer instead of redefining metrics?",
        "Analytics engineers want us to consume their definitions, not redefine them.",
    ),
    (
        "CSV export breaks on large funnels",
        N,
        "Ticket #5012",
        "support",
        ["Data-savvy Marketer"],
        ["Funnel reports"],
        [],
        ["exports", "bug"],
        "Export times out above 200k rows.",
        "Marketers export funnels to build their own decks.",
    ),
    (
        "Sync lag causes mismatched numbers",
        N,
        "Ticket #5033",
        "support",
        ["Analytics Engineer", "Growth PM"],
        ["Warehouse sync"],
        [],
        ["trust", "warehouse"],
        "Your dashboard says 412, our warehouse says 398.",
        "A few hours of lag is enough to break trust in both numbers.",
    ),
    (
        "Survey: the product is easy to start with",
        P,
        "NPS comment",
        "survey",
        ["Growth PM"],
        ["Funnel reports"],
        ["Mixpanel"],
        ["onboarding", "nps"],
        "Set up in an afternoon, no engineer needed.",
        "Promoters mention speed of setup more than any feature.",
    ),
    (
        "Survey: pricing per event feels risky",
        N,
        "NPS comment",
        "survey",
        ["Growth PM"],
        [],
        ["Amplitude"],
        ["pricing", "nps"],
        "I'm scared of the bill every time we add tracking.",
        "Event-based pricing makes teams track less.",
    ),
    (
        "Survey: want NPS inside the product",
        P,
        "CSAT comment",
        "survey",
        ["Data-savvy Marketer"],
        ["NPS surveys"],
        [],
        ["surveys", "nps"],
        "We pay for a separate survey tool just for NPS.",
        "In-product NPS would replace a separate tool for many accounts.",
    ),
    (
        "Survey: targeting surveys by behaviour",
        P,
        "CSAT comment",
        "survey",
        ["Data-savvy Marketer"],
        ["Survey targeting"],
        [],
        ["surveys", "targeting"],
        "Ask people who just used the feature, not everyone.",
        "Behavioural targeting is the reason to run surveys inside analytics.",
    ),
    (
        "Survey: dashboards are cluttered",
        N,
        "NPS comment",
        "survey",
        ["Growth PM"],
        [],
        [],
        ["ux"],
        "Too many charts nobody looks at.",
        "Dashboard sprawl reduces trust in the important charts.",
    ),
    (
        "Survey: retention view is best in class",
        P,
        "NPS comment",
        "survey",
        ["Growth PM"],
        ["Cohort retention"],
        ["Amplitude"],
        ["retention", "nps"],
        "Better than what we had in Amplitude.",
        "Retention is a reason customers recommend us.",
    ),
    (
        "Survey: marketers feel like second-class users",
        N,
        "NPS comment",
        "survey",
        ["Data-savvy Marketer"],
        [],
        [],
        ["marketing-users", "ux"],
        "Everything is built for PMs.",
        "Marketers are a growing share of seats but the UI speaks to PMs.",
    ),
    (
        "Analytics engineers champion warehouse-native tools",
        P,
        "Interview #10",
        "interviews",
        ["Analytics Engineer"],
        ["Warehouse sync"],
        [],
        ["warehouse", "champions"],
        "If it reads from Snowflake, I'll sponsor it internally.",
        "Analytics engineers become internal champions when we respect the warehouse.",
    ),
    (
        "Launch recaps are assembled by hand",
        N,
        "Interview #8",
        "interviews",
        ["Data-savvy Marketer"],
        ["AI summaries", "Funnel reports"],
        ["Spreadsheets"],
        ["storytelling", "launches"],
        "The launch recap takes me a full day of screenshots.",
        "A recap template fed by real numbers would save a day per launch.",
    ),
    (
        "PMs want to compare releases side by side",
        X,
        "Interview #1",
        "interviews",
        ["Growth PM"],
        ["Cohort retention"],
        [],
        ["releases"],
        "Did v2.3 do better than v2.2 for new users?",
        "Release-over-release comparison is a common, unsupported question.",
    ),
    (
        "Support agents use funnels to debug onboarding",
        P,
        "Ticket #4711",
        "support",
        [],
        ["Funnel reports"],
        [],
        ["onboarding", "support-load"],
        "I send customers the funnel link to show where they got stuck.",
        "Support uses funnels as a diagnostic tool.",
    ),
    (
        "Beta users ask for summaries in Slack",
        P,
        "In-app feedback",
        "beta",
        ["Growth PM"],
        ["AI summaries"],
        [],
        ["notifications", "ai"],
        "Post it in #growth and we'll read it.",
        "Slack is where the summary would actually be read.",
    ),
]

# title: (persona, problem, reason, signal, status, reason for status, features, evidence)
OPPORTUNITIES = {
    "Self-serve activation metrics for PMs": (
        "Growth PM",
        "to wait days for activation numbers",
        "every question goes through the data team",
        "a PM answers an activation question in under 10 minutes without help",
        Opportunity.Status.VALIDATED,
        "9 of 12 interviewees described the same wait; funnel users dropped their spreadsheets.",
        ["Funnel reports"],
        {
            "PMs wait a week for activation numbers": "supporting",
            "Funnel reports replace a weekly spreadsheet": "supporting",
            "Activation definitions differ between teams": "supporting",
            "Onboarding checklist hides the funnel builder": "contradicting",
        },
    ),
    "Trustworthy AI summaries for weekly reviews": (
        "Growth PM",
        "to walk stakeholders through many charts every week",
        "charts need interpretation before anyone acts on them",
        "half of beta accounts forward a summary at least weekly",
        Opportunity.Status.VALIDATING,
        "Beta shows strong pull but trust issues; measuring forward rate.",
        ["AI summaries"],
        {
            "AI summaries save time in weekly reviews": "supporting",
            "Summaries get forwarded to executives": "supporting",
            "Beta users distrust summaries without numbers": "contradicting",
            "Summaries misread a holiday dip as churn": "contradicting",
            "Weekly digest email wanted": "supporting",
        },
    ),
    "Warehouse-native analytics": (
        "Analytics Engineer",
        "to maintain copies of data in every tool",
        "security and metric consistency demand one source of truth",
        "three design partners connect their warehouse instead of syncing",
        Opportunity.Status.VALIDATING,
        "Support volume confirms the pain; design partners being recruited.",
        ["Warehouse sync"],
        {
            "Warehouse export is the top support topic": "supporting",
            "Copying data out of the warehouse is a deal-breaker": "supporting",
            "dbt metrics should be the source of truth": "supporting",
            "Sync lag causes mismatched numbers": "supporting",
        },
    ),
    "In-product NPS for marketers": (
        "Data-savvy Marketer",
        "to run a separate survey tool disconnected from usage",
        "survey tools do not know what users did in the product",
        "20% of accounts replace their survey tool within a quarter",
        Opportunity.Status.IDENTIFIED,
        "",
        ["NPS surveys", "Survey targeting"],
        {
            "Survey: want NPS inside the product": "supporting",
            "Survey: targeting surveys by behaviour": "supporting",
        },
    ),
}

JOURNEY = (
    "Growth PM",
    "From trial to weekly habit",
    "How a growth PM goes from sign-up to relying on Tandem every week.",
    [
        (
            "Discover",
            "Newsletter, peer recommendation",
            "Hard to judge fit quickly",
            "Show a live demo dataset",
        ),
        (
            "Sign up and connect data",
            "Trial sign-up, SDK install",
            "Needs an engineer for the SDK",
            "Warehouse connection as an alternative",
        ),
        (
            "First insight",
            "Funnel builder, templates",
            "Funnel builder hidden behind dashboards",
            "Put funnels first in onboarding",
        ),
        (
            "Share with the team",
            "Dashboards, links, Slack",
            "Teammates distrust unexplained numbers",
            "AI summaries with numbers and comparisons",
        ),
        (
            "Weekly habit",
            "Digest email, reviews",
            "Forgets to check without a nudge",
            "Monday digest and Slack posts",
        ),
    ],
)


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


@transaction.atomic
def seed(workspace: Workspace, today: date | None = None) -> None:
    today = today or date.today()
    features = _features(workspace)

    def pick(names, table):
        return [table[name] for name in names if name in table]

    personas = {
        name: Persona.objects.update_or_create(workspace=workspace, name=name, defaults=fields)[0]
        for name, fields in PERSONAS.items()
    }
    for name, (criteria, persona_names) in SEGMENTS.items():
        segment, _ = Segment.objects.update_or_create(
            workspace=workspace, name=name, defaults={"criteria": criteria}
        )
        segment.personas.set(pick(persona_names, personas))
    competitors = {}
    for name, (website, positioning, strengths, weaknesses) in COMPETITORS.items():
        competitors[name], _ = Competitor.objects.update_or_create(
            workspace=workspace,
            name=name,
            defaults={
                "website": website,
                "positioning": positioning,
                "strengths": strengths,
                "weaknesses": weaknesses,
            },
        )
    studies = {}
    for key, (kind, title, start, length, summary, persona_names) in STUDIES.items():
        studies[key], _ = Study.objects.update_or_create(
            workspace=workspace,
            title=title,
            defaults={
                "kind": kind,
                "started_on": today + timedelta(days=start),
                "ended_on": today + timedelta(days=start + length),
                "summary": summary,
                # The survey that metrics' demo imports: the study page shows its NPS.
                "survey": SURVEYS.get(key, ""),
            },
        )
        studies[key].personas.set(pick(persona_names, personas))

    insights = {}
    for row in INSIGHTS:
        title, sentiment, source, study, persona_names, feature_names = row[:6]
        competitor_names, tag_names, evidence, body = row[6:]
        insight, _ = Insight.objects.update_or_create(
            workspace=workspace,
            title=title,
            defaults={
                "sentiment": sentiment,
                "source": source,
                "study": studies[study],
                "evidence": evidence,
                "body": body,
            },
        )
        insight.personas.set(pick(persona_names, personas))
        insight.features.set(pick(feature_names, features))
        insight.competitors.set(pick(competitor_names, competitors))
        insight.tags.set(
            [Tag.objects.get_or_create(workspace=workspace, name=name)[0] for name in tag_names]
        )
        insights[title] = insight

    for title, spec in OPPORTUNITIES.items():
        persona, problem, reason, signal, status, status_reason, feature_names, evidence = spec
        opportunity, _ = Opportunity.objects.update_or_create(
            workspace=workspace,
            title=title,
            defaults={
                "persona": personas[persona],
                "problem": problem,
                "reason": reason,
                "signal": signal,
                "status": status,
                "status_reason": status_reason,
            },
        )
        opportunity.features.set(pick(feature_names, features))
        _record_history(opportunity, status, status_reason)
        for insight_title, stance in evidence.items():
            Evidence.objects.update_or_create(
                workspace=workspace,
                opportunity=opportunity,
                insight=insights[insight_title],
                defaults={"stance": stance},
            )

    persona_name, name, description, stages = JOURNEY
    journey, _ = JourneyMap.objects.update_or_create(
        workspace=workspace,
        persona=personas[persona_name],
        name=name,
        defaults={"description": description},
    )
    for position, (stage, touchpoints, pains, opportunities) in enumerate(stages, start=1):
        JourneyStage.objects.update_or_create(
            workspace=workspace,
            journey_map=journey,
            position=position,
            defaults={
                "name": stage,
                "touchpoints": touchpoints,
                "pains": pains,
                "opportunities": opportunities,
            },
        )
