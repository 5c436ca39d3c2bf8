"""Starting text of each kind of handoff document (Markdown), filled from the feature."""

from __future__ import annotations

PRESS_RELEASE = """# {feature} — {headline_hint}

## {product} launches {feature}, so that {audience_hint}

**Problem.** Describe the customer's problem in their words: what hurts today, and why it matters.

**Solution.** How {feature} solves it, simply. {anticipated_value}

> "Quote from a spokesperson: why we built it and what it changes for customers."

**How to get started.** The first steps a customer takes to use {feature}.

> "Customer quote: the experience of a (hypothetical) customer who used it."

## FAQ

**Who is it for?**

**What does it cost?**

**How is it different from what exists today?**
"""

FEATURE_DEFINITION = """# {feature}

## What it does
{description}

## Who it is for

## Benefits
-

## Anticipated value
{anticipated_value}

## Media
{media_links}
"""

DEMO_SCRIPT = """# Demo script: {feature}

1. **Set the scene** — who the customer is and the problem they have.
2. **Show** — the three clicks that solve it with {feature}.
3. **Land the value** — what changed for the customer, with a number.
"""

USER_SCENARIO = """# User scenario: {feature}

**Persona:**

**Situation:** what happens before they reach {feature}.

**Steps:**
1.

**Outcome:**
"""

FAQ = """# {feature}: frequently asked questions

**What is {feature}?**

**Who can use it?**

**When is it available?** {release}
"""

BATTLECARD = """# Battlecard: {product} vs {competitor}

## How they position themselves
{competitor_positioning}

## Where we win
{competitor_weaknesses}

## Where they are strong (and how to answer)
{competitor_strengths}

## Landmines to lay
-

## Objections and answers
-
"""

TEMPLATES = {
    "press_release": PRESS_RELEASE,
    "feature_definition": FEATURE_DEFINITION,
    "demo_script": DEMO_SCRIPT,
    "user_scenario": USER_SCENARIO,
    "faq": FAQ,
    "battlecard": BATTLECARD,
}


def document_template(kind: str, feature, competitor=None) -> str:
    """The kind's template with what the feature (and competitor) already tell us."""
    release = feature.release_date.isoformat() if feature.release_date else "Not scheduled yet."
    values = {
        "feature": feature.name,
        "product": feature.product.name,
        "headline_hint": "a headline the customer would understand",
        "audience_hint": "who it is for can do what they could not before",
        "description": feature.description or "",
        "anticipated_value": feature.anticipated_value or "",
        "media_links": "\n".join(f"- <{link}>" for link in feature.media_links or []),
        "release": release,
        "competitor": competitor.name if competitor else "",
        "competitor_positioning": competitor.positioning if competitor else "",
        "competitor_strengths": competitor.strengths if competitor else "",
        "competitor_weaknesses": competitor.weaknesses if competitor else "",
    }
    return TEMPLATES[kind].format(**values)
