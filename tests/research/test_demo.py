import pytest

from alignment.demo import seed_demo
from research import demo
from research.models import Competitor
from research.models import Evidence
from research.models import Insight
from research.models import JourneyStage
from research.models import Opportunity
from research.models import OpportunityStatusChange
from research.models import Persona
from research.models import Study
from research.models import Tag
from research.selectors import opportunity_list

pytestmark = pytest.mark.django_db

MODELS = [
    Persona,
    Competitor,
    Study,
    Tag,
    Insight,
    Opportunity,
    Evidence,
    OpportunityStatusChange,
    JourneyStage,
]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_is_realistic_and_idempotent():
    workspace = seed_demo()
    demo.seed(workspace)
    first = _counts()
    updated = {row.pk: row.updated_at for row in Insight.objects.all()}

    demo.seed(workspace)

    assert _counts() == first
    assert first["Insight"] >= 30 and first["Study"] >= 3 and first["Persona"] >= 3
    assert Insight.objects.filter(features__isnull=False).distinct().count() >= 20
    counted = {row.title: row for row in opportunity_list(workspace=workspace)}
    ai = counted["Trustworthy AI summaries for weekly reviews"]
    assert (ai.supporting_count, ai.contradicting_count) == (3, 2)
    survey = Study.objects.get(kind=Study.Kind.SURVEY)
    assert survey.survey == "Quarterly NPS"  # the survey metrics' demo imports
    assert first["OpportunityStatusChange"] == 4
    assert set(updated) == set(Insight.objects.values_list("pk", flat=True))
