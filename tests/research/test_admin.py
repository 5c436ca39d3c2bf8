import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from research.models import Insight
from research.models import JourneyMap
from research.models import JourneyStage
from research.models import Opportunity
from research.models import Study
from tests.research.factories import CompetitorFactory
from tests.research.factories import EvidenceFactory
from tests.research.factories import InsightFactory
from tests.research.factories import JourneyStageFactory
from tests.research.factories import OpportunityStatusChangeFactory
from tests.research.factories import PersonaFactory
from tests.research.factories import SegmentFactory
from tests.research.factories import StudyFactory
from tests.research.factories import TagFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "persona", "segment", "study", "tag", "insight", "opportunity",
    "competitor", "journeymap",
]  # fmt: skip


@pytest.fixture
def superuser_client(client):
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "pw-12345!")
    client.force_login(superuser)
    return client


def test_every_research_admin_page_renders(superuser_client, workspace):
    objects = {
        "persona": PersonaFactory(workspace=workspace),
        "segment": SegmentFactory(workspace=workspace),
        "study": StudyFactory(workspace=workspace),
        "tag": TagFactory(workspace=workspace),
        "insight": InsightFactory(workspace=workspace),
        "opportunity": EvidenceFactory(opportunity__workspace=workspace).opportunity,
        "competitor": CompetitorFactory(workspace=workspace),
        "journeymap": JourneyStageFactory(journey_map__workspace=workspace).journey_map,
    }
    OpportunityStatusChangeFactory(opportunity=objects["opportunity"])
    for model in MODELS:
        changelist = superuser_client.get(reverse(f"admin:research_{model}_changelist"))
        assert changelist.status_code == 200, model
        add = superuser_client.get(reverse(f"admin:research_{model}_add"))
        assert add.status_code == 200, model
        change = superuser_client.get(
            reverse(f"admin:research_{model}_change", args=[objects[model].pk])
        )
        assert change.status_code == 200, model


def test_admin_inline_rows_take_the_parent_workspace(superuser_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    response = superuser_client.post(
        reverse("admin:research_journeymap_add"),
        {
            "workspace": workspace.pk,
            "persona": persona.pk,
            "name": "Trial",
            "description": "",
            "stages-TOTAL_FORMS": "1",
            "stages-INITIAL_FORMS": "0",
            "stages-MIN_NUM_FORMS": "0",
            "stages-MAX_NUM_FORMS": "1000",
            "stages-0-position": "1",
            "stages-0-name": "Discover",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    stage = JourneyStage.objects.get()
    assert stage.workspace == workspace == JourneyMap.objects.get().workspace
    assert Insight.objects.count() == Opportunity.objects.count() == Study.objects.count() == 0


def test_insight_imports_are_listed_read_only_and_per_administered_workspace(
    superuser_client, client, workspace, other_workspace, member
):
    from research.models import InsightImport

    mine = InsightImport.objects.create(
        workspace=workspace,
        rows_read=3,
        rows_imported=2,
        rows_rejected=1,
        header=["title"],
        rejected=[{"line": 3, "cells": [""], "errors": [{"column": "title", "reason": "empty"}]}],
    )
    foreign = InsightImport.objects.create(workspace=other_workspace, rows_read=1)
    page = superuser_client.get(reverse("admin:research_insightimport_change", args=[mine.pk]))
    assert page.status_code == 200
    assert b"empty" in page.content and b'name="_save"' not in page.content
    assert superuser_client.get(reverse("admin:research_insightimport_add")).status_code == 403

    # A workspace admin (staff, not superuser) sees their own workspace's imports only.
    from django.contrib.auth.models import Permission

    from alignment.models import Role

    admin = member(Role.ADMIN, username="ws-admin", is_staff=True)
    admin.user_permissions.add(Permission.objects.get(codename="view_insightimport"))
    client.force_login(admin)
    listing = client.get(reverse("admin:research_insightimport_changelist"))
    assert listing.status_code == 200
    shown = {row.pk for row in listing.context["cl"].result_list}
    assert shown == {mine.pk} and foreign.pk not in shown
