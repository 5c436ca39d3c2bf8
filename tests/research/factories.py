"""Factories for every research model; each accepts `workspace=`."""

import factory

from research.models import Competitor
from research.models import Evidence
from research.models import Insight
from research.models import InsightImport
from research.models import JourneyMap
from research.models import JourneyStage
from research.models import Opportunity
from research.models import OpportunityStatusChange
from research.models import Persona
from research.models import Segment
from research.models import Study
from research.models import Tag
from tests.factories import ScopedFactory


class PersonaFactory(ScopedFactory):
    class Meta:
        model = Persona

    name = factory.Sequence(lambda n: f"Persona {n}")
    goals = "Ship with confidence"
    pains = "Slow feedback"


class SegmentFactory(ScopedFactory):
    class Meta:
        model = Segment

    name = factory.Sequence(lambda n: f"Segment {n}")
    criteria = "50-500 employees"


class StudyFactory(ScopedFactory):
    class Meta:
        model = Study

    kind = Study.Kind.INTERVIEW
    title = factory.Sequence(lambda n: f"Study {n}")
    summary = "Customer calls."


class TagFactory(ScopedFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag-{n}")


class CompetitorFactory(ScopedFactory):
    class Meta:
        model = Competitor

    name = factory.Sequence(lambda n: f"Competitor {n}")
    positioning = "The incumbent."


class InsightFactory(ScopedFactory):
    class Meta:
        model = Insight

    title = factory.Sequence(lambda n: f"Insight {n}")
    body = "Customers said *something*."
    source = "Interview"
    sentiment = Insight.Sentiment.NEUTRAL


class OpportunityFactory(ScopedFactory):
    class Meta:
        model = Opportunity

    title = factory.Sequence(lambda n: f"Opportunity {n}")
    problem = "a slow reporting loop"
    reason = "data lives in many tools"
    signal = "they report weekly without help"


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    opportunity = factory.SubFactory(OpportunityFactory)
    workspace = factory.SelfAttribute("opportunity.workspace")
    insight = factory.SubFactory(InsightFactory, workspace=factory.SelfAttribute("..workspace"))
    stance = Evidence.Stance.SUPPORTING


class OpportunityStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpportunityStatusChange

    opportunity = factory.SubFactory(OpportunityFactory)
    workspace = factory.SelfAttribute("opportunity.workspace")
    from_status = Opportunity.Status.IDENTIFIED
    to_status = Opportunity.Status.VALIDATING
    reason = "Enough signal to test."


class JourneyMapFactory(ScopedFactory):
    class Meta:
        model = JourneyMap

    persona = factory.SubFactory(PersonaFactory, workspace=factory.SelfAttribute("..workspace"))
    name = factory.Sequence(lambda n: f"Journey {n}")


class JourneyStageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JourneyStage

    journey_map = factory.SubFactory(JourneyMapFactory)
    workspace = factory.SelfAttribute("journey_map.workspace")
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Stage {n}")


class InsightImportFactory(ScopedFactory):
    """An import that rejected one row (whose cells start like a formula)."""

    class Meta:
        model = InsightImport

    rows_read = 2
    rows_imported = 1
    rows_rejected = 1
    header = ["title", "persona"]
    rejected = factory.LazyFunction(
        lambda: [
            {
                "line": 3,
                "cells": ['=HYPERLINK("http://evil")', "Nobody"],
                "errors": [{"column": "persona", "reason": "Unknown persona “Nobody”."}],
            }
        ]
    )


# Themes -------------------------------------------------------------------------------


class ThemeFactory(ScopedFactory):
    class Meta:
        model = "research.Theme"

    label = factory.Sequence(lambda n: f"theme {n} · export · csv")
    terms = factory.LazyFunction(lambda: ["export", "csv", "spreadsheet"])


class ThemeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "research.ThemeMembership"

    theme = factory.SubFactory(ThemeFactory)
    workspace = factory.SelfAttribute("theme.workspace")
    insight = factory.SubFactory(InsightFactory, workspace=factory.SelfAttribute("..workspace"))


# Highlights -----------------------------------------------------------------------------


class HighlightFactory(ScopedFactory):
    """The first word of its insight's body ("Customers")."""

    class Meta:
        model = "research.Highlight"

    insight = factory.SubFactory(InsightFactory, workspace=factory.SelfAttribute("..workspace"))
    start = 0
    end = factory.LazyAttribute(lambda obj: max(1, len(obj.insight.body.split(" ")[0])))
    text = factory.LazyAttribute(lambda obj: obj.insight.body[obj.start : obj.end])
